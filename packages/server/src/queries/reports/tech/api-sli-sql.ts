import { zoneArg } from '../../context/zone-arg.ts';
import type { Condition, Granularity } from '@sightline/shared';
import type { QueryContext } from '../../context/query-context.ts';
import { metricCondition, scopeConditions } from '../../context/scope-conditions.ts';
import { openSource } from '../../context/sources.ts';
import { runQuery } from '../../sql/run-query.ts';
import { SqlParams } from '../../sql/sql-params.ts';

/** API calls, as the catalog's API metrics count them (bots included: they load the API too). */
const API: readonly Condition[] = [{ field: 'type', op: 'eq', value: 'api' }];
/** Endpoint part used when the call did not say its route or method. */
export const UNKNOWN = '(unknown)';
export const QUANTILES = [0.5, 0.9, 0.95, 0.99] as const;

/** Counts and latency of one endpoint (or of all of them). */
export interface EndpointCounts {
  method: string;
  route: string;
  requests: number;
  /** status ≥ 500 or timed out. */
  unavailable: number;
  /** status ≥ 400 or timed out. */
  errors: number;
  serverErrors: number;
  timeouts: number;
  /** p50, p90, p95, p99 of duration_ms; null when no call had a duration. */
  latency: Array<number | null>;
  /** Calls in the busiest second. */
  peak: number;
}

export interface EndpointBucketCounts {
  bucket: number;
  endpoint: string;
  requests: number;
  errors: number;
  p95: number | null;
}

/** API calls in the context with their endpoint, outcome flags and second, as a CTE body. */
function apiRowsSql(ctx: QueryContext, params: SqlParams, bucket: (time: string) => string) {
  const { dialect } = ctx;
  const source = openSource('events', ctx, params);
  const a = source.alias;
  const route = `coalesce(${dialect.jsonText(`${a}.props`, 'route')}, '${UNKNOWN}')`;
  const method = `coalesce(upper(${dialect.jsonText(`${a}.props`, 'method')}), '${UNKNOWN}')`;
  const timedOut = `coalesce(${dialect.jsonText(`${a}.props`, 'timeout')} = 'true', FALSE)`;
  const where = [
    ...scopeConditions(ctx, source, params),
    ...API.map((c) => metricCondition(c, source, params, dialect)),
  ];
  return (
    `SELECT ${method} AS method, ${route} AS route, ${a}.status AS status, ` +
    `${a}.duration_ms AS duration_ms, ${timedOut} AS timed_out, ` +
    `${dialect.epochMs(`date_trunc('second', ${source.time})`)} AS sec, ${bucket(source.time)} AS bucket ` +
    `FROM ${source.from()} WHERE ${where.join(' AND ')}`
  );
}

function outcomeCounts(ctx: QueryContext): string {
  const { dialect } = ctx;
  return [
    `count(*) AS requests`,
    `${dialect.countIf('coalesce(status >= 500, FALSE) OR timed_out')} AS unavailable`,
    `${dialect.countIf('coalesce(status >= 400, FALSE) OR timed_out')} AS errors`,
    `${dialect.countIf('coalesce(status >= 500, FALSE)')} AS server_errors`,
    `${dialect.countIf('timed_out')} AS timeouts`,
  ].join(', ');
}

/**
 * Per endpoint (method and route), or for all calls together when `byEndpoint` is false: the
 * outcome counts, latency quantiles and the calls in the busiest second.
 */
export async function fetchEndpointCounts(
  ctx: QueryContext,
  byEndpoint: boolean,
): Promise<EndpointCounts[]> {
  const params = new SqlParams();
  const { dialect } = ctx;
  const keys = byEndpoint ? 'method, route' : `'*' AS method, '*' AS route`;
  const group = byEndpoint ? 'GROUP BY method, route' : '';
  const perSecond = byEndpoint
    ? 'SELECT method, route, sec, count(*) AS n FROM api GROUP BY method, route, sec'
    : 'SELECT sec, count(*) AS n FROM api GROUP BY sec';
  const peak = byEndpoint
    ? 'SELECT method, route, max(n) AS peak FROM per_second GROUP BY method, route'
    : 'SELECT max(n) AS peak FROM per_second';
  const join = byEndpoint ? 'p.method = s.method AND p.route = s.route' : 'TRUE';
  const quantiles = QUANTILES.map((q, i) => `${dialect.quantile('duration_ms', q)} AS q${i}`);
  const sql =
    `WITH api AS (${apiRowsSql(ctx, params, () => 'NULL')}), per_second AS (${perSecond}), ` +
    `peak AS (${peak}), ` +
    `stats AS (SELECT ${keys}, ${outcomeCounts(ctx)}, ${quantiles.join(', ')} FROM api ${group}) ` +
    `SELECT s.*, p.peak FROM stats s JOIN peak p ON ${join} WHERE s.requests > 0`;
  const rows = await runQuery(ctx, sql, params.values);
  return rows.map((row) => ({
    method: String(row.method),
    route: String(row.route),
    requests: Number(row.requests),
    unavailable: Number(row.unavailable),
    errors: Number(row.errors),
    serverErrors: Number(row.server_errors),
    timeouts: Number(row.timeouts),
    latency: QUANTILES.map((_, i) => toNumber(row[`q${i}`])),
    peak: Number(row.peak),
  }));
}

/** Requests, errors and p95 per bucket for the given endpoints (`METHOD route`). */
export async function fetchEndpointSeries(
  ctx: QueryContext,
  granularity: Granularity,
  endpoints: readonly string[],
): Promise<EndpointBucketCounts[]> {
  if (endpoints.length === 0) return [];
  const params = new SqlParams();
  const { dialect } = ctx;
  const zone = zoneArg(ctx, params);
  const bucket = (time: string) =>
    granularity === 'all'
      ? `${params.add(ctx.from)}::BIGINT`
      : dialect.bucketStartMs(granularity, time, zone);
  const kept = endpoints.map((endpoint) => params.add(endpoint)).join(', ');
  const sql =
    `WITH api AS (${apiRowsSql(ctx, params, bucket)}) ` +
    `SELECT bucket, method || ' ' || route AS endpoint, count(*) AS requests, ` +
    `${dialect.countIf('coalesce(status >= 400, FALSE) OR timed_out')} AS errors, ` +
    `${dialect.quantile('duration_ms', 0.95)} AS p95 FROM api ` +
    `WHERE method || ' ' || route IN (${kept}) GROUP BY ALL`;
  const rows = await runQuery(ctx, sql, params.values);
  return rows.map((row) => ({
    bucket: Number(row.bucket),
    endpoint: String(row.endpoint),
    requests: Number(row.requests),
    errors: Number(row.errors),
    p95: toNumber(row.p95),
  }));
}

function toNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

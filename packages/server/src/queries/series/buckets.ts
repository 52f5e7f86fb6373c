import { runQuery } from '../sql/run-query.ts';
import {
  ERR_QUERY_RANGE_INVALID,
  ERR_QUERY_TOO_MANY_BUCKETS,
  SightlineError,
  type Granularity,
} from '@sightline/shared';
import type { QueryContext } from '../context/query-context.ts';
import { SqlParams } from '../sql/sql-params.ts';

/** Most buckets one series may have (a year by hour is 8,784). */
export const MAX_BUCKETS = 10_000;
export const MAX_RANGE_DAYS = 3_660;
const DAY_MS = 86_400_000;
const APPROX_MS: Record<Exclude<Granularity, 'all'>, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: DAY_MS,
  week: 7 * DAY_MS,
  month: 28 * DAY_MS,
};

/** Bucket lists already worked out, by engine, zone, granularity and range (most recent last). */
const known = new Map<string, Promise<number[]>>();
const KNOWN_MAX = 512;

/**
 * Bucket starts (epoch ms, instants) of the range in the project's calendar; `all` is [from].
 * They depend on nothing but the zone's rules, so each list is worked out once and kept (the
 * last 512): a dashboard asks for the same few ranges all day, and the query that lists them
 * would otherwise wait for a reader before every series. Callers must not change the list.
 */
export function listBuckets(ctx: QueryContext, granularity: Granularity): Promise<number[]> {
  checkRange(ctx.from, ctx.to);
  if (granularity === 'all') return Promise.resolve([ctx.from]);
  const key = [ctx.dialect.name, ctx.timeZone, granularity, ctx.from, ctx.to].join('|');
  const found = known.get(key);
  if (found) {
    known.delete(key);
    known.set(key, found);
    return found;
  }
  const listing = queryBuckets(ctx, granularity);
  known.set(key, listing);
  // A failed listing is not kept: the next call asks again.
  listing.catch(() => known.delete(key));
  if (known.size > KNOWN_MAX) known.delete(known.keys().next().value as string);
  return listing;
}

async function queryBuckets(
  ctx: QueryContext,
  granularity: Exclude<Granularity, 'all'>,
): Promise<number[]> {
  const estimate = Math.ceil((ctx.to - ctx.from) / APPROX_MS[granularity]);
  if (estimate > MAX_BUCKETS + 2)
    throw new SightlineError(ERR_QUERY_TOO_MANY_BUCKETS, {
      buckets: estimate,
      granularity,
      max: MAX_BUCKETS,
    });
  const p = new SqlParams();
  const zone = p.add(ctx.timeZone);
  const from = ctx.dialect.instant(p.add(new Date(ctx.from).toISOString()));
  const to = ctx.dialect.instant(p.add(new Date(ctx.to).toISOString()));
  // Local bucket starts from the one holding `from` up to the one holding the last instant.
  const rows = await runQuery(
    ctx,
    `SELECT ${ctx.dialect.epochMs(`timezone(${zone}, g)`)} AS t FROM generate_series(` +
      `date_trunc('${granularity}', timezone(${zone}, ${from})), ` +
      `timezone(${zone}, ${to} - INTERVAL 1 MILLISECOND), INTERVAL 1 ${granularity}) s(g) ORDER BY 1`,
    p.values,
  );
  // Frozen: the list is shared by every caller of the same range.
  return Object.freeze(rows.map((row) => Number(row.t))) as number[];
}

/** Where bucket i ends: the next bucket's start, and the range's end for the last one. */
export function bucketEnd(buckets: readonly number[], index: number, to: number): number {
  return index + 1 < buckets.length ? (buckets[index + 1] as number) : to;
}

export function checkRange(from: number, to: number): void {
  const reason =
    !Number.isFinite(from) || !Number.isFinite(to)
      ? 'from and to must be instants'
      : from >= to
        ? 'from must be before to'
        : to - from > MAX_RANGE_DAYS * DAY_MS
          ? `longer than ${MAX_RANGE_DAYS} days`
          : null;
  if (reason)
    throw new SightlineError(ERR_QUERY_RANGE_INVALID, { reason, maxDays: MAX_RANGE_DAYS });
}

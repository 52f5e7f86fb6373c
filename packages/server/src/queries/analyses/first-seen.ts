import { zoneArg } from '../context/zone-arg.ts';
import { runQuery } from '../sql/run-query.ts';
import { ACTIVE_EVENT_CONDITIONS as ACTIVE_CONDITIONS } from '@sightline/shared';
import type { QueryContext } from '../context/query-context.ts';
import { metricCondition, scopeConditions } from '../context/scope-conditions.ts';
import { openSource } from '../context/sources.ts';
import { SqlParams } from '../sql/sql-params.ts';
import { allBucketSql, groupExpr } from '../series/aggregate-sql.ts';
import { layOut, type FormulaRun, type Series } from '../series/aggregate-series.ts';
import { keptByPeopleRollup, PEOPLE_FIELDS, rollupPerson } from '../series/rollups.ts';

/**
 * Each person's first valid event ever, as a row of `events` with its person: filters and
 * breakdowns then apply to that first event (new users "from channel X" are people whose very
 * first event came from X).
 */
export function firstEventsSql(ctx: QueryContext, params: SqlParams): string {
  const inner = openSource('events', ctx, params);
  const person = inner.person;
  const where = [
    `e.project_id = ${params.shared(ctx.projectId)}`,
    ...ACTIVE_CONDITIONS.map((c) => metricCondition(c, inner, params, ctx.dialect)),
    // Events naming nobody (no user, anonymous or device id) are not a person.
    `${person} IS NOT NULL`,
  ];
  return (
    `(SELECT e.*, ${person} AS first_person FROM ${inner.from()} WHERE ${where.join(' AND ')} ` +
    `QUALIFY row_number() OVER (PARTITION BY ${person} ORDER BY e.event_time, e.event_id) = 1)`
  );
}

/**
 * The same first events from rollup_first_events (store/duckdb/people-rollups.ts): each
 * person's earliest id tuple after the identity merge, a row per tuple instead of per event. It
 * keeps the people rollup's dimensions only, so new users use it when no segment is set and
 * filters, row-level scope and breakdown are on those (`firstEventsRollupAnswers`).
 */
function firstEventsFromRollupSql(ctx: QueryContext, params: SqlParams): string {
  const person = rollupPerson('r');
  const dimensions = PEOPLE_FIELDS.map((field) => `nullif(r.${field}, '') AS ${field}`);
  return (
    `(SELECT r.project_id, r.event_time, r.event_id, ${dimensions.join(', ')}, ` +
    `${person} AS first_person ${rollupTuplesOf(ctx, params)} ` +
    `QUALIFY row_number() OVER (PARTITION BY ${person} ORDER BY r.event_time, r.event_id) = 1)`
  );
}

/** FROM … WHERE for the project's rows of rollup_first_events (alias r) that name a person. */
function rollupTuplesOf(ctx: QueryContext, params: SqlParams): string {
  const person = rollupPerson('r');
  return (
    `FROM rollup_first_events r LEFT JOIN identities idn ON ` +
    `idn.project_id = r.project_id AND idn.anonymous_id = nullif(r.anonymous_id, '') ` +
    `WHERE r.project_id = ${params.shared(ctx.projectId)} AND ${person} IS NOT NULL`
  );
}

/**
 * Only when each person was first seen, from the same rollup: the earliest time of their id
 * tuples, a grouping where the ranked rows above need a sort (on 10M events 35 ms against
 * 68 ms). Columns project_id, first_person and event_time.
 */
function firstSeenFromRollupSql(ctx: QueryContext, params: SqlParams): string {
  const person = rollupPerson('r');
  return (
    `(SELECT r.project_id, ${person} AS first_person, min(r.event_time) AS event_time ` +
    `${rollupTuplesOf(ctx, params)} GROUP BY r.project_id, ${person})`
  );
}

/** Whether the rollup gives the exact answer: rollups on, no segment, kept dimensions only. */
function firstEventsRollupAnswers(ctx: QueryContext, run: FormulaRun): boolean {
  if (!ctx.useRollups || ctx.segmentId) return false;
  return [...ctx.filters, ...ctx.rowScope, ...(run.groupBy ? [run.groupBy] : [])].every(
    keptByPeopleRollup,
  );
}

/**
 * New users: people whose first valid event ever is in the bucket. By `all` with several
 * buckets, each is a span up to the next (computeMetricOverSpans): every person's first event is
 * found once for all of them.
 */
export async function computeNewUsers(
  ctx: QueryContext,
  _p: unknown,
  run: FormulaRun,
): Promise<Series> {
  const params = new SqlParams();
  // Without a filter, scope or breakdown nothing reads the first event's dimensions.
  const timeOnly = ctx.filters.length === 0 && ctx.rowScope.length === 0 && !run.groupBy;
  const first = !firstEventsRollupAnswers(ctx, run)
    ? firstEventsSql(ctx, params)
    : timeOnly
      ? firstSeenFromRollupSql(ctx, params)
      : firstEventsFromRollupSql(ctx, params);
  const source = openSource('events', ctx, params, first);
  const zone = zoneArg(ctx, params);
  // By `all`, one value per span of run.buckets (usually one: the range).
  const bucket =
    run.granularity === 'all'
      ? allBucketSql(ctx, run.buckets, source.time, params)
      : ctx.dialect.bucketStartMs(run.granularity, source.time, zone);
  const group = groupExpr(source, run.groupBy, params);
  const where = scopeConditions(ctx, source, params);
  const rows = await runQuery(
    ctx,
    `SELECT ${bucket} AS bucket, ${group} AS grp, count(*) AS value FROM ${source.from()} WHERE ${where.join(' AND ')} GROUP BY ALL`,
    params.values,
  );
  return layOut(run, rows, 0);
}

/** Returning users: people active in the bucket whose first valid event was before it began. */
export async function computeReturningUsers(
  ctx: QueryContext,
  _p: unknown,
  run: FormulaRun,
): Promise<Series> {
  const params = new SqlParams();
  // Only each person's first event time is needed here, whatever the filters.
  const first = ctx.useRollups ? firstSeenFromRollupSql(ctx, params) : firstEventsSql(ctx, params);
  const source = openSource('events', ctx, params);
  const zone = zoneArg(ctx, params);
  const start =
    run.granularity === 'all'
      ? ctx.dialect.instant(params.add(new Date(ctx.from).toISOString()))
      : ctx.dialect.bucketStart(run.granularity, source.time, zone);
  const bucket =
    run.granularity === 'all' ? `${params.add(ctx.from)}::BIGINT` : ctx.dialect.epochMs(start);
  const group = groupExpr(source, run.groupBy, params);
  const person = source.person;
  const where = [
    ...scopeConditions(ctx, source, params),
    ...ACTIVE_CONDITIONS.map((c) => metricCondition(c, source, params, ctx.dialect)),
    `f.event_time < ${start}`,
  ];
  const rows = await runQuery(
    ctx,
    `SELECT ${bucket} AS bucket, ${group} AS grp, ${ctx.dialect.countDistinct(person)} AS value ` +
      `FROM ${source.from()} JOIN ${first} f ON f.first_person = ${person} WHERE ${where.join(' AND ')} GROUP BY ALL`,
    params.values,
  );
  return layOut(run, rows, 0);
}

import { zoneArg } from '../context/zone-arg.ts';
import { runQuery } from '../sql/run-query.ts';
import { ACTIVE_EVENT_CONDITIONS as ACTIVE_CONDITIONS } from '@sightline/shared';
import type { QueryContext } from '../context/query-context.ts';
import { metricCondition, scopeConditions } from '../context/scope-conditions.ts';
import { openSource } from '../context/sources.ts';
import { SqlParams } from '../sql/sql-params.ts';
import { groupExpr } from '../series/aggregate-sql.ts';
import { layOut, type FormulaRun, type Series } from '../series/aggregate-series.ts';

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

/** New users: people whose first valid event ever is in the bucket. */
export async function computeNewUsers(
  ctx: QueryContext,
  _p: unknown,
  run: FormulaRun,
): Promise<Series> {
  const params = new SqlParams();
  const first = firstEventsSql(ctx, params);
  const source = openSource('events', ctx, params, first);
  const zone = zoneArg(ctx, params);
  const bucket =
    run.granularity === 'all'
      ? `${params.add(ctx.from)}::BIGINT`
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
  const first = firstEventsSql(ctx, params);
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

import { zoneArg } from '../context/zone-arg.ts';
import { runQuery } from '../sql/run-query.ts';
import { ACTIVE_EVENT_CONDITIONS } from '@sightline/shared';
import type { QueryContext } from '../context/query-context.ts';
import { metricCondition, scopeConditions } from '../context/scope-conditions.ts';
import { openSource } from '../context/sources.ts';
import { SqlParams } from '../sql/sql-params.ts';
import { groupExpr } from '../series/aggregate-sql.ts';
import { layOut, type FormulaRun, type Series } from '../series/aggregate-series.ts';

/**
 * Sessions of the range: valid events grouped by session_id, each with its start, end, page
 * views and interactions (type `event`), placed in the bucket it started in. A breakdown takes
 * the value of the session's first event.
 */
function sessionsSql(ctx: QueryContext, params: SqlParams, run: FormulaRun): string {
  const { dialect } = ctx;
  const source = openSource('events', ctx, params);
  const group = groupExpr(source, run.groupBy, params);
  const where = [
    ...scopeConditions(ctx, source, params),
    ...ACTIVE_EVENT_CONDITIONS.map((c) => metricCondition(c, source, params, dialect)),
    'e.session_id IS NOT NULL',
  ];
  return (
    `SELECT e.session_id, min(e.event_time) AS started, max(e.event_time) AS ended, ` +
    `${dialect.argMin(group, 'e.event_time')} AS grp, ` +
    `${dialect.countIf(`e.name = 'page_view'`)} AS views, ${dialect.countIf(`e.type = 'event'`)} AS interactions ` +
    `FROM ${source.from()} WHERE ${where.join(' AND ')} GROUP BY e.session_id`
  );
}

function bucketOf(ctx: QueryContext, params: SqlParams, run: FormulaRun): string {
  return run.granularity === 'all'
    ? `${params.add(ctx.from)}::BIGINT`
    : ctx.dialect.epochMs(
        ctx.dialect.bucketStart(run.granularity, 's.started', zoneArg(ctx, params)),
      );
}

/** Mean seconds from a session's first to its last valid event. */
export async function computeSessionLength(
  ctx: QueryContext,
  _p: unknown,
  run: FormulaRun,
): Promise<Series> {
  const params = new SqlParams();
  const sessions = sessionsSql(ctx, params, run);
  const rows = await runQuery(
    ctx,
    `SELECT ${bucketOf(ctx, params, run)} AS bucket, s.grp AS grp, ` +
      `avg(${ctx.dialect.secondsBetween('s.started', 's.ended')}) AS value FROM (${sessions}) s GROUP BY ALL`,
    params.values,
  );
  return layOut(run, rows, null);
}

/** Sessions with one page view and no interaction / sessions with a page view. */
export async function computeBounceRate(
  ctx: QueryContext,
  _p: unknown,
  run: FormulaRun,
): Promise<Series> {
  const params = new SqlParams();
  const sessions = sessionsSql(ctx, params, run);
  const rows = await runQuery(
    ctx,
    `SELECT ${bucketOf(ctx, params, run)} AS bucket, s.grp AS grp, ` +
      `${ctx.dialect.countIf('s.views = 1 AND s.interactions = 0')} / count(*) AS value ` +
      `FROM (${sessions}) s WHERE s.views > 0 GROUP BY ALL`,
    params.values,
  );
  return layOut(run, rows, null);
}

import { zoneArg } from '../context/zone-arg.ts';
import { addLocalDays, startOfLocalDate, toLocalDate } from '../../platform/index.ts';
import type { QueryContext } from '../context/query-context.ts';
import { layOut, type FormulaRun, type Series } from '../series/aggregate-series.ts';
import { runQuery } from '../sql/run-query.ts';
import { SqlParams } from '../sql/sql-params.ts';
import { activitySql, cohortEntrySql } from './cohort-sql.ts';

/**
 * Day-N retention of signup cohorts (retention_d1, _d7, _d30): people whose first sign_up is on
 * local day T and who have a valid event on day T+N, over people who signed up on day T, summed
 * over the signup days of each bucket whose day T+N has ended by now. No complete signup day (or
 * no signup on them): null. The bucket breakdown is the sign_up event's.
 */
export async function computeRetention(
  ctx: QueryContext,
  params: Readonly<Record<string, number>>,
  run: FormulaRun,
): Promise<Series> {
  const n = params.day ?? 1;
  const { dialect } = ctx;
  const zone = ctx.timeZone;
  const sql = new SqlParams();
  const tz = zoneArg(ctx, sql);
  const entries = cohortEntrySql(ctx, sql, 'signup', {
    range: { from: ctx.from, to: ctx.to },
    groupBy: run.groupBy,
  });
  // Day T+N is over when day T+N+1 has begun: signup days up to this one are complete.
  const lastComplete = addLocalDays(toLocalDate(ctx.now, zone), -n - 1);
  const activity = activitySql(ctx, sql, {
    range: {
      from: startOfLocalDate(addLocalDays(toLocalDate(ctx.from, zone), n), zone),
      to: startOfLocalDate(addLocalDays(toLocalDate(ctx.to - 1, zone), n + 1), zone),
    },
  });
  const bucket =
    run.granularity === 'all'
      ? `${sql.add(ctx.from)}::BIGINT`
      : dialect.epochMs(dialect.bucketStart(run.granularity, 'c.entered', tz));
  const day = dialect.localDate('e.entered', tz);
  const query =
    `WITH c AS (SELECT *, ${day} AS d FROM (${entries}) e), ` +
    `a AS (SELECT DISTINCT who, ${dialect.localDate('t', tz)} AS d FROM (${activity}) x) ` +
    `SELECT ${bucket} AS bucket, c.grp AS grp, count(a.who) / count(*) AS value FROM c ` +
    `LEFT JOIN a ON a.who = c.who AND a.d = ${dialect.addDays('c.d', sql.add(n))} ` +
    `WHERE c.d <= CAST(${sql.add(lastComplete)} AS DATE) GROUP BY ALL`;
  const rows = await runQuery(ctx, query, sql.values);
  return layOut(run, rows, null);
}

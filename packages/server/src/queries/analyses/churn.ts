import { zoneArg } from '../context/zone-arg.ts';
import { addLocalDays, startOfLocalDate, toLocalDate } from '../../platform/index.ts';
import type { QueryContext } from '../context/query-context.ts';
import { layOut, type FormulaRun, type Series } from '../series/aggregate-series.ts';
import { runQuery } from '../sql/run-query.ts';
import { SqlParams } from '../sql/sql-params.ts';
import { activitySql } from './cohort-sql.ts';

/**
 * Churn rate over N days (churn_rate_14d, _30d). For each bucket the window is the N local days
 * ending on the bucket's last day, or on today for a bucket not yet over (events after now are
 * not read). Of the people with a valid event in the N days before the window, the share with
 * no valid event in the window. No such people: null. Buckets that start after now: null.
 */
export async function computeChurn(
  ctx: QueryContext,
  params: Readonly<Record<string, number>>,
  run: FormulaRun,
): Promise<Series> {
  const n = params.days ?? 30;
  const { dialect } = ctx;
  const zone = ctx.timeZone;
  const end = Math.min(ctx.to, ctx.now);
  if (end <= ctx.from) return layOut(run, [], null);
  const firstDay = toLocalDate(ctx.from, zone);
  const lastDay = toLocalDate(end - 1, zone);
  const sql = new SqlParams();
  const tz = zoneArg(ctx, sql);
  const activity = activitySql(ctx, sql, {
    range: { from: startOfLocalDate(addLocalDays(firstDay, 1 - 2 * n), zone), to: end },
  });
  const toDateParam = (value: string) => `CAST(${sql.add(value)} AS DATE)`;
  const dayStart = dialect.fromLocalTime('CAST(cal.d AS TIMESTAMP)', tz);
  const bucket =
    run.granularity === 'all'
      ? `${sql.add(ctx.from)}::BIGINT`
      : dialect.epochMs(dialect.bucketStart(run.granularity, dayStart, tz));
  const shiftDays = (days: number) => dialect.addDays('w.l', sql.add(days));
  const query =
    `WITH cal AS (SELECT CAST(g AS DATE) AS d FROM generate_series(CAST(${toDateParam(firstDay)} AS TIMESTAMP), ` +
    `CAST(${toDateParam(lastDay)} AS TIMESTAMP), INTERVAL 1 DAY) t(g)), ` +
    // Each bucket's window ends on its last day that has begun.
    `w AS (SELECT ${bucket} AS bucket, max(cal.d) AS l FROM cal GROUP BY 1), ` +
    `act AS (SELECT DISTINCT who, ${dialect.localDate('t', tz)} AS d FROM (${activity}) x), ` +
    `base AS (SELECT DISTINCT w.bucket, act.who FROM w JOIN act ON act.d > ${shiftDays(-2 * n)} ` +
    `AND act.d <= ${shiftDays(-n)}), ` +
    `kept AS (SELECT DISTINCT w.bucket, act.who FROM w JOIN act ON act.d > ${shiftDays(-n)} ` +
    `AND act.d <= w.l) ` +
    `SELECT base.bucket AS bucket, CAST(NULL AS VARCHAR) AS grp, ` +
    `(count(*) - count(kept.who)) / count(*) AS value FROM base LEFT JOIN kept ` +
    `ON kept.bucket = base.bucket AND kept.who = base.who GROUP BY 1, 2`;
  const rows = await runQuery(ctx, query, sql.values);
  return layOut(run, rows, null);
}

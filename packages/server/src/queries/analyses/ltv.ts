import { zoneArg } from '../context/zone-arg.ts';
import { addLocalMonths, startOfLocalDate, toLocalDate } from '../../platform/index.ts';
import type { QueryContext } from '../context/query-context.ts';
import { layOut, type FormulaRun, type Series } from '../series/aggregate-series.ts';
import { runQuery } from '../sql/run-query.ts';
import { SqlParams } from '../sql/sql-params.ts';
import { cohortEntrySql, paidOrdersSql } from './cohort-sql.ts';

const getMonthStart = (date: string) => `${date.slice(0, 8)}01`;

/**
 * LTV of signup cohorts (ltv_6m): LTV(t) = Σ_{τ=0..t} ARPU_cohort(τ) × Survival(τ) / (1+d)^τ
 * with t = months − 1. ARPU × Survival is the cohort's GMV in month τ over the cohort size
 * (the members active in month τ cancel out), computed that way so a month in which buyers left
 * no other event still counts. Month τ is the τ-th calendar month after the member's signup
 * month (month 0 from the sign-up on). A bucket's cohort is the people whose first sign_up is in
 * it; members whose month t has not ended by now are left out; none left: null.
 */
export async function computeLtv(
  ctx: QueryContext,
  params: Readonly<Record<string, number>>,
  run: FormulaRun,
): Promise<Series> {
  const months = params.months ?? 6;
  const discount = params.monthlyDiscount ?? 0;
  const { dialect } = ctx;
  const zone = ctx.timeZone;
  const sql = new SqlParams();
  const tz = zoneArg(ctx, sql);
  const entries = cohortEntrySql(ctx, sql, 'signup', {
    range: { from: ctx.from, to: ctx.to },
    groupBy: run.groupBy,
  });
  // Members of signup months from this one on have months still running.
  const firstOpenMonth = addLocalMonths(getMonthStart(toLocalDate(ctx.now, zone)), 1 - months);
  const ordersTo = startOfLocalDate(
    addLocalMonths(getMonthStart(toLocalDate(ctx.to - 1, zone)), months),
    zone,
  );
  const orders = paidOrdersSql(ctx, sql, { range: { from: ctx.from, to: ordersTo } });
  const bucket =
    run.granularity === 'all'
      ? `${sql.add(ctx.from)}::BIGINT`
      : dialect.epochMs(dialect.bucketStart(run.granularity, 'c.entered', tz));
  const tau = dialect.periodsBetween('month', 'c.d', dialect.localDate('o.t', tz));
  const query =
    `WITH c AS (SELECT *, ${dialect.localDate('entered', tz)} AS d FROM (${entries}) e ` +
    `WHERE ${dialect.localDate('entered', tz)} < CAST(${sql.add(firstOpenMonth)} AS DATE)) ` +
    `SELECT ${bucket} AS bucket, c.grp AS grp, -1 AS tau, count(*) AS n FROM c GROUP BY ALL ` +
    `UNION ALL SELECT bucket, grp, tau, sum(amount) AS n FROM (SELECT ${bucket} AS bucket, ` +
    `c.grp AS grp, ${tau} AS tau, o.amount FROM c JOIN (${orders}) o ON o.who = c.who ` +
    `AND o.t >= c.entered) r WHERE tau BETWEEN 0 AND ${sql.add(months - 1)} GROUP BY ALL`;
  const rows = await runQuery(ctx, query, sql.values);
  const cohorts = new Map<string, { bucket: number; grp: unknown; size: number; ltv: number }>();
  const keyOf = (row: Record<string, unknown>) =>
    `${Number(row.bucket)}|${JSON.stringify(row.grp)}`;
  for (const row of rows)
    if (Number(row.tau) < 0)
      cohorts.set(keyOf(row), {
        bucket: Number(row.bucket),
        grp: row.grp,
        size: Number(row.n),
        ltv: 0,
      });
  for (const row of rows) {
    const cohort = cohorts.get(keyOf(row));
    if (Number(row.tau) < 0 || !cohort) continue;
    cohort.ltv += Number(row.n) / cohort.size / (1 + discount) ** Number(row.tau);
  }
  return layOut(
    run,
    [...cohorts.values()].map((c) => ({ bucket: c.bucket, grp: c.grp, value: c.ltv })),
    null,
  );
}

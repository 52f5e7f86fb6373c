import { zoneArg } from '../../context/zone-arg.ts';
import { z } from 'zod';
import { addLocalDays, toLocalDate } from '../../../platform/index.ts';
import { activitySql, type EventSelector, type PeriodUnit } from '../../analyses/cohort-sql.ts';
import type { QueryContext } from '../../context/query-context.ts';
import { listBuckets } from '../../series/buckets.ts';
import { runQuery } from '../../sql/run-query.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import { defineReport } from '../define-report.ts';
import { eventSelectorSchema, periodSchema, resolvePeriod } from './shared-params.ts';

export const stickinessParams = z.object({
  interval: periodSchema
    .optional()
    .describe('The unit people are counted in. Default: the granularity (day).'),
  activityEvent: eventSelectorSchema
    .optional()
    .describe('The event that counts as activity (default any valid event)'),
});
export type StickinessParams = z.infer<typeof stickinessParams>;

const stickinessResult = z.object({
  interval: periodSchema,
  intervals: z.number().describe('intervals in the range (partial ones at its edges included)'),
  activePeople: z.number().describe('people active at least once in the range'),
  distribution: z.array(
    z.object({
      intervals: z.number().describe('active in exactly this many intervals'),
      people: z.number(),
      share: z.number().nullable().describe('people / activePeople'),
    }),
  ),
  days: z.number().describe('local days of the range that have begun by now'),
  averageDailyActive: z.number().nullable().describe('people active per day, averaged over days'),
  dauMauRatio: z
    .number()
    .nullable()
    .describe('averageDailyActive / activePeople (for a month-long range: DAU/MAU)'),
});
export type StickinessResult = z.infer<typeof stickinessResult>;

/** Local days of the range that have begun by now (the partial first and last day included). */
function countElapsedDays(ctx: QueryContext): { days: number; last: string | null } {
  const end = Math.min(ctx.to, ctx.now);
  if (end <= ctx.from) return { days: 0, last: null };
  const first = toLocalDate(ctx.from, ctx.timeZone);
  const last = toLocalDate(end - 1, ctx.timeZone);
  let days = 1;
  for (let d = first; d < last; d = addLocalDays(d, 1)) days += 1;
  return { days, last };
}

/** How many intervals of the range each active person was active in, and DAU / MAU. */
export async function computeStickiness(
  ctx: QueryContext,
  unit: PeriodUnit,
  event: EventSelector | null,
): Promise<StickinessResult> {
  const { dialect } = ctx;
  const starts = await listBuckets(ctx, unit);
  const elapsed = countElapsedDays(ctx);
  const params = new SqlParams();
  const zone = zoneArg(ctx, params);
  const activity = activitySql(ctx, params, { event, range: { from: ctx.from, to: ctx.to } });
  const day = dialect.localDate('x.t', zone);
  // Person-days up to today: their sum over days is the sum of daily actives.
  const lastDay = elapsed.last ? `CAST(${params.add(elapsed.last)} AS DATE)` : 'NULL';
  const sql =
    `WITH a AS (SELECT DISTINCT x.who, ${day} AS d, ` +
    `${dialect.epochMs(dialect.bucketStart(unit, 'x.t', zone))} AS b FROM (${activity}) x) ` +
    `SELECT 'intervals' AS kind, k, count(*) AS n FROM (SELECT who, ` +
    `${dialect.countDistinct('b')} AS k FROM a GROUP BY who) p GROUP BY 1, 2 ` +
    `UNION ALL SELECT 'person_days' AS kind, 0 AS k, count(*) AS n FROM ` +
    `(SELECT DISTINCT who, d FROM a WHERE d <= ${lastDay}) pd`;
  const rows = await runQuery(ctx, sql, params.values);
  const byIntervals = new Map<number, number>();
  let personDays = 0;
  for (const row of rows) {
    if (row.kind === 'person_days') personDays = Number(row.n);
    else byIntervals.set(Number(row.k), Number(row.n));
  }
  const activePeople = [...byIntervals.values()].reduce((sum, n) => sum + n, 0);
  const average = elapsed.days > 0 ? personDays / elapsed.days : null;
  return {
    interval: unit,
    intervals: starts.length,
    activePeople,
    distribution: starts.map((_, i) => {
      const people = byIntervals.get(i + 1) ?? 0;
      return { intervals: i + 1, people, share: activePeople > 0 ? people / activePeople : null };
    }),
    days: elapsed.days,
    averageDailyActive: average,
    dauMauRatio: average !== null && activePeople > 0 ? average / activePeople : null,
  };
}

export const stickinessReport = defineReport({
  id: 'stickiness',
  summary: 'Stickiness: how many days (weeks, months) of the range people were active',
  description:
    'The range is split into intervals (day, week or month); every person active in the range is ' +
    'counted once, under the number of intervals they were active in. Also the average daily ' +
    'active people divided by the people active in the range (DAU/MAU for a month). Activity is ' +
    'any valid event, or the chosen event. See docs/reports/retention-and-lifecycle.md.',
  params: stickinessParams,
  result: stickinessResult,
  defaultGranularity: 'day',
  run(ctx, params) {
    const unit = resolvePeriod(params.interval, ctx.granularity, 'interval');
    return computeStickiness(ctx, unit, params.activityEvent ?? null);
  },
  toTable(result) {
    return {
      columns: [`${result.interval}s_active`, 'people', 'share'],
      rows: result.distribution.map((row) => [row.intervals, row.people, row.share]),
    };
  },
});

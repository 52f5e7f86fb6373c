import { zoneArg } from '../../context/zone-arg.ts';
import { z } from 'zod';
import { toLocalDate } from '../../../platform/index.ts';
import {
  activitySql,
  firstSeenSql,
  shiftPeriodStart,
  type EventSelector,
  type PeriodUnit,
} from '../../analyses/cohort-sql.ts';
import type { QueryContext } from '../../context/query-context.ts';
import { bucketEnd, listBuckets } from '../../series/buckets.ts';
import { runQuery } from '../../sql/run-query.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import { defineReport } from '../define-report.ts';
import { formatBucket } from '../format-bucket.ts';
import { eventSelectorSchema, resolvePeriod } from './shared-params.ts';

export const lifecycleParams = z.object({
  activityEvent: eventSelectorSchema
    .optional()
    .describe('The event that counts as activity (default any valid event)'),
});
export type LifecycleParams = z.infer<typeof lifecycleParams>;

const STATUSES = ['new', 'returning', 'resurrecting', 'dormant'] as const;
type Status = (typeof STATUSES)[number];

const lifecycleResult = z.object({
  period: z.enum(['day', 'week', 'month']),
  buckets: z.array(
    z.object({
      start: z.string(),
      label: z.string(),
      complete: z.boolean().describe('the bucket has ended (its end is at or before now)'),
      active: z.number().describe('new + returning + resurrecting'),
      new: z.number().describe('first activity ever in this bucket'),
      returning: z.number().describe('active in this bucket and the one before'),
      resurrecting: z.number().describe('active now, not in the bucket before, active earlier'),
      dormant: z.number().describe('active in the bucket before, not in this one (negative)'),
    }),
  ),
});
export type LifecycleResult = z.infer<typeof lifecycleResult>;

/**
 * `SELECT idx, status, n`: people per bucket index (1 = the range's first bucket, 0 = the one
 * before it, read only to classify the first bucket) and status.
 */
function buildLifecycleSql(
  ctx: QueryContext,
  unit: PeriodUnit,
  firstStart: number,
  event: EventSelector | null,
) {
  const { dialect } = ctx;
  const params = new SqlParams();
  const zone = zoneArg(ctx, params);
  const before = shiftPeriodStart(firstStart, unit, -1, ctx.timeZone);
  const base = `CAST(${params.add(toLocalDate(before, ctx.timeZone))} AS DATE)`;
  const toIndex = (t: string) => dialect.periodsBetween(unit, base, dialect.localDate(t, zone));
  const activity = activitySql(ctx, params, { event, range: { from: before, to: ctx.to } });
  const first = firstSeenSql(ctx, params, event);
  const toInstant = (ms: number) => dialect.instant(params.add(new Date(ms).toISOString()));
  // The bucket before the range is read whole; inside the range only from `from` on, so a
  // range starting mid-bucket counts exactly its own part of that bucket.
  const inRange = `(x.t < ${toInstant(firstStart)} OR x.t >= ${toInstant(ctx.from)})`;
  const sql =
    `WITH act AS (SELECT DISTINCT x.who, ${toIndex('x.t')} AS idx FROM (${activity}) x WHERE ${inRange}), ` +
    `f AS (SELECT who, ${toIndex('first_t')} AS fidx FROM (${first}) s), ` +
    `l AS (SELECT who, idx, lag(idx) OVER (PARTITION BY who ORDER BY idx) AS prev, ` +
    `lead(idx) OVER (PARTITION BY who ORDER BY idx) AS next FROM act) ` +
    `SELECT l.idx AS idx, CASE WHEN coalesce(f.fidx, l.idx) >= l.idx THEN 'new' ` +
    `WHEN l.prev = l.idx - 1 THEN 'returning' ELSE 'resurrecting' END AS status, count(*) AS n ` +
    `FROM l LEFT JOIN f ON f.who = l.who GROUP BY 1, 2 ` +
    `UNION ALL SELECT idx + 1 AS idx, 'dormant' AS status, count(*) AS n FROM l ` +
    `WHERE next IS NULL OR next > idx + 1 GROUP BY 1, 2`;
  return { sql, params: params.values };
}

/** People per bucket by lifecycle status; dormant people as a negative number. */
export async function computeLifecycle(
  ctx: QueryContext,
  unit: PeriodUnit,
  event: EventSelector | null,
): Promise<LifecycleResult> {
  const starts = await listBuckets(ctx, unit);
  const built = buildLifecycleSql(ctx, unit, starts[0] ?? ctx.from, event);
  const rows = await runQuery(ctx, built.sql, built.params);
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(`${Number(row.idx)}:${String(row.status)}`, Number(row.n));
  const at = (i: number, status: Status) => counts.get(`${i + 1}:${status}`) ?? 0;
  return {
    period: unit,
    buckets: starts.map((start, i) => ({
      start: new Date(start).toISOString(),
      label: formatBucket(start, ctx.timeZone, unit),
      complete: bucketEnd(starts, i, ctx.to) <= ctx.now,
      active: at(i, 'new') + at(i, 'returning') + at(i, 'resurrecting'),
      new: at(i, 'new'),
      returning: at(i, 'returning'),
      resurrecting: at(i, 'resurrecting'),
      // 0 - n rather than -n: a bucket without dormant people says 0, not -0.
      dormant: 0 - at(i, 'dormant'),
    })),
  };
}

export const lifecycleReport = defineReport({
  id: 'lifecycle',
  summary: 'Lifecycle: new, returning, resurrecting and dormant people per period',
  description:
    'Splits the people active in each bucket (day, week or month: the granularity) into new ' +
    '(first activity ever in the bucket), returning (also active in the bucket before) and ' +
    'resurrecting (not active in the bucket before, but earlier), and counts as dormant (a ' +
    'negative number) the people active in the bucket before but not in this one. Activity is ' +
    'any valid event, or the chosen event. See docs/reports/retention-and-lifecycle.md.',
  params: lifecycleParams,
  result: lifecycleResult,
  defaultGranularity: 'day',
  run(ctx, params) {
    const unit = resolvePeriod(undefined, ctx.granularity, 'granularity');
    return computeLifecycle(ctx, unit, params.activityEvent ?? null);
  },
  toTable(result) {
    return {
      columns: ['bucket', 'active', ...STATUSES, 'complete'],
      rows: result.buckets.map((b) => [
        b.label,
        b.active,
        b.new,
        b.returning,
        b.resurrecting,
        b.dormant,
        b.complete,
      ]),
    };
  },
});

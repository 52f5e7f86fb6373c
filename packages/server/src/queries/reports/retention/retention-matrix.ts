import { zoneArg } from '../../context/zone-arg.ts';
import { ERR_QUERY_INVALID, SightlineError } from '@sightline/shared';
import {
  activitySql,
  cohortEntrySql,
  paidOrdersSql,
  shiftPeriodStart,
  type CohortBy,
  type EventSelector,
  type PeriodUnit,
} from '../../analyses/cohort-sql.ts';
import type { QueryContext } from '../../context/query-context.ts';
import { listBuckets } from '../../series/buckets.ts';
import { runQuery } from '../../sql/run-query.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import { formatBucket } from '../format-bucket.ts';
import { buildSingleScanSql, isSingleScanRetention } from './retention-scan-sql.ts';

export type RetentionValue = 'retention' | 'revenue' | 'repeat_purchase';

export interface RetentionMatrixOptions {
  cohortBy: CohortBy;
  period: PeriodUnit;
  /** Columns 0..periods. */
  periods: number;
  value: RetentionValue;
  /** What counts as a return (value `retention`); null: any valid event. */
  returnEvent: EventSelector | null;
  /** Monthly discount rate d of the LTV formula (value `revenue`, monthly periods). */
  monthlyDiscount: number;
}

export interface RetentionCell {
  offset: number;
  count: number;
  value: number | null;
  complete: boolean;
}

export interface RetentionCohort {
  label: string;
  start: string;
  size: number;
  cells: RetentionCell[];
}

export interface RetentionAverageCell {
  offset: number;
  value: number | null;
  /** Cohorts (with people) whose cell is complete: the ones averaged. */
  cohorts: number;
  /** Their people: the weight of the average. */
  size: number;
}

export interface RetentionMatrix {
  offsets: Array<{ offset: number; label: string }>;
  cohorts: RetentionCohort[];
  average: { size: number; cells: RetentionAverageCell[] };
}

/** Most cells (cohorts × offsets) one matrix may have. */
export const MAX_RETENTION_CELLS = 10_000;
const PREFIX: Record<PeriodUnit, string> = { day: 'D', week: 'W', month: 'M' };

/**
 * `SELECT cohort, k, n`: k = -1 rows carry cohort sizes; k >= 0 rows the per-offset numbers
 * (people active, GMV, or people whose first repeat order falls at that offset).
 */
function buildMatrixSql(ctx: QueryContext, options: RetentionMatrixOptions, activityEnd: number) {
  const { dialect } = ctx;
  const params = new SqlParams();
  const zone = zoneArg(ctx, params);
  const unit = options.period;
  const entries = cohortEntrySql(ctx, params, options.cohortBy, {
    range: { from: ctx.from, to: ctx.to },
  });
  const activityRange = { from: ctx.from, to: activityEnd };
  const toOffset = (t: string) => dialect.periodsBetween(unit, 'cs.cd', dialect.localDate(t, zone));
  const last = params.add(options.periods);
  const cohorts =
    `WITH cs AS (SELECT who, entered, entry_id, ${dialect.localDate('entered', zone)} AS cd, ` +
    `${dialect.epochMs(dialect.bucketStart(unit, 'entered', zone))} AS cohort FROM (${entries}) c)`;
  const sizes = `SELECT cohort, -1 AS k, count(*) AS n FROM cs GROUP BY 1`;
  let cells: string;
  if (options.value === 'retention') {
    const activity = activitySql(ctx, params, { event: options.returnEvent, range: activityRange });
    // One row per person and local day, with the day's last event: a day counts from the
    // moment the person entered (their first period starts at entry, not at midnight).
    const days =
      `SELECT who, ${dialect.localDate('t', zone)} AS d, max(t) AS last_t FROM (${activity}) x ` +
      `GROUP BY 1, 2`;
    cells =
      `SELECT cohort, k, ${dialect.countDistinct('who')} AS n FROM (SELECT cs.cohort, cs.who, ` +
      `${dialect.periodsBetween(unit, 'cs.cd', 'a.d')} AS k FROM cs JOIN (${days}) a ` +
      `ON a.who = cs.who AND a.last_t >= cs.entered) r WHERE k BETWEEN 0 AND ${last} GROUP BY 1, 2`;
  } else {
    const orders = paidOrdersSql(ctx, params, { range: activityRange });
    const joined = (extra: string) =>
      `SELECT cs.cohort, cs.who, o.amount, ${toOffset('o.t')} AS k FROM cs JOIN (${orders}) o ` +
      `ON o.who = cs.who AND o.t >= cs.entered${extra}`;
    cells =
      options.value === 'revenue'
        ? `SELECT cohort, k, sum(amount) AS n FROM (${joined('')}) r ` +
          `WHERE k BETWEEN 0 AND ${last} GROUP BY 1, 2`
        : // Each buyer's earliest order other than the one that made them a buyer.
          `SELECT cohort, k, count(*) AS n FROM (SELECT cohort, who, min(k) AS k FROM ` +
          `(${joined(' AND o.order_id <> cs.entry_id')}) r GROUP BY 1, 2) f ` +
          `WHERE k <= ${last} GROUP BY 1, 2`;
  }
  return { sql: `${cohorts} ${sizes} UNION ALL ${cells}`, params: params.values };
}

/**
 * How the matrix is read: `auto` takes one scan of events when it applies (retention-scan-sql.ts),
 * else the general query that joins the cohort entries with the activity; `joined` always
 * the latter (tests compare the two).
 */
export type RetentionPlan = 'auto' | 'joined';

/** The cohort × offset matrix of the range's cohorts, with the size-weighted average row. */
export async function computeRetentionMatrix(
  ctx: QueryContext,
  options: RetentionMatrixOptions,
  plan: RetentionPlan = 'auto',
): Promise<RetentionMatrix> {
  const unit = options.period;
  const starts = await listBuckets(ctx, unit);
  if (starts.length * (options.periods + 1) > MAX_RETENTION_CELLS)
    throw new SightlineError(ERR_QUERY_INVALID, {
      reason: `a matrix holds at most ${MAX_RETENTION_CELLS} cells (cohorts × offsets): shorten the range or use fewer periods`,
    });
  const lastStart = starts[starts.length - 1] ?? ctx.from;
  const activityEnd = shiftPeriodStart(lastStart, unit, options.periods + 1, ctx.timeZone);
  const built =
    plan === 'auto' && isSingleScanRetention(options)
      ? buildSingleScanSql(ctx, options, activityEnd)
      : buildMatrixSql(ctx, options, activityEnd);
  const rows = await runQuery(ctx, built.sql, built.params);
  const sizes = new Map<number, number>();
  const numbers = new Map<string, number>();
  for (const row of rows) {
    const cohort = Number(row.cohort);
    const k = Number(row.k);
    if (k < 0) sizes.set(cohort, Number(row.n));
    else numbers.set(`${cohort}:${k}`, Number(row.n));
  }
  const offsets = Array.from({ length: options.periods + 1 }, (_, k) => k);
  const cohorts = starts.map((start) =>
    shapeCohort(
      ctx,
      options,
      start,
      sizes.get(start) ?? 0,
      (k) => numbers.get(`${start}:${k}`) ?? 0,
    ),
  );
  return {
    offsets: offsets.map((offset) => ({ offset, label: `${PREFIX[unit]}${offset}` })),
    cohorts,
    average: averageCohorts(cohorts, offsets),
  };
}

function shapeCohort(
  ctx: QueryContext,
  options: RetentionMatrixOptions,
  start: number,
  size: number,
  at: (k: number) => number,
): RetentionCohort {
  const cells: RetentionCell[] = [];
  let count = 0;
  let value = 0;
  for (let k = 0; k <= options.periods; k += 1) {
    const complete = shiftPeriodStart(start, options.period, k + 1, ctx.timeZone) <= ctx.now;
    if (options.value === 'retention') {
      count = at(k);
      value = size > 0 ? count / size : 0;
    } else {
      // Cumulative: GMV up to this offset, or people who have bought again by it.
      count += at(k);
      value =
        options.value === 'revenue'
          ? value + (size > 0 ? at(k) / size / (1 + options.monthlyDiscount) ** k : 0)
          : size > 0
            ? count / size
            : 0;
    }
    cells.push({ offset: k, count, value: complete && size > 0 ? value : null, complete });
  }
  return {
    label: formatBucket(start, ctx.timeZone, options.period),
    start: new Date(start).toISOString(),
    size,
    cells,
  };
}

/** Per offset: the mean of the complete cells, weighted by cohort size. */
function averageCohorts(
  cohorts: readonly RetentionCohort[],
  offsets: readonly number[],
): RetentionMatrix['average'] {
  return {
    size: cohorts.reduce((sum, cohort) => sum + cohort.size, 0),
    cells: offsets.map((offset) => {
      let weighted = 0;
      let size = 0;
      let count = 0;
      for (const cohort of cohorts) {
        const cell = cohort.cells[offset];
        if (!cell || cell.value === null) continue;
        weighted += cell.value * cohort.size;
        size += cohort.size;
        count += 1;
      }
      return { offset, value: size > 0 ? weighted / size : null, cohorts: count, size };
    }),
  };
}

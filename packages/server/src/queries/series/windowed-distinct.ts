import { addLocalDays, startOfLocalDate, toLocalDate } from '../../platform/index.ts';
import { zoneArg } from '../context/zone-arg.ts';
import { runQuery } from '../sql/run-query.ts';
import type { AggregateFormula } from '@sightline/shared';
import { withRange, type QueryContext } from '../context/query-context.ts';
import { metricCondition, scopeConditions } from '../context/scope-conditions.ts';
import { openSource } from '../context/sources.ts';
import { SqlParams } from '../sql/sql-params.ts';
import { openRollupSource } from './rollups.ts';
import { groupExpr, OTHER_GROUP, type GroupBy } from './aggregate-sql.ts';
import {
  aggregateSeries,
  layOut,
  sortGroups,
  type FormulaRun,
  type Series,
} from './aggregate-series.ts';

type Distinct = Extract<AggregateFormula, { kind: 'distinct' }>;
type Window = 'day' | 'week' | 'month';

/** Rolling length of each window when viewed by day. */
export const WINDOW_DAYS: Record<Window, number> = { day: 1, week: 7, month: 30 };

/**
 * Distinct counts with a calendar window (DAU, WAU, MAU):
 * - granularity equal to the window: distinct within each bucket;
 * - by day with a week or month window: the 7 or 30 days ending each day;
 * - coarser than the window: the average over the bucket's days of the daily values;
 * - `all`: the average daily value for DAU, distinct over the whole range for WAU and MAU.
 * Days after now are left out of averages.
 */
export async function windowedDistinct(
  ctx: QueryContext,
  formula: Distinct,
  window: Window,
  run: FormulaRun,
): Promise<Series> {
  const g = run.granularity;
  if (g === 'day' && window === 'day') {
    // Whole days only: the ranking read each day from its local midnight.
    const ranked = fromRanking(ctx, formula, run.groupBy);
    if (ranked && ranked.buckets[0] === ctx.from && sameDays(ranked.buckets, run.buckets))
      return ranked;
  }
  if (g === window || (g === 'all' && window !== 'day')) return aggregateSeries(ctx, formula, run);
  if (window === 'day') return averageOfDays(ctx, formula, run);
  const rollingDays = WINDOW_DAYS[window];
  const params = new SqlParams();
  const { dialect } = ctx;
  const source = openRollupSource(ctx, formula, run) ?? openSource(formula.source, ctx, params);
  const zone = zoneArg(ctx, params);
  const who =
    formula.of === 'person'
      ? source.person
      : formula.of === 'user'
        ? source.user
        : (source.field(formula.of)?.sql ?? 'NULL');
  const group = groupExpr(source, run.groupBy, params);
  // From local midnight of the first day's window start: the N − 1 days before it and itself.
  const firstDay = toLocalDate(ctx.from, ctx.timeZone);
  const lookback = {
    from: startOfLocalDate(addLocalDays(firstDay, 1 - rollingDays), ctx.timeZone),
    to: ctx.to,
  };
  const where = [
    ...scopeConditions(ctx, source, params, { range: lookback }),
    ...(source.conditionsApplied ? [] : (formula.where ?? [])).map((c) =>
      metricCondition(c, source, params, dialect),
    ),
    `${who} IS NOT NULL`,
  ];
  const first = dialect.localDate(
    dialect.instant(params.add(new Date(ctx.from).toISOString())),
    zone,
  );
  const lastInstant = new Date(Math.min(ctx.to, Math.max(ctx.now, ctx.from + 1)) - 1).toISOString();
  const last = dialect.localDate(dialect.instant(params.add(lastInstant)), zone);
  const dayStart = (d: string) => dialect.fromLocalTime(`CAST(${d} AS TIMESTAMP)`, zone);
  const bucket =
    g === 'all'
      ? `${params.add(ctx.from)}::BIGINT`
      : dialect.bucketStartMs(g, dayStart('cal.d'), zone);
  const dayOf = dialect.localDate(source.time, zone);
  const from = `${source.from()} WHERE ${where.join(' AND ')}`;
  // Every day of the calendar joined to the days before it that its window covers.
  const daily =
    `act AS (SELECT DISTINCT ${dayOf} AS d, ${group} AS grp, ${who} AS who FROM ${from}), ` +
    `daily AS (SELECT cal.d, act.grp, ${dialect.countDistinct('act.who')} AS n FROM cal JOIN act ` +
    `ON act.d > ${dialect.addDays('cal.d', String(-rollingDays))} AND act.d <= cal.d GROUP BY ALL)`;
  const sql =
    `WITH cal AS (SELECT CAST(g AS DATE) AS d FROM generate_series(CAST(${first} AS TIMESTAMP), ` +
    `CAST(${last} AS TIMESTAMP), INTERVAL 1 DAY) t(g)), ${daily}, ` +
    `days AS (SELECT ${bucket} AS bucket, count(*) AS days FROM cal GROUP BY 1) ` +
    `SELECT days.bucket, daily.grp, sum(daily.n) / days.days AS value FROM daily ` +
    `JOIN cal ON cal.d = daily.d JOIN days ON days.bucket = ${bucket} GROUP BY days.bucket, daily.grp, days.days`;
  const rows = await runQuery(ctx, sql, params.values);
  return layOut(run, rows, 0);
}

/**
 * Every group's value on each day of the context's range up to now, as DAU by day: what
 * averages over a coarser bucket are made of, and what ranks a breakdown of DAU (rankGroups).
 * Each call is one query (identical calls running together share it, see runQuery).
 */
export async function dailyValues(
  ctx: QueryContext,
  formula: Distinct,
  groupBy: GroupBy | null,
): Promise<Series> {
  const zone = ctx.timeZone;
  const lastDay = toLocalDate(Math.min(ctx.to, Math.max(ctx.now, ctx.from + 1)) - 1, zone);
  const days: number[] = [];
  for (let day = toLocalDate(ctx.from, zone); day <= lastDay; day = addLocalDays(day, 1))
    days.push(startOfLocalDate(day, zone));
  return aggregateSeries(withRange(ctx, days[0] ?? ctx.from, ctx.to), formula, {
    granularity: 'day',
    buckets: days,
    groupBy,
  });
}

/**
 * The daily values of every group that ranking a breakdown read (groupBy.ranked), as the
 * breakdown's: kept groups as they are, the one group left out (there is at most one) as
 * OTHER_GROUP. Null unless they are of this formula in this very context.
 */
function fromRanking(ctx: QueryContext, formula: Distinct, groupBy: GroupBy | null): Series | null {
  const ranked = groupBy?.ranked;
  if (!groupBy || !ranked || ranked.ctx !== ctx || ranked.formula !== formula) return null;
  const keep = new Set(groupBy.keep ?? []);
  const groups = ranked.daily.groups.map((group) => ({
    key: group.key === null || keep.has(group.key) ? group.key : OTHER_GROUP,
    values: group.values,
  }));
  // Kept groups without a value on any day are there, as a query would give them.
  for (const key of keep)
    if (!groups.some((group) => group.key === key))
      groups.push({ key, values: ranked.daily.buckets.map(() => 0) });
  return { ...ranked.daily, groups: sortGroups(groups, groupBy.keep ?? []) };
}

/**
 * DAU over a coarser bucket: the average of its days' values (days after now left out). The
 * days come from the same query as DAU by day, so a trend's daily values and their average
 * share one run (see runQuery).
 */
async function averageOfDays(ctx: QueryContext, formula: Distinct, run: FormulaRun) {
  const daily =
    fromRanking(ctx, formula, run.groupBy) ?? (await dailyValues(ctx, formula, run.groupBy));
  const days = daily.buckets;
  // The bucket of each day: the last one starting at or before it.
  const bucketOf = days.map((start) => {
    let at = 0;
    while (at + 1 < run.buckets.length && (run.buckets[at + 1] as number) <= start) at += 1;
    return at;
  });
  const daysIn = run.buckets.map((_, b) => bucketOf.filter((at) => at === b).length);
  return {
    granularity: run.granularity,
    buckets: run.buckets,
    groups: daily.groups.map((group) => {
      const sums = run.buckets.map((_, b) =>
        group.values.reduce<number>(
          (sum, value, i) => sum + (bucketOf[i] === b ? (value ?? 0) : 0),
          0,
        ),
      );
      return {
        key: group.key,
        values: sums.map((sum, b) => (daysIn[b] ? sum / daysIn[b] : 0)),
      };
    }),
  };
}

const sameDays = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((day, i) => day === b[i]);

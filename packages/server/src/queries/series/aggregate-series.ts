import { runQuery } from '../sql/run-query.ts';
import type { AggregateFormula, Granularity } from '@sightline/shared';
import type { QueryContext } from '../context/query-context.ts';
import { buildAggregate, buildAggregateSql, OTHER_GROUP, type GroupBy } from './aggregate-sql.ts';
import { bucketEnd } from './buckets.ts';

/** One metric over time: values per bucket, per breakdown group (key null without breakdown). */
export interface Series {
  granularity: Granularity;
  /** Bucket starts, epoch ms. */
  buckets: number[];
  groups: SeriesGroup[];
}

export interface SeriesGroup {
  /** The breakdown value; OTHER_GROUP for the rest; null for no value or no breakdown. */
  key: string | null;
  values: Array<number | null>;
}

export interface FormulaRun {
  granularity: Granularity;
  buckets: number[];
  groupBy: GroupBy | null;
}

/** Runs an aggregate and lays its rows out on the buckets (missing counts are 0). */
export async function aggregateSeries(
  ctx: QueryContext,
  formula: AggregateFormula,
  run: FormulaRun,
): Promise<Series> {
  const { sql, params } = buildAggregateSql(ctx, formula, {
    granularity: run.granularity,
    groupBy: run.groupBy,
  });
  const rows = await runQuery(ctx, sql, params);
  return finishSeries(ctx, formula, run, rows);
}

/**
 * The series and each group's total over the range (as aggregateSeries with granularity `all`)
 * from one pass; null when the aggregate cannot give both at once (the busiest second).
 */
export async function aggregateSeriesWithTotal(
  ctx: QueryContext,
  formula: AggregateFormula,
  run: FormulaRun,
): Promise<{ series: Series; total: Series } | null> {
  if (run.granularity === 'all') return null;
  const built = buildAggregate(ctx, formula, {
    granularity: run.granularity,
    groupBy: run.groupBy,
    withTotal: true,
  });
  if (!built) return null;
  const rows = await runQuery(ctx, built.sql, built.params);
  const isTotal = (row: Record<string, unknown>) => Number(row.total) === 1;
  return {
    series: finishSeries(
      ctx,
      formula,
      run,
      rows.filter((row) => !isTotal(row)),
    ),
    total: finishSeries(
      ctx,
      formula,
      { granularity: 'all', buckets: [ctx.from], groupBy: run.groupBy },
      rows.filter(isTotal).map((row) => ({ ...row, bucket: ctx.from })),
    ),
  };
}

/** An aggregate's rows as a series: missing counts are 0, rates per second. */
function finishSeries(
  ctx: QueryContext,
  formula: AggregateFormula,
  run: FormulaRun,
  rows: ReadonlyArray<Record<string, unknown>>,
): Series {
  const empty =
    formula.kind === 'count' ||
    formula.kind === 'distinct' ||
    formula.kind === 'sum' ||
    formula.kind === 'rate'
      ? 0
      : null;
  const series = layOut(run, rows, empty);
  if (formula.kind === 'rate' && !formula.peak) {
    // Requests per second over the part of each bucket inside the range and before now.
    for (const group of series.groups)
      group.values = group.values.map((value, index) => {
        const start = Math.max(ctx.from, run.buckets[index] as number);
        const end = Math.min(ctx.to, ctx.now, bucketEnd(run.buckets, index, ctx.to));
        return value === null || end <= start ? null : value / ((end - start) / 1000);
      });
  }
  return series;
}

/** Rows of (bucket, grp, value) as one value array per group, in bucket order. */
export function layOut(
  run: FormulaRun,
  rows: ReadonlyArray<Record<string, unknown>>,
  empty: number | null,
): Series {
  const index = new Map(run.buckets.map((start, i) => [start, i]));
  const groups = new Map<string | null, Array<number | null>>();
  if (!run.groupBy)
    groups.set(
      null,
      run.buckets.map(() => empty),
    );
  for (const row of rows) {
    const at = index.get(Number(row.bucket));
    if (at === undefined) continue;
    const key =
      typeof row.grp === 'string'
        ? row.grp
        : row.grp === null || row.grp === undefined
          ? null
          : JSON.stringify(row.grp);
    let values = groups.get(key);
    if (!values) {
      values = run.buckets.map(() => empty);
      groups.set(key, values);
    }
    values[at] = row.value === null || row.value === undefined ? empty : Number(row.value);
  }
  if (run.groupBy?.keep)
    for (const key of run.groupBy.keep)
      if (!groups.has(key))
        groups.set(
          key,
          run.buckets.map(() => empty),
        );
  return {
    granularity: run.granularity,
    buckets: run.buckets,
    groups: sortGroups(
      [...groups].map(([key, values]) => ({ key, values })),
      run.groupBy?.keep ?? [],
    ),
  };
}

/** Groups in the order layOut gives them (see groupOrder). */
export function sortGroups(groups: SeriesGroup[], keep: readonly string[]): SeriesGroup[] {
  return groups.sort(groupOrder(keep));
}

/**
 * Groups in a stable order whatever order the rows came in: the kept groups by rank, then
 * other values by name, then `$other`, then no value.
 */
function groupOrder(keep: readonly string[]) {
  const rank = new Map(keep.map((key, i) => [key, i]));
  const place = (key: string | null) =>
    key === null ? 3 : key === OTHER_GROUP ? 2 : rank.has(key) ? 0 : 1;
  return (a: SeriesGroup, b: SeriesGroup) =>
    place(a.key) - place(b.key) ||
    (rank.get(a.key ?? '') ?? 0) - (rank.get(b.key ?? '') ?? 0) ||
    String(a.key).localeCompare(String(b.key));
}

import { runQuery } from '../sql/run-query.ts';
import {
  ERR_QUERY_DIMENSION_UNSUPPORTED,
  ERR_QUERY_METRIC_UNKNOWN,
  getMetric,
  SightlineError,
  type AggregateFormula,
  type Breakdown,
  type Formula,
  type Granularity,
  type MetricDefinition,
} from '@sightline/shared';
import type { QueryContext } from '../context/query-context.ts';
import {
  buildAggregate,
  buildAggregateSql,
  type GroupBy,
  type RankedDaily,
} from './aggregate-sql.ts';
import {
  aggregateSeries,
  aggregateSeriesWithTotal,
  layOut,
  type FormulaRun,
  type Series,
} from './aggregate-series.ts';
import { checkRange, listBuckets } from './buckets.ts';
import { computeAnalysis } from './analyses.ts';
import { dailyValues, windowedDistinct } from './windowed-distinct.ts';

export interface SeriesOptions {
  granularity: Granularity;
  breakdown?: Breakdown | null;
  /**
   * The breakdown groups to keep, already ranked (see rankGroups): series of one report share
   * them, so a total, a comparison and each bucket show the same groups.
   */
  keep?: readonly string[] | null;
  /** What ranking those groups read, when it answers the breakdown too (see rankGroups). */
  ranked?: RankedDaily | null;
}

export function requireMetric(id: string): MetricDefinition {
  const metric = getMetric(id);
  if (!metric) throw new SightlineError(ERR_QUERY_METRIC_UNKNOWN, { metric: id });
  return metric;
}

/** A catalog metric as a series inside the query context. */
export async function computeMetricSeries(
  ctx: QueryContext,
  metricId: string,
  options: SeriesOptions,
): Promise<Series> {
  const metric = requireMetric(metricId);
  const breakdown = options.breakdown ?? null;
  if (breakdown?.dimension !== undefined && !metric.dimensions.includes(breakdown.dimension))
    throw new SightlineError(ERR_QUERY_DIMENSION_UNSUPPORTED, {
      dimension: breakdown.dimension,
      subject: `metric ${metric.id}`,
    });
  return computeFormulaSeries(ctx, metric.formula, options);
}

/**
 * A metric's values over adjacent spans of the context's range, in one pass: span i runs from
 * starts[i] to starts[i + 1], the last to the range's end (starts[0] is the range's start). A KPI
 * and the period just before it use it where one pass saves work: new users, whose every value
 * first finds when each person was first seen, over all their history (the other metrics cost
 * as much in one pass over both periods as in two). Null for other metrics: ask span by span.
 */
export async function computeMetricOverSpans(
  ctx: QueryContext,
  metricId: string,
  starts: readonly number[],
): Promise<Array<number | null> | null> {
  const { formula } = requireMetric(metricId);
  if (formula.kind !== 'analysis' || formula.analysis !== 'new_users') return null;
  const ascending = starts.every((start, i) => i === 0 || start > (starts[i - 1] as number));
  if (starts[0] !== ctx.from || !ascending || (starts.at(-1) as number) >= ctx.to)
    throw new Error('spans must start at the range start, ascend and start before its end');
  checkRange(ctx.from, ctx.to);
  const series = await computeAnalysis(ctx, formula.analysis, formula.params ?? {}, {
    granularity: 'all',
    buckets: [...starts],
    groupBy: null,
  });
  return series.groups[0]?.values ?? starts.map(() => null);
}

/** Any formula (a catalog metric's, or an ad-hoc event aggregate) as a series. */
export async function computeFormulaSeries(
  ctx: QueryContext,
  formula: Formula,
  options: SeriesOptions,
): Promise<Series> {
  const run = await prepareRun(ctx, formula, options);
  return computeFormula(ctx, formula, run);
}

/**
 * A formula's series and each group's total over the range (its value by `all`), in one query
 * when the formula is a plain aggregate; otherwise null, and the caller asks for both.
 */
export async function computeFormulaSeriesWithTotal(
  ctx: QueryContext,
  formula: Formula,
  options: SeriesOptions,
): Promise<{ series: Series; total: Series } | null> {
  if (options.granularity === 'all' || formula.kind === 'ratio' || formula.kind === 'analysis')
    return null;
  if (formula.kind === 'distinct' && formula.window) return null;
  return aggregateSeriesWithTotal(ctx, formula, await prepareRun(ctx, formula, options));
}

/** The buckets of the range and the breakdown (ranked now unless the caller did). */
async function prepareRun(
  ctx: QueryContext,
  formula: Formula,
  options: SeriesOptions,
): Promise<FormulaRun> {
  const breakdown = options.breakdown ?? null;
  const buckets = await listBuckets(ctx, options.granularity);
  let groupBy: GroupBy | null = null;
  if (breakdown) {
    const ranking =
      options.keep !== undefined
        ? options.keep && { keep: options.keep, ranked: options.ranked ?? null }
        : await rankGroups(ctx, formula, breakdown);
    groupBy = { dimension: breakdown.dimension, property: breakdown.property };
    // Analyses rank nothing up front: they keep every group they find.
    if (ranking) groupBy.keep = ranking.keep;
    if (ranking?.ranked) groupBy.ranked = ranking.ranked;
  }
  return { granularity: options.granularity, buckets, groupBy };
}

export async function computeFormula(
  ctx: QueryContext,
  formula: Formula,
  run: FormulaRun,
): Promise<Series> {
  switch (formula.kind) {
    case 'ratio': {
      const fused = await fusedRatio(ctx, formula, run);
      if (fused) return fused;
      const [numerator, denominator] = await Promise.all([
        computeFormula(ctx, requireMetric(formula.numerator).formula, run),
        computeFormula(
          ctx,
          requireMetric(formula.denominator).formula,
          formula.denominatorOverall ? { ...run, groupBy: null } : run,
        ),
      ]);
      return divide(numerator, denominator, run);
    }
    case 'analysis':
      return computeAnalysis(ctx, formula.analysis, formula.params ?? {}, run);
    case 'distinct':
      if (formula.window && !(run.granularity === 'minute' || run.granularity === 'hour'))
        return windowedDistinct(ctx, formula, formula.window, run);
      return aggregateSeries(ctx, formula, run);
    default:
      return aggregateSeries(ctx, formula, run);
  }
}

/**
 * A ratio whose numerator is its denominator with further conditions (errors / requests,
 * successful tasks / tasks) in one pass over the rows: the numerator is the same aggregate over
 * the rows that also meet them. Null when the two differ in any other way.
 */
async function fusedRatio(
  ctx: QueryContext,
  formula: Extract<Formula, { kind: 'ratio' }>,
  run: FormulaRun,
): Promise<Series | null> {
  if (formula.denominatorOverall && run.groupBy) return null;
  const numerator = requireMetric(formula.numerator).formula;
  const denominator = requireMetric(formula.denominator).formula;
  if (denominator.kind !== 'count' && denominator.kind !== 'distinct' && denominator.kind !== 'sum')
    return null;
  if (denominator.kind === 'distinct' && denominator.window) return null;
  if (!sameAggregate(numerator, denominator)) return null;
  const key = canonical;
  const inNumerator = new Set((numerator.where ?? []).map(key));
  const inDenominator = new Set((denominator.where ?? []).map(key));
  if (![...inDenominator].every((condition) => inNumerator.has(condition))) return null;
  const part = (numerator.where ?? []).filter((condition) => !inDenominator.has(key(condition)));
  const built = buildAggregate(ctx, denominator, {
    granularity: run.granularity,
    groupBy: run.groupBy,
    part,
  });
  if (!built) return null;
  const rows = await runQuery(ctx, built.sql, built.params);
  const parts = rows.map((row) => ({ ...row, value: row.part }));
  return divide(layOut(run, parts, 0), layOut(run, rows, 0), run);
}

/** Same source and aggregate (kind, field, distinct-of), whatever their conditions. */
function sameAggregate(a: Formula, b: AggregateFormula): a is AggregateFormula {
  if (a.kind === 'ratio' || a.kind === 'analysis') return false;
  const withoutWhere = (formula: AggregateFormula) => ({ ...formula, where: undefined });
  return canonical(withoutWhere(a)) === canonical(withoutWhere(b));
}

/** JSON with object keys sorted: equal for equal values however they were written. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

function divide(numerator: Series, denominator: Series, run: FormulaRun): Series {
  const overall = denominator.groups.length === 1 && denominator.groups[0]?.key === null;
  const byKey = new Map(denominator.groups.map((group) => [group.key, group.values]));
  return {
    granularity: run.granularity,
    buckets: run.buckets,
    groups: numerator.groups.map((group) => {
      const under = overall ? denominator.groups[0]?.values : byKey.get(group.key);
      return {
        key: group.key,
        values: group.values.map((value, i) => {
          const d = under?.[i];
          return value === null || d === null || d === undefined || d === 0 ? null : value / d;
        }),
      };
    }),
  };
}

/** The groups a breakdown keeps, and what ranking them read when that answers it as well. */
export interface RankedGroups {
  keep: readonly string[];
  ranked: RankedDaily | null;
}

/**
 * The breakdown values to keep: the top N by the formula's volume over the whole range; null
 * for analyses, which keep every group they find. A daily-windowed distinct (DAU) by a
 * dimension ranks by what its total shows, the average day (the sum of its days' values, ties
 * by value as in SQL), read as every group's daily values: when at most one group is left out,
 * those are the breakdown as well (`ranked`), with that group as OTHER_GROUP.
 */
export async function rankGroups(
  ctx: QueryContext,
  formula: Formula,
  breakdown: Breakdown,
): Promise<RankedGroups | null> {
  const volume = volumeFormula(formula);
  if (!volume) return null;
  if (volume.kind === 'distinct' && volume.window === 'day' && breakdown.property === undefined) {
    const daily = await dailyValues(ctx, volume, { dimension: breakdown.dimension });
    const totals = daily.groups.flatMap((group) =>
      group.key === null
        ? []
        : [{ key: group.key, sum: group.values.reduce<number>((a, v) => a + (v ?? 0), 0) }],
    );
    totals.sort((a, b) => b.sum - a.sum || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return {
      keep: totals.slice(0, breakdown.limit).map((group) => group.key),
      ranked: totals.length <= breakdown.limit + 1 ? { ctx, formula: volume, daily } : null,
    };
  }
  const byValue = volume.kind === 'count' || volume.kind === 'distinct' || volume.kind === 'sum';
  const { sql, params } = buildAggregateSql(ctx, volume, {
    granularity: 'all',
    groupBy: { dimension: breakdown.dimension, property: breakdown.property },
    countRows: !byValue,
  });
  const rows = await runQuery(
    ctx,
    `SELECT grp FROM (${sql}) WHERE grp IS NOT NULL ORDER BY value DESC, grp LIMIT ${breakdown.limit}`,
    params,
  );
  return { keep: rows.map((row) => String(row.grp)), ranked: null };
}

/** The aggregate whose size ranks groups: a ratio's denominator (or numerator when overall). */
function volumeFormula(formula: Formula): AggregateFormula | null {
  if (formula.kind === 'ratio') {
    const next = requireMetric(
      formula.denominatorOverall ? formula.numerator : formula.denominator,
    );
    return volumeFormula(next.formula);
  }
  if (formula.kind === 'analysis') return null;
  return formula;
}

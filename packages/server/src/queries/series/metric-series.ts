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
import { buildAggregateSql, type GroupBy } from './aggregate-sql.ts';
import { aggregateSeries, type FormulaRun, type Series } from './aggregate-series.ts';
import { listBuckets } from './buckets.ts';
import { computeAnalysis } from './analyses.ts';
import { windowedDistinct } from './windowed-distinct.ts';

export interface SeriesOptions {
  granularity: Granularity;
  breakdown?: Breakdown | null;
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

/** Any formula (a catalog metric's, or an ad-hoc event aggregate) as a series. */
export async function computeFormulaSeries(
  ctx: QueryContext,
  formula: Formula,
  options: SeriesOptions,
): Promise<Series> {
  const breakdown = options.breakdown ?? null;
  const buckets = await listBuckets(ctx, options.granularity);
  let groupBy: GroupBy | null = null;
  if (breakdown) {
    const keep = await topGroups(ctx, formula, breakdown);
    groupBy = { dimension: breakdown.dimension, property: breakdown.property };
    // Analyses rank nothing up front: they keep every group they find.
    if (keep) groupBy.keep = keep;
  }
  return computeFormula(ctx, formula, { granularity: options.granularity, buckets, groupBy });
}

export async function computeFormula(
  ctx: QueryContext,
  formula: Formula,
  run: FormulaRun,
): Promise<Series> {
  switch (formula.kind) {
    case 'ratio': {
      const numerator = await computeFormula(ctx, requireMetric(formula.numerator).formula, run);
      const denominator = await computeFormula(
        ctx,
        requireMetric(formula.denominator).formula,
        formula.denominatorOverall ? { ...run, groupBy: null } : run,
      );
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

/** The breakdown values to keep: the top N by the metric's volume over the whole range. */
async function topGroups(
  ctx: QueryContext,
  formula: Formula,
  breakdown: Breakdown,
): Promise<string[] | null> {
  const volume = volumeFormula(formula);
  if (!volume) return null;
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
  return rows.map((row) => String(row.grp));
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

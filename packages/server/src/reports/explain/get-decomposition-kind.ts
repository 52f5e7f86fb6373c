import type { MetricDefinition } from '@sightline/shared';

/** How a metric's change splits across segments, and which metrics give the segment values. */
export type DecompositionPlan =
  | { kind: 'additive'; metrics: readonly [string] }
  | { kind: 'distinct'; metrics: readonly [string] }
  /** metrics: [denominator, numerator]; the denominator ranks the segments. */
  | { kind: 'ratio'; metrics: readonly [string, string] };

/**
 * Sums and counts are additive; a ratio of two metrics decomposes exactly through them. A ratio
 * over an overall denominator (API error rate by route: errors of the route / all requests) is
 * already a sum of its segments, and analyses (new users) and distinct counts are scaled to the
 * total ('distinct'). Quantiles, averages, extremes and rates have no contribution analysis:
 * null.
 */
export function getDecompositionKind(metric: MetricDefinition): DecompositionPlan | null {
  if (metric.dimensions.length === 0) return null;
  const formula = metric.formula;
  switch (formula.kind) {
    case 'count':
    case 'sum':
      return { kind: 'additive', metrics: [metric.id] };
    case 'distinct':
    case 'analysis':
      return { kind: 'distinct', metrics: [metric.id] };
    case 'ratio':
      return formula.denominatorOverall
        ? { kind: 'distinct', metrics: [metric.id] }
        : { kind: 'ratio', metrics: [formula.denominator, formula.numerator] };
    default:
      return null;
  }
}

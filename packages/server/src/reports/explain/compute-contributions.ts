import type { MetricDefinition } from '@sightline/shared';
import type { QueryContext } from '../../queries/index.ts';
import type { DimensionContributions } from './choose-drivers.ts';
import { computeSegmentValues, type PeriodValues } from './compute-segment-values.ts';
import { decomposeChange, type ValuePair } from './decompose-change.ts';
import { getDecompositionKind } from './get-decomposition-kind.ts';

export interface ContributionsParams {
  metric: MetricDefinition;
  dimension: string;
  breakdownLimit: number;
  /** The headline values the segments are scaled to. */
  total: ValuePair;
}

/** One dimension's contribution analysis of a metric's change, through the query layer. */
export async function computeContributions(
  current: QueryContext,
  previous: QueryContext,
  params: ContributionsParams,
): Promise<DimensionContributions | null> {
  const plan = getDecompositionKind(params.metric);
  if (!plan || !params.metric.dimensions.includes(params.dimension)) return null;
  const values = await computeSegmentValues(current, previous, {
    metrics: plan.metrics,
    dimension: params.dimension,
    limit: params.breakdownLimit,
  });
  const [first, second] = values;
  if (!first) return null;
  const keys = [...new Set(values.flatMap((at) => [...at.current.keys(), ...at.previous.keys()]))];
  const pair = (at: PeriodValues, key: string): ValuePair => ({
    current: at.current.get(key) ?? null,
    previous: at.previous.get(key) ?? null,
  });
  const result =
    plan.kind === 'ratio' && second
      ? decomposeChange({
          kind: 'ratio',
          segments: keys.map((segment) => ({
            segment,
            denominator: pair(first, segment),
            numerator: pair(second, segment),
          })),
          total: params.total,
        })
      : decomposeChange({
          kind: plan.kind === 'additive' ? 'additive' : 'distinct',
          segments: keys.map((segment) => ({ segment, ...pair(first, segment) })),
          total: params.total,
        });
  return { dimension: params.dimension, items: result.items };
}

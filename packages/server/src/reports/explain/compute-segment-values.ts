import {
  computeMetricSeries,
  OTHER_GROUP,
  type QueryContext,
  type Series,
} from '../../queries/index.ts';
import { NO_VALUE_SEGMENT } from './choose-drivers.ts';

/** A metric's value per segment over a whole period (granularity all). */
export type SegmentValues = Map<string, number | null>;

export interface PeriodValues {
  current: SegmentValues;
  previous: SegmentValues;
}

export interface SegmentValuesParams {
  /** The first one ranks the segments (for a ratio: its denominator, as the query layer does). */
  metrics: readonly string[];
  dimension: string;
  /** Top N segments of each period; the rest is "$other". */
  limit: number;
}

function toSegmentValues(series: Series): SegmentValues {
  return new Map(
    series.groups.map((group) => [group.key ?? NO_VALUE_SEGMENT, group.values[0] ?? null]),
  );
}

const namedKeys = (values: SegmentValues) =>
  [...values.keys()].filter((key) => key !== OTHER_GROUP && key !== NO_VALUE_SEGMENT);

/**
 * Each metric per segment of one dimension, for the current and the previous period, with the
 * same segments named in both: the union of each period's top N. A segment that vanished (big
 * before, absent now) is often the whole story, so ranking on the current period alone, as a
 * chart does, would hide it in "$other".
 */
export async function computeSegmentValues(
  current: QueryContext,
  previous: QueryContext,
  params: SegmentValuesParams,
): Promise<PeriodValues[]> {
  const [ranking, ...rest] = params.metrics;
  if (ranking === undefined) return [];
  const breakdown = { dimension: params.dimension, limit: params.limit };
  const valuesOf = async (ctx: QueryContext, metric: string, keep?: readonly string[]) =>
    toSegmentValues(
      await computeMetricSeries(ctx, metric, {
        granularity: 'all',
        breakdown,
        ...(keep ? { keep } : {}),
      }),
    );
  const [rankedNow, rankedBefore] = await Promise.all([
    valuesOf(current, ranking),
    valuesOf(previous, ranking),
  ]);
  const keep = [...new Set([...namedKeys(rankedNow), ...namedKeys(rankedBefore)])];
  const sameSegments =
    keep.length === namedKeys(rankedNow).length && keep.length === namedKeys(rankedBefore).length;
  const pairOf = async (metric: string): Promise<PeriodValues> => {
    const [now, before] = await Promise.all([
      valuesOf(current, metric, keep),
      valuesOf(previous, metric, keep),
    ]);
    return { current: now, previous: before };
  };
  const first = sameSegments
    ? { current: rankedNow, previous: rankedBefore }
    : await pairOf(ranking);
  return [first, ...(await Promise.all(rest.map(pairOf)))];
}

import type { Breakdown, Filter } from '@sightline/shared';
import {
  computeMetricSeries,
  createQueryContext,
  duckDbDialect,
  OTHER_GROUP,
} from '../queries/index.ts';
import type { EventStore } from '../store/index.ts';

/** The group of a rule without group-by. */
export const NO_GROUP = '';

export interface MeasureMetricParams {
  from: number;
  to: number;
  metric: string;
  filters: readonly Filter[];
  segmentId?: string | null;
  breakdown: Breakdown | null;
  keep: readonly string[] | null;
}

/** A catalog metric over one window through the query layer, one value per group. */
export async function measureMetric(
  deps: { store: EventStore; project: { id: string; timeZone: string } },
  params: MeasureMetricParams,
): Promise<Map<string, number | null>> {
  const ctx = createQueryContext({
    store: deps.store,
    dialect: duckDbDialect,
    projectId: deps.project.id,
    timeZone: deps.project.timeZone,
    from: params.from,
    to: params.to,
    now: params.to,
    granularity: 'all',
    filters: params.filters,
    segmentId: params.segmentId ?? null,
  });
  const { breakdown, keep } = params;
  const series = await computeMetricSeries(ctx, params.metric, {
    granularity: 'all',
    breakdown,
    ...(breakdown && keep ? { keep } : {}),
  });
  return toGroupValues(
    series.groups.map((group) => ({ key: group.key, value: group.values[0] ?? null })),
    breakdown !== null,
  );
}

/**
 * Values by group: with a breakdown, the named groups (not the one without a value, nor the
 * rest summed up); without, the one value under NO_GROUP (null when there is none).
 */
export function toGroupValues(
  groups: ReadonlyArray<{ key: string | null; value: number | null }>,
  grouped: boolean,
): Map<string, number | null> {
  const values = new Map<string, number | null>();
  for (const group of groups) {
    if (grouped && (group.key === null || group.key === OTHER_GROUP)) continue;
    values.set(grouped ? (group.key ?? NO_GROUP) : NO_GROUP, group.value);
  }
  if (!grouped && values.size === 0) values.set(NO_GROUP, null);
  return values;
}

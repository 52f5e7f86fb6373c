import type { LocalizedText, MetricUnit } from '@sightline/shared';
import { computed, reactive, shallowRef, watch, type ComputedRef } from 'vue';
import { api, runReport } from '../../../lib/api.ts';

/** A metric of the catalog as the trends builder lists it. */
export interface CatalogEntry {
  id: string;
  group: string;
  name: LocalizedText;
  unit: MetricUnit;
}
export interface AnalysisCatalog {
  /** The catalog's groups in its order, each with its metrics. */
  groups: Array<{ id: string; name: LocalizedText; metrics: CatalogEntry[] }>;
  /** Every dimension a breakdown can name, with its names. */
  dimensions: Array<{ id: string; name: LocalizedText }>;
}

/**
 * GET /api/v1/metrics as the builders need it: metrics by group and the dimensions (lib/catalog.ts
 * keeps only the metrics, without their group), loaded once.
 */
export const analysisCatalog = shallowRef<AnalysisCatalog | null>(null);
let loading: Promise<void> | null = null;

export function loadAnalysisCatalog(): Promise<void> {
  loading ??= api<{
    groups: Record<string, LocalizedText>;
    metrics: CatalogEntry[];
    dimensions: Array<{ id: string; name: LocalizedText }>;
  }>('/api/v1/metrics').then(
    (answer) => {
      analysisCatalog.value = {
        groups: Object.entries(answer.groups).map(([id, name]) => ({
          id,
          name,
          metrics: answer.metrics.filter((metric) => metric.group === id),
        })),
        dimensions: answer.dimensions.map(({ id, name }) => ({ id, name })),
      };
    },
    () => {
      loading = null;
    },
  );
  return loading;
}

/**
 * Event names seen in the project over the last 90 days (the 50 most frequent), to suggest in
 * the builders' event fields; asked once per project. Suggestions only: the fields take any name.
 */
const eventNames = reactive<Record<string, string[]>>({});
const asked = new Set<string>();
function askEventNames(projectId: string): void {
  if (asked.has(projectId)) return;
  asked.add(projectId);
  runReport<{ series: Array<{ groups: Array<{ key: string | null }> }> }>(projectId, 'trends', {
    range: 'last_90_days',
    granularity: 'all',
    series: [{ metric: 'events' }],
    breakdown: { dimension: 'event_name', limit: 50 },
  }).then(
    (answer) => {
      eventNames[projectId] = (answer.result.series[0]?.groups ?? [])
        .map((group) => group.key)
        .filter((key): key is string => key !== null && key !== '$other');
    },
    () => {
      asked.delete(projectId);
    },
  );
}
export function useEventNames(projectId: () => string): ComputedRef<string[]> {
  watch(projectId, askEventNames, { immediate: true });
  return computed(() => eventNames[projectId()] ?? []);
}

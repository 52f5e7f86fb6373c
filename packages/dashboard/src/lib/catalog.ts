import type { LocalizedText, MetricUnit } from '@sightline/shared';
import { shallowRef } from 'vue';
import { locale } from '../i18n/index.ts';
import { api } from './api.ts';

export interface CatalogMetric {
  id: string;
  name: LocalizedText;
  definition: LocalizedText;
  unit: MetricUnit;
  higherIsBetter?: boolean;
  /** Catalog group (users, commerce, tech, …), for grouped pickers. */
  group?: string;
  /** Dimensions the metric can be filtered and broken down by. */
  dimensions: string[];
}

/** The metric catalog (names in both languages, definitions, units), loaded once. */
export const catalog = shallowRef<Map<string, CatalogMetric>>(new Map());
let loading: Promise<void> | null = null;

export function loadCatalog(): Promise<void> {
  loading ??= api<{ metrics: CatalogMetric[] }>('/api/v1/metrics').then(
    (answer) => {
      catalog.value = new Map(answer.metrics.map((metric) => [metric.id, metric]));
    },
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}

/** A metric's name in the reader's language (its id until the catalog is in). */
export const metricName = (metric: string): string =>
  catalog.value.get(metric)?.name[locale.value] ?? metric;

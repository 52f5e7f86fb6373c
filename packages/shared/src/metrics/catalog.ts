import { BUSINESS_METRICS } from './catalog/business.ts';
import { COMMERCE_METRICS } from './catalog/commerce.ts';
import { DISTRIBUTION_METRICS } from './catalog/distribution.ts';
import { ENGAGEMENT_METRICS } from './catalog/engagement.ts';
import { OPERATIONS_METRICS } from './catalog/operations.ts';
import { SERVICE_METRICS } from './catalog/service.ts';
import { TECH_METRICS } from './catalog/tech.ts';
import { USER_METRICS } from './catalog/users.ts';
import type { MetricDefinition } from './metric-types.ts';

/** Every metric Sightline computes. docs/metrics.md is generated from this list. */
export const METRICS: readonly MetricDefinition[] = [
  ...USER_METRICS,
  ...ENGAGEMENT_METRICS,
  ...BUSINESS_METRICS,
  ...COMMERCE_METRICS,
  ...DISTRIBUTION_METRICS,
  ...OPERATIONS_METRICS,
  ...TECH_METRICS,
  ...SERVICE_METRICS,
];

const BY_ID = new Map(METRICS.map((metric) => [metric.id, metric]));

export function getMetric(id: string): MetricDefinition | undefined {
  return BY_ID.get(id);
}

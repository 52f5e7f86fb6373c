/**
 * The request parameters each builder sends (and keeps in the URL as `q`) and the results it
 * reads: docs/api.md#trends, docs/reports/funnels-and-paths.md,
 * docs/reports/retention-and-lifecycle.md. The filter bar's fields (range, filters, segment and
 * the trends comparison) are not part of them: they live in the URL of their own.
 */

/** A condition as the API takes it (step filters, a return event's filters): kept as given. */
export type Condition = Record<string, unknown>;

export const AGGREGATIONS = ['count', 'unique_users', 'sum', 'avg', 'percentile'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number] | 'min' | 'max';

export type TrendsSeries =
  | { metric: string }
  | { event: string; aggregation: Aggregation; property?: string; percentile?: number };

export const GRANULARITIES = ['hour', 'day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export interface TrendsParams {
  series: TrendsSeries[];
  granularity: Granularity;
  breakdown?: { dimension: string; limit: number };
}

export interface FunnelMatcher {
  event: string;
  filters?: Condition[];
}
export type FunnelStepParams = (FunnelMatcher | { anyOf: FunnelMatcher[] }) & {
  label?: string;
  optional?: boolean;
};
export const FUNNEL_ORDERS = ['ordered', 'strict', 'any'] as const;
export type FunnelOrder = (typeof FUNNEL_ORDERS)[number];
export interface FunnelParams {
  steps: FunnelStepParams[];
  order: FunnelOrder;
  windowSeconds: number;
  count: 'unique' | 'total';
  breakdown?: { dimension: string; limit: number };
  /** Not edited here; kept as a link gave them. */
  exclusions?: unknown[];
}

export const COHORTS_BY = ['first_event', 'signup', 'first_purchase'] as const;
export type CohortBy = (typeof COHORTS_BY)[number];
export const PERIODS = ['day', 'week', 'month'] as const;
export type Period = (typeof PERIODS)[number];
export interface RetentionParams {
  cohortBy: CohortBy;
  period: Period;
  periods: number;
  returnEvent?: { name: string; filters?: Condition[] };
}

export interface PathsParams {
  start?: FunnelMatcher;
  end?: FunnelMatcher;
  steps: number;
  limit: number;
  eventType: 'event' | 'page';
  sessionScoped: boolean;
  windowSeconds?: number;
}

export type BuilderKind = 'trends' | 'funnel' | 'retention' | 'paths';

export interface FunnelStepResult {
  step: number;
  label: string;
  optional: boolean;
  count: number;
  conversionFromFirst: number | null;
  conversionFromPrevious: number | null;
  dropOff: number | null;
  medianSecondsToConvert: number | null;
  avgSecondsToConvert: number | null;
  revenue: number;
}
export interface FunnelResult {
  order: FunnelOrder;
  count: 'unique' | 'total';
  windowSeconds: number;
  steps: FunnelStepResult[];
  overallConversion: number | null;
  groups: Array<{
    key: string | null;
    steps: FunnelStepResult[];
    overallConversion: number | null;
  }> | null;
}

/** The retention report's result, as the users page reads it too. */
export type { RetentionResult } from '../../../lib/retention-result.ts';

export interface PathsResult {
  direction: 'start' | 'end';
  steps: number;
  totals: { occurrences: number; people: number; personPaths: number };
  topPaths: Array<{ nodes: string[]; people: number; occurrences: number }>;
  dropOffs: Array<{
    id: string;
    name: string;
    depth: number;
    paths: number;
    people: number;
    through: number;
    rate: number;
  }>;
  sankey: {
    nodes: Array<{ id: string; name: string; depth: number; value: number }>;
    links: Array<{ source: string; target: string; value: number }>;
  };
}

/**
 * Metric definitions are data: what to count, over which facts, with which conditions. The server
 * compiles them to SQL through its dialect; the dashboard reads names, units and definitions.
 */

export type Locale = 'zh-CN' | 'en';
export type LocalizedText = Readonly<Record<Locale, string>>;

/** How a value is shown: counts and users as integers, money in minor units, ratios 0..1. */
export type MetricUnit =
  'count' | 'users' | 'ratio' | 'currency' | 'ms' | 'score' | 'per_second' | 'seconds';

/** Facts a metric aggregates. `events` are the raw events; the rest are commerce facts. */
export type SourceId = 'events' | 'orders' | 'refunds' | 'order_items' | 'campaign_costs';

export type ConditionOp =
  'eq' | 'neq' | 'in' | 'not_in' | 'gt' | 'gte' | 'lt' | 'lte' | 'is_set' | 'not_set' | 'contains';

export type ConditionValue = string | number | boolean;

/**
 * A condition on a field of the source: a column (`name`, `status`, `product_type`) or an event
 * property (`props.status`).
 */
export interface Condition {
  field: string;
  op: ConditionOp;
  value?: ConditionValue | readonly ConditionValue[];
}

interface AggregateBase {
  source: SourceId;
  where?: readonly Condition[];
}

/** Who `distinct` counts: a person (identity-merged), a known user, or any field's values. */
export type DistinctOf = 'person' | 'user' | (string & {});

export type AggregateFormula =
  | (AggregateBase & { kind: 'count' })
  | (AggregateBase & {
      kind: 'distinct';
      of: DistinctOf;
      /**
       * Counted per calendar day, week or month: by day with a week or month window it is the
       * window ending with each day (the 7 or 30 days to that day), by a coarser granularity the
       * average of the windows in the bucket. By hour or minute it is the distinct count within
       * each bucket (people active in that hour or minute), not a window.
       */
      window?: 'day' | 'week' | 'month';
    })
  | (AggregateBase & { kind: 'sum' | 'avg' | 'min' | 'max'; field: string })
  | (AggregateBase & { kind: 'quantile'; field: string; q: number })
  /** Events per second: the average over the bucket, or the busiest second in it. */
  | (AggregateBase & { kind: 'rate'; peak: boolean });

/** Analyses computed by a report module rather than a single aggregate. */
export type AnalysisId =
  | 'new_users'
  | 'returning_users'
  | 'retention'
  | 'churn'
  | 'ltv'
  | 'membership_purchase_rate'
  | 'renewal_rate'
  | 'session_length'
  | 'bounce_rate'
  | 'cac'
  | 'campaign_roi';

export type Formula =
  | AggregateFormula
  | {
      kind: 'ratio';
      numerator: string;
      denominator: string;
      /** The denominator ignores a breakdown (feature penetration: users of X / all of DAU). */
      denominatorOverall?: boolean;
    }
  | { kind: 'analysis'; analysis: AnalysisId; params?: Readonly<Record<string, number>> };

export interface MetricDefinition {
  id: string;
  /** Bumped when the definition (口径) changes; reports say which version they used. */
  version: number;
  name: LocalizedText;
  /** The definition in words, as the seeds state it. */
  definition: LocalizedText;
  unit: MetricUnit;
  /** Page group in the catalog and docs. */
  group: MetricGroup;
  formula: Formula;
  /** Dimensions it may be filtered and broken down by. */
  dimensions: readonly string[];
  /** How values of finer buckets combine into a total, for display: sum, or recompute. */
  aggregation: 'sum' | 'recompute';
  /** Where the definition comes from. */
  seed?: string;
  /** Higher is better (refund rate, latency and errors: lower is better). */
  higherIsBetter?: boolean;
}

export type MetricGroup =
  | 'users'
  | 'engagement'
  | 'business'
  | 'commerce'
  | 'distribution'
  | 'operations'
  | 'tech'
  | 'service';

export const METRIC_GROUPS: Readonly<Record<MetricGroup, LocalizedText>> = {
  users: { 'zh-CN': '用户', en: 'Users' },
  engagement: { 'zh-CN': '访问与会话', en: 'Traffic and sessions' },
  business: { 'zh-CN': '业务（任务、功能、会员）', en: 'Business (tasks, features, memberships)' },
  commerce: { 'zh-CN': '交易', en: 'Commerce' },
  distribution: { 'zh-CN': '分销（S2B2C）', en: 'Distribution (S2B2C)' },
  operations: { 'zh-CN': '渠道与营销', en: 'Channels and campaigns' },
  tech: { 'zh-CN': '技术', en: 'Tech' },
  service: { 'zh-CN': '客户与服务', en: 'Customers and service' },
};

export function defineMetric<const T extends MetricDefinition>(metric: T): T {
  return Object.freeze(metric);
}

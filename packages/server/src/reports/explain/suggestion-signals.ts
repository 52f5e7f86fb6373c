import type { ValuePair } from './decompose-change.ts';

/** The segment behind most of a change (from the contribution analysis). */
export interface ChangeDriver {
  dimension: string;
  segment: string;
  /** Its part of the change, 0..1 (can pass 1 when other segments moved the other way). */
  share: number;
  current: number | null;
  previous: number | null;
}

/** The API route that stands out, in the current period. */
export interface RouteSignal {
  route: string;
  requests: number;
  /** API errors / requests of the route (status ≥ 400 or timeout). */
  errorRate: number | null;
  /** p95 of duration_ms, ms. */
  p95Ms: number | null;
}

/**
 * What the suggestion rules look at, each a query-layer answer for the current and the previous
 * period (collectSuggestionSignals fills it). Plain data, so the rules are tested as a table.
 */
export interface SuggestionSignals {
  refunds: {
    /** refund_amount, minor units. */
    amount: ValuePair;
    /** refund_rate_amount, 0..1. */
    rate: ValuePair;
    /** The product type behind most of the refund amount's change; null when none stands out. */
    topProductType: ChangeDriver | null;
    topChannel: ChangeDriver | null;
  };
  api: {
    /** api_error_rate, 0..1. */
    errorRate: ValuePair;
    /** api_5xx_rate, 0..1. */
    rate5xx: ValuePair;
    /** The route with the highest error rate among the busiest (enough requests to judge). */
    worstErrorRoute: RouteSignal | null;
    /** The route with the highest p95 among the busiest. */
    slowestRoute: RouteSignal | null;
  };
  tasks: {
    /** task_failure_rate, 0..1. */
    failureRate: ValuePair;
    /** The error code of most failed tasks in the current period, with its part of them. */
    topErrorCode: { code: string; failed: number; share: number } | null;
  };
  newUsers: {
    /** new_users. */
    count: ValuePair;
    topChannel: ChangeDriver | null;
  };
  conversion: {
    /** pay_conversion (paying users / sign-ups), 0..1. */
    pay: ValuePair;
    /** registration_conversion (sign-ups / UV), 0..1. */
    registration: ValuePair;
  };
  commission: {
    /** commission_ratio (commission / agent GMV), 0..1. */
    ratio: ValuePair;
  };
}

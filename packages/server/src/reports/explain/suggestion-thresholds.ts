/**
 * When a suggestion fires. Relative changes compare the current period with the previous one;
 * "pp" are percentage points of a rate (0.01 = 1 pp).
 */
export const SUGGESTION_THRESHOLDS = {
  /** Refund amount at least this multiple of the previous period's: a spike. */
  refundSpikeRatio: 1.5,
  /** …or the refund rate (by amount) at least this and rising. */
  refundRateHigh: 0.05,
  /** Refund rate from which a refund suggestion is critical. */
  refundRateCritical: 0.1,
  /** A driver is "the" cause when it accounts for at least this part of the change. */
  concentratedShare: 0.5,
  /** GMV drop (relative) from which it is worth a suggestion, and from which it is critical. */
  gmvDrop: 0.1,
  gmvDropCritical: 0.3,
  /** API error rate above which a route is to be checked (seed 004's alert example), critical. */
  apiErrorRate: 0.02,
  apiErrorRateCritical: 0.05,
  /** A route's p95 latency above which it is to be checked, and critical, in ms. */
  routeP95Ms: 1500,
  routeP95CriticalMs: 3000,
  /** Task failure rate up by at least this many pp and this multiple of the previous rate. */
  taskFailureRisePoints: 0.02,
  taskFailureRiseRatio: 1.5,
  taskFailureCritical: 0.2,
  /** New users down by at least this (relative). */
  newUsersDrop: 0.2,
  /** Conversion down by at least this (relative). */
  conversionDrop: 0.2,
  /** Commission ratio up by this multiple of the previous period's and at least this many pp. */
  commissionRiseRatio: 1.2,
  commissionRisePoints: 0.01,
} as const;

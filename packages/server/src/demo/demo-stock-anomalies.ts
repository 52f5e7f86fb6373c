/**
 * Anomalies planted in every demo's inventory snapshots (not in its event stream, so apart from
 * DEMO_ANOMALIES), for the restock detectors to find. They change only the stock the snapshots
 * report, never what the simulated shop sells: orders, GMV and every event stay as they are. The
 * day index is `days - dayFromEnd` (skipped when that is negative); the product follows from the
 * stock of that day, so it depends on the seed and scale.
 */
export type DemoStockAnomaly =
  | DemoStockAnomalyBase<
      'restock_outlier',
      {
        /** The delivery is this many times the product's usual restock quantity. */
        multiple: number;
      }
    >
  | DemoStockAnomalyBase<
      'stock_shrinkage',
      {
        /** Units that leave the stock without a sale. */
        units: number;
      }
    >;

export interface DemoStockAnomalyBase<K extends string, D> {
  kind: K;
  /** Shows in the snapshot at the end of day index `days - dayFromEnd`. */
  dayFromEnd: number;
  description: string;
  details: D;
}

/**
 * - dayFromEnd 13 `stock_shrinkage`: early in the period, and before any 12-day demo starts (the
 *   generator's own tests check that stock falls exactly by what the events sell).
 * - dayFromEnd 7 `restock_outlier`: a week of sales before it (the detector needs 7 in-stock days
 *   of demand to judge how long a delivery lasts). The delivery is in transit in the day before's
 *   snapshot, so stock still balances against sales plus deliveries.
 * Neither is on dayFromEnd 2, the day a daily report on the last day compares against.
 */
export const DEMO_STOCK_ANOMALIES: readonly DemoStockAnomaly[] = Object.freeze([
  {
    kind: 'stock_shrinkage',
    dayFromEnd: 13,
    description:
      '8 units of the product with the most stock vanish from the warehouse without a sale (theft or an unrecorded write-off); its stock stays 8 lower from then on.',
    details: { units: 8 },
  },
  {
    kind: 'restock_outlier',
    dayFromEnd: 7,
    description:
      'A purchase order typed with an extra zero: the best seller without a delivery under way receives 10× its usual restock quantity (in transit the day before), far more than its sales need.',
    details: { multiple: 10 },
  },
]);

/** Finds the one stock anomaly of a kind (each kind is planted once). */
export function findDemoStockAnomaly<K extends DemoStockAnomaly['kind']>(
  kind: K,
): Extract<DemoStockAnomaly, { kind: K }> {
  const found = DEMO_STOCK_ANOMALIES.find(
    (anomaly): anomaly is Extract<DemoStockAnomaly, { kind: K }> => anomaly.kind === kind,
  );
  if (!found) throw new Error(`no demo stock anomaly of kind ${kind}`);
  return found;
}

/** The day index a stock anomaly shows on, or undefined when the period is too short for it. */
export function getDemoStockAnomalyDay(
  anomaly: DemoStockAnomaly,
  days: number,
): number | undefined {
  const day = days - anomaly.dayFromEnd;
  return day >= 0 ? day : undefined;
}

import { describe, expect, it } from 'vitest';
import type { InventoryRow } from '../store/index.ts';
import { createDemoCalendar } from './demo-calendar.ts';
import { findDemoStockAnomaly, getDemoStockAnomalyDay } from './demo-stock-anomalies.ts';
import type { DemoOptions } from './demo-types.ts';
import { generateDemoCatalog } from './generate-demo-catalog.ts';
import { simulateShop } from './simulate-shop.ts';

const OPTIONS: DemoOptions = {
  seed: 42,
  days: 16,
  scale: 0.1,
  endTime: Date.UTC(2026, 10, 20, 7, 30),
  timeZone: 'Asia/Shanghai',
  projectId: 'demo',
};

/** The ledger's own end-of-day counts, before any anomaly is planted in them. */
function getLedgerRows(options: DemoOptions): InventoryRow[] {
  const calendar = createDemoCalendar(options.endTime, options.days, options.timeZone);
  return [...simulateShop(options, calendar).plans].flatMap((plan) => plan.inventory);
}

describe('planted stock anomalies', () => {
  const ledger = getLedgerRows(OPTIONS);
  const reported = generateDemoCatalog(OPTIONS).inventory;
  const calendar = createDemoCalendar(OPTIONS.endTime, OPTIONS.days, OPTIONS.timeZone);
  const dayOf = (row: InventoryRow) =>
    calendar.findIndex((day) => day.end - 1_000 === row.snapshotTime);
  const changed = reported
    .map((row, index) => ({ row, before: ledger[index] }))
    .filter(
      ({ row, before }) => row.onHand !== before?.onHand || row.inTransit !== before.inTransit,
    );
  const shrinkage = findDemoStockAnomaly('stock_shrinkage');
  const restock = findDemoStockAnomaly('restock_outlier');
  const shrinkageDay = getDemoStockAnomalyDay(shrinkage, OPTIONS.days) ?? -1;
  const restockDay = getDemoStockAnomalyDay(restock, OPTIONS.days) ?? -1;

  it('changes only the planted counts, by the planted units from their day on', () => {
    expect(reported.map((row) => [row.productId, row.snapshotTime])).toEqual(
      ledger.map((row) => [row.productId, row.snapshotTime]),
    );
    const shipped = changed.filter(({ row, before }) => row.inTransit !== before?.inTransit);
    // The delivery is in transit only the day before it is counted, with nothing else under way.
    expect(shipped.map(({ row }) => dayOf(row))).toEqual([restockDay - 1]);
    const [delivery] = shipped;
    expect(delivery?.before?.inTransit).toBe(0);
    const units = delivery?.row.inTransit ?? 0;
    expect(units % restock.details.multiple).toBe(0);
    expect(units / restock.details.multiple).toBeGreaterThanOrEqual(24);
    const lost = changed.find(({ row }) => dayOf(row) === shrinkageDay);
    expect(lost).toBeDefined();
    reported.forEach((row, index) => {
      const day = dayOf(row);
      const before = ledger[index];
      const offset =
        (row.productId === lost?.row.productId && day >= shrinkageDay
          ? -shrinkage.details.units
          : 0) + (row.productId === delivery?.row.productId && day >= restockDay ? units : 0);
      expect(row.onHand, `${row.productId} day ${day}`).toBe(
        Math.max(0, (before?.onHand ?? 0) + offset),
      );
      expect(row.inTransit).toBe((before?.inTransit ?? 0) + (row === delivery?.row ? units : 0));
      expect(row.reserved).toBeLessThanOrEqual(row.onHand);
    });
  });

  it('plants nothing in a period too short for the days', () => {
    const short = { ...OPTIONS, days: 6 };
    expect(generateDemoCatalog(short).inventory).toEqual(getLedgerRows(short));
  });
});

import { expect } from 'vitest';
import type { DemoReportExpectation } from '../bootstrap/demo-report-expectations.ts';
import { findDemoAnomaly, findDemoStockAnomaly } from '../demo/index.ts';

type Row = Record<string, unknown>;

function rowsOf(value: unknown, key: string): Row[] {
  const list = (value as Row)[key];
  expect(Array.isArray(list)).toBe(true);
  return list as Row[];
}

/**
 * What the anomaly detector reports show on the demo project (days after the first up to now),
 * in the shape of DEMO_REPORT_EXPECTATIONS (bootstrap/demo-report-expectations.ts), which should
 * spread them in.
 */
export const ANOMALY_REPORT_EXPECTATIONS: Readonly<Record<string, DemoReportExpectation>> = {
  anomaly_order_bursts: {
    body: {},
    check(result) {
      const planted = findDemoAnomaly('order_burst').details;
      const bursts = rowsOf(result, 'bursts');
      expect(bursts).toHaveLength(1);
      expect(bursts[0]).toMatchObject({ deviceId: planted.deviceId, orderCount: planted.orders });
    },
  },
  anomaly_large_first_orders: {
    body: {},
    check(result) {
      const planted = findDemoAnomaly('large_first_order').details;
      const orders = rowsOf(result, 'orders');
      expect(orders.map((o) => o.account)).toContain(planted.userId);
      expect(orders.length).toBeLessThanOrEqual(5);
    },
  },
  anomaly_shared_addresses: {
    body: {},
    check(result) {
      for (const address of rowsOf(result, 'addresses'))
        expect(address.accountCount).toBeGreaterThanOrEqual(3);
    },
  },
  anomaly_amount_outliers: {
    body: {},
    check(result) {
      const planted = findDemoAnomaly('large_first_order').details;
      expect((result as Row).median).toBeGreaterThan(0);
      const orders = rowsOf(result, 'orders');
      expect(orders.map((o) => o.account)).toContain(planted.userId);
      expect(orders.length).toBeLessThanOrEqual(3);
    },
  },
  anomaly_inventory_risks: {
    body: {},
    check(result) {
      expect(rowsOf(result, 'lowStock').length).toBeLessThanOrEqual(5);
      // The demo is shorter than the 30 days a slow mover needs.
      expect(rowsOf(result, 'slowMovers')).toEqual([]);
    },
  },
  anomaly_restock_anomalies: {
    body: {},
    check(result) {
      // Only what the demo plants in its stock counts; normal restocks and sales balance.
      const [restock] = rowsOf(result, 'restockOutliers');
      expect(rowsOf(result, 'restockOutliers')).toHaveLength(1);
      expect(restock).toMatchObject({ overstock: true });
      expect(
        Number(restock?.quantity) % findDemoStockAnomaly('restock_outlier').details.multiple,
      ).toBe(0);
      const losses = rowsOf(result, 'shrinkage');
      expect(losses.map((loss) => loss.unexplainedUnits)).toEqual([
        findDemoStockAnomaly('stock_shrinkage').details.units,
      ]);
      expect(rowsOf(result, 'lateRestocks')).toEqual([]);
    },
  },
};

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrderRow } from '../../../testing/order-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import type { InventoryRow, OrderItemRow, ProductRow } from '../../../store/index.ts';
import { inventoryRisksParams, inventoryRisksReport } from './inventory-risks-report.ts';

const D20 = Date.parse('2026-11-19T16:00:00Z');
const D21 = D20 + 86_400_000;
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

const snapshot = (
  productId: string,
  at: number,
  stock: Partial<InventoryRow> = {},
): InventoryRow => ({
  projectId: 'p_test',
  productId,
  warehouse: 'WH-1',
  snapshotTime: at,
  onHand: 10,
  reserved: 0,
  inTransit: 0,
  reorderPoint: null,
  leadTimeDays: null,
  ...stock,
});
const product = (productId: string): ProductRow => ({
  projectId: 'p_test',
  productId,
  sku: null,
  name: `Product ${productId}`,
  category: null,
  brand: null,
  price: 1_000,
  cost: null,
  status: 'active',
  updatedAt: D20,
});
const line = (orderId: string, productId: string, quantity: number): OrderItemRow => ({
  projectId: 'p_test',
  orderId,
  lineNo: 1,
  productId,
  sku: null,
  category: null,
  quantity,
  unitPrice: 1_000,
  amount: quantity * 1_000,
  costAmount: null,
});

describe('anomaly_inventory_risks report', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    const stocked = D20 - 40 * DAY;
    await f.load({
      products: ['P1', 'P2', 'P3', 'P4', 'P5'].map(product),
      inventory: [
        // P1: only the latest snapshot before the end counts (not the older one, not the later).
        snapshot('P1', stocked, { onHand: 100, leadTimeDays: 5 }),
        snapshot('P1', D20 + 3_600_000, { onHand: 20, reserved: 5, leadTimeDays: 5 }),
        snapshot('P1', D21 + 3_600_000, { onHand: 0, leadTimeDays: 5 }),
        // P2: no lead time: the default 7 days.
        snapshot('P2', stocked),
        // P3: in stock, last sold 35 days ago.
        snapshot('P3', stocked, { onHand: 5 }),
        // P4: plenty of stock, sold 3 days ago.
        snapshot('P4', stocked, { onHand: 50, leadTimeDays: 3 }),
        // P5: stocked 10 days ago, never sold: too new to be a slow mover.
        snapshot('P5', D20 - 10 * DAY),
      ],
      orders: [
        makeOrderRow({ orderId: 'o1', paidAt: D21 - 2 * DAY }),
        makeOrderRow({ orderId: 'o2', paidAt: D21 - 20 * DAY }),
        makeOrderRow({ orderId: 'o3', paidAt: D21 - DAY }),
        makeOrderRow({ orderId: 'o4', paidAt: D21 - 35 * DAY }),
        makeOrderRow({ orderId: 'o5', paidAt: D21 - 3 * DAY }),
        makeOrderRow({ orderId: 'o6', status: 'pending', paidAt: null, orderTime: D21 - DAY }),
      ],
      orderItems: [
        line('o1', 'P1', 56),
        line('o2', 'P1', 100),
        line('o3', 'P2', 28),
        line('o4', 'P3', 1),
        line('o5', 'P4', 1),
        line('o6', 'P5', 100),
      ],
    });
  });
  afterAll(() => f.close());

  it('flags stock below the lead-time need and slow movers', async () => {
    const ctx = f.ctx({ from: D20, to: D21 });
    const result = await inventoryRisksReport.run(ctx, inventoryRisksParams.parse({}));
    expect(result.lowStock).toEqual([
      {
        productId: 'P1',
        name: 'Product P1',
        snapshotAt: iso(D20 + 3_600_000),
        onHand: 20,
        reserved: 5,
        inTransit: 0,
        available: 15,
        leadTimeDays: 5,
        leadTimeDefaulted: false,
        avgDailyUnits: 4,
        leadTimeNeed: 20,
        lastSoldAt: iso(D21 - 2 * DAY),
        stockedSince: iso(D20 - 40 * DAY),
      },
      expect.objectContaining({
        productId: 'P2',
        available: 10,
        leadTimeDays: 7,
        leadTimeDefaulted: true,
        avgDailyUnits: 2,
        leadTimeNeed: 14,
      }),
    ]);
    expect(result.slowMovers.map((p) => [p.productId, p.lastSoldAt])).toEqual([
      ['P3', iso(D21 - 35 * DAY)],
    ]);
    // With a 5-day lead time P2 needs exactly its 10 units; after 40 days P3 is no longer slow.
    const shorter = await inventoryRisksReport.run(
      ctx,
      inventoryRisksParams.parse({ defaultLeadTimeDays: 5, slowMoverDays: 40 }),
    );
    expect(shorter.lowStock.map((p) => p.productId)).toEqual(['P1']);
    expect(shorter.slowMovers).toEqual([]);
  });

  it('lays both lists out as one table', async () => {
    const ctx = f.ctx({ from: D20, to: D21 });
    const params = inventoryRisksParams.parse({});
    const table = inventoryRisksReport.toTable(await inventoryRisksReport.run(ctx, params), params);
    expect(table.rows.map((row) => [row[0], row[1]])).toEqual([
      ['low_stock', 'P1'],
      ['low_stock', 'P2'],
      ['slow_mover', 'P3'],
    ]);
  });
});

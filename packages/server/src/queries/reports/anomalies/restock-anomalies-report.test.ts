import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryRow, OrderItemRow, OrderRow, ProductRow } from '../../../store/index.ts';
import { makeOrderRow } from '../../../testing/order-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import { restockAnomaliesParams, restockAnomaliesReport } from './restock-anomalies-report.ts';

const DAY = 86_400_000;
/** Counts are taken at local midnight (Asia/Shanghai) of day k. */
const BASE = Date.parse('2026-10-01T16:00:00Z');
const at = (day: number) => BASE + day * DAY;
const iso = (day: number) => new Date(at(day)).toISOString();
const LAST_DAY = 40;

interface Script {
  start: number;
  /** Units asked for on day k (sold as far as stock allows, before that day's delivery). */
  sell: number;
  restock?: Record<number, number>;
  lose?: Record<number, number>;
}

interface Rows {
  inventory: InventoryRow[];
  orders: OrderRow[];
  orderItems: OrderItemRow[];
}

const count = (
  productId: string,
  day: number,
  onHand: number,
  warehouse = 'WH-1',
): InventoryRow => ({
  projectId: 'p_test',
  productId,
  warehouse,
  snapshotTime: at(day),
  onHand,
  reserved: 0,
  inTransit: 0,
  reorderPoint: null,
  leadTimeDays: null,
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

/** Daily counts of one product from day 0 to LAST_DAY, with one paid order per day of sales. */
function play(productId: string, script: Script, rows: Rows): void {
  let onHand = script.start;
  rows.inventory.push(count(productId, 0, onHand));
  for (let day = 1; day <= LAST_DAY; day += 1) {
    const sold = Math.min(onHand, script.sell);
    onHand += (script.restock?.[day] ?? 0) - sold - (script.lose?.[day] ?? 0);
    rows.inventory.push(count(productId, day, onHand));
    if (sold === 0) continue;
    const orderId = `${productId}-d${day}`;
    rows.orders.push(makeOrderRow({ orderId, paidAt: at(day) - 6 * 3_600_000 }));
    rows.orderItems.push(line(orderId, productId, sold));
  }
}

const product = (productId: string, cost: number | null = null): ProductRow => ({
  projectId: 'p_test',
  productId,
  sku: null,
  name: `Product ${productId}`,
  category: null,
  brand: null,
  price: 1_000,
  cost,
  status: 'active',
  updatedAt: BASE,
});

describe('anomaly_restock_anomalies report', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    const rows: Rows = { inventory: [], orders: [], orderItems: [] };
    // P1: usual restocks of 38–44 units, then 300 (7.5×) on day 28, then a usual one again.
    play('P1', { start: 60, sell: 4, restock: { 7: 38, 14: 40, 21: 44, 28: 300, 35: 40 } }, rows);
    // P2: the same 300 after a single earlier restock: too little history to call it unusual.
    play('P2', { start: 100, sell: 4, restock: { 14: 40, 28: 300 } }, rows);
    // P3: no history, but 200 units of a product selling 1 a day: 200 days of stock.
    play('P3', { start: 30, sell: 1, restock: { 25: 200 } }, rows);
    // P4: 10 units gone beyond 3 sold on day 30 (flagged), 4 on day 33 (within 5 units).
    play('P4', { start: 200, sell: 3, lose: { 30: 10, 33: 4 } }, rows);
    // P5: sells 60 a day: 10 lost is within 20% of sales (12), 13 is not.
    play('P5', { start: 3_000, sell: 60, lose: { 30: 10, 32: 13 } }, rows);
    // P6: sells 2 a day until it runs out on day 10; restocked only on day 30.
    play('P6', { start: 20, sell: 2, restock: { 30: 50 } }, rows);
    // P7: out of stock from day 22 to 26 only.
    play('P7', { start: 44, sell: 2, restock: { 26: 40 } }, rows);
    // P8: never sold, stocked for the first time on day 25: no demand to judge by.
    play('P8', { start: 0, sell: 0, restock: { 25: 30 } }, rows);
    // P9: a second warehouse counted now and then, and a transfer between the two on day 30.
    for (let day = 0; day <= LAST_DAY; day += 1)
      rows.inventory.push(count('P9', day, day < 30 ? 50 : 40));
    rows.inventory.push(count('P9', 0, 10, 'WH-2'), count('P9', 20, 10, 'WH-2'));
    rows.inventory.push(count('P9', 30, 20, 'WH-2'));
    // An unpaid order is no sale: P4's day-30 loss stays unexplained.
    rows.orders.push(
      makeOrderRow({
        orderId: 'pending',
        status: 'pending',
        paidAt: null,
        orderTime: at(30) - DAY / 2,
      }),
    );
    rows.orderItems.push(line('pending', 'P4', 10));
    await f.load({
      products: ['P1', 'P2', 'P3', 'P5', 'P6', 'P7', 'P8', 'P9']
        .map((id) => product(id))
        .concat(product('P4', 500)),
      ...rows,
    });
  });
  afterAll(() => f.close());

  const run = (from: number, to: number, params: Record<string, unknown> = {}) =>
    restockAnomaliesReport.run(f.ctx({ from, to }), restockAnomaliesParams.parse(params));

  it('flags a restock far above the usual ones, with the range it was compared with', async () => {
    const result = await run(at(20), at(LAST_DAY + 1));
    expect(result.restockOutliers.map((r) => [r.productId, r.restockedAt])).toEqual([
      ['P1', iso(28)],
      ['P3', iso(25)],
    ]);
    const [p1] = result.restockOutliers;
    expect(p1).toEqual({
      productId: 'P1',
      name: 'Product P1',
      previousCountAt: iso(27),
      restockedAt: iso(28),
      onHandBefore: 74,
      onHandAfter: 370,
      inTransitBefore: 0,
      inTransitAfter: 0,
      unitsSold: 4,
      quantity: 300,
      historyRestocks: 3,
      usualQuantity: 40,
      quantityMad: 2,
      usualMax: 120,
      multipleOfUsual: 7.5,
      robustZ: expect.closeTo((0.6745 * 260) / 2, 9),
      unitsSoldBefore: 108,
      inStockDaysBefore: 27,
      avgDailyUnits: 4,
      coverDays: 75,
      aboveUsual: true,
      overstock: false,
    });
  });

  it('flags a restock lasting far longer than demand, without history', async () => {
    const result = await run(at(20), at(LAST_DAY + 1));
    expect(result.restockOutliers[1]).toMatchObject({
      productId: 'P3',
      quantity: 200,
      historyRestocks: 0,
      usualQuantity: null,
      usualMax: null,
      avgDailyUnits: 1,
      coverDays: 200,
      aboveUsual: false,
      overstock: true,
    });
    // 200 days of stock is within a 250-day limit.
    const lenient = await run(at(20), at(LAST_DAY + 1), { maxCoverDays: 250 });
    expect(lenient.restockOutliers.map((r) => r.productId)).toEqual(['P1']);
  });

  it('needs minHistory earlier restocks before calling a quantity unusual', async () => {
    const one = await run(at(20), at(LAST_DAY + 1), { minHistory: 1 });
    expect(one.restockOutliers.map((r) => [r.productId, r.historyRestocks, r.usualMax])).toEqual([
      ['P1', 3, 120],
      ['P2', 1, 120],
      ['P3', 0, null],
    ]);
    const four = await run(at(20), at(LAST_DAY + 1), { minHistory: 4 });
    expect(four.restockOutliers.map((r) => r.productId)).toEqual(['P3']);
  });

  it('flags stock lost beyond the units sold and the tolerance', async () => {
    const result = await run(at(20), at(LAST_DAY + 1));
    expect(result.shrinkage).toEqual([
      expect.objectContaining({
        productId: 'P5',
        fromAt: iso(31),
        toAt: iso(32),
        unitsSold: 60,
        stockDecrease: 73,
        unexplainedUnits: 13,
        tolerance: 12,
        unitCost: null,
        unexplainedCost: null,
      }),
      {
        productId: 'P4',
        name: 'Product P4',
        fromAt: iso(29),
        toAt: iso(30),
        onHandBefore: 113,
        onHandAfter: 100,
        unitsSold: 3,
        stockDecrease: 13,
        unexplainedUnits: 10,
        tolerance: 5,
        unitCost: 500,
        unexplainedCost: 5_000,
      },
    ]);
    const strict = await run(at(20), at(LAST_DAY + 1), { shrinkageMinUnits: 3, shrinkageShare: 0 });
    expect(strict.shrinkage.map((s) => [s.productId, s.toAt])).toEqual([
      ['P4', iso(33)],
      ['P5', iso(32)],
      ['P4', iso(30)],
      ['P5', iso(30)],
    ]);
  });

  it('flags a restock after a long stockout of a product that was selling', async () => {
    const result = await run(at(20), at(LAST_DAY + 1));
    expect(result.lateRestocks).toEqual([
      {
        productId: 'P6',
        name: 'Product P6',
        lastInStockAt: iso(9),
        outOfStockSince: iso(10),
        restockedAt: iso(30),
        stockoutDays: 20,
        quantity: 50,
        onHandAfter: 50,
        unitsSoldDuring: 0,
        unitsSoldBefore: 20,
        inStockDaysBefore: 10,
        avgDailyUnits: 2,
        lostUnitsEstimate: 40,
      },
    ]);
    // P7 was out for 4 days; P8 never sold.
    const tight = await run(at(20), at(LAST_DAY + 1), { maxStockoutDays: 3 });
    expect(tight.lateRestocks.map((l) => [l.productId, l.stockoutDays])).toEqual([
      ['P6', 20],
      ['P7', 4],
    ]);
  });

  it('reports only counts taken in the range', async () => {
    const early = await run(at(20), at(28));
    expect(early.restockOutliers.map((r) => r.productId)).toEqual(['P3']);
    expect(early.shrinkage).toEqual([]);
    expect(early.lateRestocks).toEqual([]);
  });

  it('carries a warehouse’s last count forward, also from before the looked-at days', async () => {
    const result = await run(at(30), at(LAST_DAY + 1), { historyDays: 1, salesDays: 1 });
    expect(result.shrinkage.map((s) => [s.productId, s.toAt])).toEqual([
      ['P5', iso(32)],
      ['P4', iso(30)],
    ]);
    // P9 never moved in total; P1's day-35 restock has no history or demand this short.
    expect(result.restockOutliers).toEqual([]);
    // The stockout is only seen from the first looked-at count (day 27): 3 days.
    expect(result.lateRestocks).toEqual([]);
  });

  it('lays the three lists out as one table', async () => {
    const params = restockAnomaliesParams.parse({});
    const result = await restockAnomaliesReport.run(
      f.ctx({ from: at(20), to: at(LAST_DAY + 1) }),
      params,
    );
    const table = restockAnomaliesReport.toTable(result, params);
    expect(table.rows.map((row) => [row[0], row[1], row[4]])).toEqual([
      ['restock_outlier', 'P1', iso(28)],
      ['restock_outlier', 'P3', iso(25)],
      ['stock_shrinkage', 'P5', iso(32)],
      ['stock_shrinkage', 'P4', iso(30)],
      ['late_restock', 'P6', iso(30)],
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryRow, OrderItemRow, OrderRow, ProductRow } from '../store/index.ts';
import { makeOrderRow } from '../testing/order-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../testing/query-fixture.ts';
import { runDetectors } from './run-detectors.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const BASE = Date.parse('2026-11-01T15:59:59Z');
const at = (day: number) => BASE + day * DAY;
const iso = (day: number) => new Date(at(day)).toISOString();
/** A scheduled scan 20 hours after the last count: its 2-hour window holds no count. */
const TO = at(16) + 20 * HOUR;
const FROM = TO - 2 * HOUR;
const RESTOCK_KINDS = new Set(['restock_outlier', 'stock_shrinkage', 'late_restock']);

interface Rows {
  inventory: InventoryRow[];
  orders: OrderRow[];
  orderItems: OrderItemRow[];
}

/** Daily counts, days 0–16: `sell` units a day as far as stock allows, then that day's changes. */
function play(
  productId: string,
  script: { start: number; sell: number; change?: Record<number, number> },
  rows: Rows,
): void {
  let onHand = script.start;
  for (let day = 0; day <= 16; day += 1) {
    const sold = day === 0 ? 0 : Math.min(onHand, script.sell);
    onHand += (script.change?.[day] ?? 0) - sold;
    rows.inventory.push({
      projectId: 'p_test',
      productId,
      warehouse: 'main',
      snapshotTime: at(day),
      onHand,
      reserved: 0,
      inTransit: 0,
      reorderPoint: null,
      leadTimeDays: null,
    });
    if (sold === 0) continue;
    const orderId = `${productId}-${day}`;
    rows.orders.push(makeOrderRow({ orderId, paidAt: at(day) - 6 * HOUR }));
    rows.orderItems.push({
      projectId: 'p_test',
      orderId,
      lineNo: 1,
      productId,
      sku: null,
      category: null,
      quantity: sold,
      unitPrice: 1_000,
      amount: sold * 1_000,
      costAmount: null,
    });
  }
}

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
  updatedAt: BASE,
});

describe('restock findings', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    const rows: Rows = { inventory: [], orders: [], orderItems: [] };
    // S1: 20 units gone on the last day, nothing sold.
    play('S1', { start: 50, sell: 0, change: { 16: -20 } }, rows);
    // S2: sells 1 a day; 500 units arrive on day 15.
    play('S2', { start: 40, sell: 1, change: { 15: 500 } }, rows);
    // S3: sells 2 a day until it runs out on day 5; restocked on day 15.
    play('S3', { start: 10, sell: 2, change: { 15: 30 } }, rows);
    await f.load({ products: ['S1', 'S2', 'S3'].map(product), ...rows });
  });
  afterAll(() => f.close());

  const scan = async (recheckDays?: number) => {
    const drafts = await runDetectors({
      store: f.store,
      project: { id: 'p_test', timeZone: 'Asia/Shanghai' },
      from: FROM,
      to: TO,
      settings: recheckDays === undefined ? {} : { restocks: { recheckDays } },
    });
    return drafts.filter((draft) => RESTOCK_KINDS.has(draft.kind));
  };

  it('looks at the counts of the last days again, with one key per product and count', async () => {
    const drafts = await scan();
    expect(drafts.map(({ evidence: _, ...draft }) => draft)).toEqual([
      {
        kind: 'restock_outlier',
        dedupKey: `restock_outlier:S2:${iso(15)}`,
        severity: 'medium',
        summary: `Product S2: 500 units received between ${iso(14)} and ${iso(15)}, 500 days of sales at 1/day`,
        occurredAt: at(15),
      },
      {
        kind: 'stock_shrinkage',
        dedupKey: `stock_shrinkage:S1:${iso(16)}`,
        severity: 'high',
        summary: `Product S1: stock fell by 20 between ${iso(15)} and ${iso(16)} but 0 were sold: 20 unexplained`,
        occurredAt: at(16),
      },
      {
        kind: 'late_restock',
        dedupKey: `late_restock:S3:${iso(15)}`,
        severity: 'medium',
        // Five in-stock days are too few for a daily rate (minSalesDays 7): the units are named.
        summary: `Product S3: out of stock for 10 days (${iso(5)} – ${iso(15)}), 10 sold before`,
        occurredAt: at(15),
      },
    ]);
    expect(drafts[0]?.evidence).toMatchObject({ quantity: 500, coverDays: 500, maxCoverDays: 90 });
    expect(drafts[2]?.evidence).toMatchObject({
      stockoutDays: 10,
      unitsSoldBefore: 10,
      avgDailyUnits: null,
      maxStockoutDays: 7,
      salesDays: 28,
    });
  });

  it('keeps to the scan window when told not to look back', async () => {
    expect(await scan(0)).toEqual([]);
    // One day back reaches the last count only.
    expect((await scan(1)).map((draft) => draft.kind)).toEqual(['stock_shrinkage']);
  });
});

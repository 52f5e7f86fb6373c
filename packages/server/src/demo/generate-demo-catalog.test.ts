import type { InventoryRow } from '../store/index.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDemoCalendar } from './demo-calendar.ts';
import { generateDemoCatalog, generateDemoDays, type DemoOptions } from './index.ts';

const OPTIONS: DemoOptions = {
  seed: 99,
  days: 12,
  scale: 0.5,
  endTime: Date.UTC(2025, 4, 31, 16),
  timeZone: 'Asia/Shanghai',
  projectId: 'proj_demo',
};

interface EventCounts {
  /** Units per product in order_completed events, per day. */
  sold: Map<string, number[]>;
  /** Sessions landing from each campaign, by "<day index>/<channel>/<campaign>". */
  landings: Map<string, Set<string>>;
}

async function countEvents(options: DemoOptions): Promise<EventCounts> {
  const sold = new Map<string, number[]>();
  const landings = new Map<string, Set<string>>();
  for (const chunk of generateDemoDays(options)) {
    for (const { event } of chunk.inputs) {
      if (event.type === 'page' && event.utm_campaign) {
        const key = `${chunk.day}/${event.channel}/${event.utm_campaign}`;
        landings.set(key, (landings.get(key) ?? new Set()).add(event.session_id ?? ''));
      }
      const items = event.props?.items;
      if (event.name !== 'order_completed' || !Array.isArray(items)) continue;
      for (const item of items as unknown[]) {
        if (typeof item !== 'object' || item === null) continue;
        const { product_id: productId, quantity } = item as Record<string, unknown>;
        if (typeof productId !== 'string' || typeof quantity !== 'number') continue;
        const perDay = sold.get(productId) ?? new Array<number>(options.days).fill(0);
        perDay[chunk.day] = (perDay[chunk.day] ?? 0) + quantity;
        sold.set(productId, perDay);
      }
    }
    // Yield between days so the test worker can answer vitest's RPC.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { sold, landings };
}

function groupByProduct(inventory: InventoryRow[]): Map<string, InventoryRow[]> {
  const byProduct = new Map<string, InventoryRow[]>();
  for (const row of inventory) {
    byProduct.set(row.productId, [...(byProduct.get(row.productId) ?? []), row]);
  }
  return byProduct;
}

describe('generateDemoCatalog', () => {
  const catalog = generateDemoCatalog(OPTIONS);
  const byProduct = groupByProduct(catalog.inventory);
  let sold = new Map<string, number[]>();
  let landings = new Map<string, Set<string>>();
  beforeAll(async () => {
    ({ sold, landings } = await countEvents(OPTIONS));
  });

  it('is deterministic', () => {
    expect(JSON.stringify(generateDemoCatalog(OPTIONS))).toBe(JSON.stringify(catalog));
    const other = generateDemoCatalog({ ...OPTIONS, seed: 100 });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(catalog));
  });

  it('has 60 goods in 6 categories plus weekly, monthly and yearly cards and quota packs', () => {
    const categories = new Map<string, number>();
    for (const product of catalog.products) {
      categories.set(product.category ?? '', (categories.get(product.category ?? '') ?? 0) + 1);
      expect(product.projectId).toBe(OPTIONS.projectId);
      expect(Number.isInteger(product.price)).toBe(true);
      expect(product.price).toBeGreaterThan(0);
    }
    expect(new Set(catalog.products.map((product) => product.productId)).size).toBe(65);
    expect([...categories.values()].filter((count) => count === 10)).toHaveLength(6);
    expect(categories.get('membership')).toBe(3);
    expect(categories.get('quota')).toBe(2);
    for (const product of catalog.products.filter((row) => byProduct.has(row.productId))) {
      const ratio = (product.cost ?? 0) / product.price;
      expect(ratio).toBeGreaterThanOrEqual(0.49);
      expect(ratio).toBeLessThanOrEqual(0.71);
    }
    expect(catalog.products.filter((product) => product.status === 'inactive')).toHaveLength(1);
  });

  it('snapshots every goods product at the end of every day', () => {
    const calendar = createDemoCalendar(OPTIONS.endTime, OPTIONS.days, OPTIONS.timeZone);
    expect(byProduct.size).toBe(60);
    for (const rows of byProduct.values()) {
      expect(rows.map((row) => row.snapshotTime)).toEqual(calendar.map((day) => day.end - 1_000));
      for (const row of rows) {
        expect(row.onHand).toBeGreaterThanOrEqual(0);
        expect(row.reserved).toBeLessThanOrEqual(row.onHand);
        expect(row.reorderPoint).toBeGreaterThan(0);
      }
    }
  });

  it('lowers stock by the units the order events report, plus restocks', () => {
    let totalSold = 0;
    let mismatch = 0;
    for (const [productId, rows] of byProduct) {
      let fromStock = 0;
      for (let day = 1; day < rows.length; day += 1) {
        const before = rows[day - 1];
        const after = rows[day];
        if (!before || !after) continue;
        const arrived = before.inTransit > 0 && after.inTransit !== before.inTransit;
        fromStock += before.onHand + (arrived ? before.inTransit : 0) - after.onHand;
      }
      const fromEvents = (sold.get(productId) ?? []).slice(1).reduce((sum, n) => sum + n, 0);
      totalSold += fromEvents;
      mismatch += Math.abs(fromStock - fromEvents);
    }
    expect(totalSold).toBeGreaterThan(500);
    // Sessions that pay just after midnight report the sale in the next day's chunk.
    expect(mismatch / totalSold).toBeLessThan(0.02);
  });

  it('has slow movers that never sell and a few products running low', () => {
    const slowMovers = [...byProduct.keys()].filter((productId) => !sold.has(productId));
    expect(slowMovers.length).toBeGreaterThanOrEqual(3);
    for (const productId of slowMovers) {
      const onHand = new Set(byProduct.get(productId)?.map((row) => row.onHand));
      expect(onHand.size).toBe(1);
    }
    const low = [...byProduct.values()].filter((rows) => {
      const last = rows[rows.length - 1];
      return last !== undefined && last.onHand <= (last.reorderPoint ?? 0) && last.inTransit === 0;
    });
    expect(low.length).toBeGreaterThanOrEqual(2);
    const restocked = [...byProduct.values()].filter((rows) => rows.some((row) => row.inTransit));
    expect(restocked.length).toBeGreaterThan(0);
  });

  it('spends on each paid campaign per day in proportion to the visits it sent', () => {
    const calendar = createDemoCalendar(OPTIONS.endTime, OPTIONS.days, OPTIONS.timeZone);
    const dayIndex = new Map(
      calendar.map((day) => [
        `${day.dateKey.slice(0, 4)}-${day.dateKey.slice(4, 6)}-${day.dateKey.slice(6)}`,
        day.index,
      ]),
    );
    const perVisit = new Map<string, number[]>();
    const keys = new Set<string>();
    for (const row of catalog.campaignCosts) {
      const key = `${dayIndex.get(row.day)}/${row.channel}/${row.campaign}`;
      keys.add(key);
      const visits = landings.get(key)?.size ?? 0;
      expect(visits, key).toBeGreaterThan(0);
      expect(Number.isInteger(row.cost)).toBe(true);
      const campaign = `${row.channel}/${row.campaign}`;
      perVisit.set(campaign, [...(perVisit.get(campaign) ?? []), row.cost / visits]);
    }
    // Every paid campaign that sent a visit was paid for; organic and agent traffic was not.
    const paid = new Set(perVisit.keys());
    expect([...paid].sort()).toEqual([
      'affiliate/smzdm_deals',
      'email/flash_sale',
      'email/weekly_digest',
      'paid_search/beauty_new_arrivals',
      'paid_search/brand_keywords',
      'paid_search/digital_618_warmup',
      'paid_search/spring_tea_festival',
      'social/kol_spring_review',
    ]);
    for (const key of landings.keys()) {
      if (paid.has(key.slice(key.indexOf('/') + 1))) expect(keys.has(key), key).toBe(true);
    }
    // A stable price per visit: the same bids every day, give or take the noise.
    for (const [campaign, costs] of perVisit) {
      expect(Math.max(...costs) / Math.min(...costs), campaign).toBeLessThan(1.6);
    }
    const mean = (key: string) => {
      const costs = perVisit.get(key) ?? [];
      return costs.reduce((sum, cost) => sum + cost, 0) / costs.length;
    };
    expect(mean('paid_search/brand_keywords')).toBeLessThan(mean('paid_search/digital_618_warmup'));
    expect(mean('email/weekly_digest')).toBeLessThan(100);
  });
});

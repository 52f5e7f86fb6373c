import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrderRow } from '../../../testing/order-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import type { QueryContext } from '../../context/query-context.ts';
import { customer, record } from './service-event-fixture.ts';
import { activeWindow, serviceStatsParams, serviceStatsReport } from './service-stats-report.ts';

// Shanghai is UTC+8: local day 2026-11-20 runs from 2026-11-19T16:00Z to 2026-11-20T16:00Z.
const D20 = Date.parse('2026-11-19T16:00:00Z');
const D21 = D20 + 86_400_000;
const D22 = D21 + 86_400_000;
const DAY = 86_400_000;
const HOUR = 3_600_000;

const retail = { customer_type: 'individual', source: 'web', industry: 'retail', size: 'small' };

async function runStats(ctx: QueryContext, params: Record<string, unknown> = {}) {
  return serviceStatsReport.run(ctx, serviceStatsParams.parse(params));
}

describe('service_stats report', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load({
      events: [
        customer('c1', D20 - 5 * DAY, retail, { channel: 'baidu', province: 'Guangdong' }),
        // c1 sent again in the range as an organization: latest attributes win, not new.
        customer(
          'c1',
          D20 + HOUR,
          { ...retail, customer_type: 'organization' },
          { channel: 'baidu', province: 'Guangdong' },
        ),
        customer('c2', D20, {
          customer_type: 'organization',
          source: 'referral',
          industry: 'manufacturing',
          size: 'large',
          region: 'Zhejiang',
        }),
        customer('c2', D20 + 5 * HOUR, {
          customer_type: 'organization',
          source: 'referral',
          industry: 'manufacturing',
          size: 'medium',
          region: 'Zhejiang',
        }),
        customer(
          'c3',
          D21 - 1,
          { ...retail, customer_type: 'organization' },
          { channel: 'baidu', receivedAt: D22 },
        ),
        customer('c4', D21, retail),
        customer(undefined, D20 + HOUR, retail),
        customer('bot', D20 + HOUR, retail, { bot: true }),
        // r1 closed after it was opened, though the close arrived first; reopened the next day.
        record(
          'r1',
          'c1',
          D20 + 3 * HOUR,
          { status: 'closed', priority: 'high', assignee: 'alice', service_type: 'repair' },
          { receivedAt: D20 + 3 * HOUR },
        ),
        record(
          'r1',
          'c1',
          D20 + HOUR,
          { status: 'open', priority: 'high', assignee: 'alice', service_type: 'repair' },
          { receivedAt: D20 + 4 * HOUR },
        ),
        record('r1', 'c1', D21 + HOUR, {
          status: 'reopened',
          priority: 'high',
          assignee: 'alice',
          service_type: 'repair',
        }),
        record('r2', 'c2', D20 + 2 * HOUR, {
          status: 'open',
          priority: 'low',
          assignee: 'bob',
          service_type: 'install',
        }),
        record('r3', 'c7', D20 - 10 * DAY, {
          status: 'in_progress',
          priority: 'high',
          service_type: 'repair',
        }),
        record('r4', 'c9', D20 - 40 * DAY, { status: 'open' }),
        // r5: two events at the same instant; the one received later wins.
        record(
          'r5',
          'c3',
          D20 + 6 * HOUR,
          { status: 'open', priority: 'low', assignee: 'alice', service_type: 'install' },
          { receivedAt: D20 + 6 * HOUR },
        ),
        record(
          'r5',
          'c3',
          D20 + 6 * HOUR,
          { status: 'closed', priority: 'low', assignee: 'alice', service_type: 'install' },
          { receivedAt: D20 + 7 * HOUR },
        ),
      ],
      orders: [
        makeOrderRow({
          orderId: 'o1',
          payAmount: 10_000,
          productType: 'goods',
          paidAt: D20 + HOUR,
        }),
        makeOrderRow({
          orderId: 'o2',
          payAmount: 5_000,
          productType: 'service',
          paidAt: D20 + 2 * HOUR,
        }),
        makeOrderRow({
          orderId: 'o3',
          status: 'pending',
          payAmount: 7_000,
          productType: 'service',
          paidAt: null,
          orderTime: D20 + 3 * HOUR,
        }),
        makeOrderRow({
          orderId: 'o4',
          status: 'cancelled',
          payAmount: 1_000,
          paidAt: null,
          orderTime: D20 + 4 * HOUR,
        }),
        makeOrderRow({ orderId: 'o5', payAmount: 3_000, paidAt: D20 - 1 }),
        makeOrderRow({ orderId: 'o6', payAmount: 2_000, productType: null, paidAt: D21 - 1 }),
      ],
    });
  });
  afterAll(() => f.close());

  const day = (extra: Partial<QueryContext> = {}) => f.ctx({ from: D20, to: D21, ...extra });

  it('counts customers by their latest attributes, new ones by their first event', async () => {
    const result = await runStats(day());
    const c = result.customers;
    expect(c).toMatchObject({ total: 3, new: 2, newByBucket: [2], totalByBucket: [3] });
    expect(c?.breakdowns.customer_type).toEqual([{ key: 'organization', total: 3, new: 2 }]);
    expect(c?.breakdowns.source).toEqual([
      { key: 'web', total: 2, new: 1 },
      { key: 'referral', total: 1, new: 1 },
    ]);
    expect(c?.breakdowns.channel).toEqual([
      { key: 'baidu', total: 2, new: 1 },
      { key: null, total: 1, new: 1 },
    ]);
    expect(c?.breakdowns.region).toEqual([
      { key: 'Guangdong', total: 1, new: 0 },
      { key: 'Zhejiang', total: 1, new: 1 },
      { key: null, total: 1, new: 1 },
    ]);
    expect(c?.breakdowns.size).toEqual([
      { key: 'small', total: 2, new: 1 },
      { key: 'medium', total: 1, new: 1 },
    ]);
    expect(c?.breakdowns.industry.map((r) => r.key)).toEqual(['retail', 'manufacturing']);
  });

  it('grows per local day and counts active customers in the last N days', async () => {
    const result = await runStats(f.ctx({ from: D20, to: D22 }));
    expect(result.buckets.map((b) => b.label)).toEqual(['2026-11-20', '2026-11-21']);
    expect(result.customers).toMatchObject({ newByBucket: [2, 1], totalByBucket: [3, 4] });
    // 30 days before the end of the local 20th: c1, c2, c3 and c7 (c9's record is 41 days old).
    expect((await runStats(day())).customers?.active).toBe(4);
    expect((await runStats(day(), { activeDays: 5 })).customers).toMatchObject({
      active: 3,
      activeFrom: new Date(D21 - 5 * DAY).toISOString(),
    });
    expect(activeWindow({ to: D21 + 6 * HOUR, timeZone: 'Asia/Shanghai' }, 1)).toEqual({
      from: D20 + 6 * HOUR,
      to: D21 + 6 * HOUR,
    });
  });

  it('counts service records by their latest event in the range', async () => {
    const { serviceRecords } = await runStats(day());
    expect(serviceRecords?.total).toBe(3);
    expect(serviceRecords?.breakdowns.status).toEqual([
      { key: 'closed', count: 2, share: 2 / 3 },
      { key: 'open', count: 1, share: 1 / 3 },
    ]);
    expect(serviceRecords?.breakdowns.assignee.map((r) => [r.key, r.count])).toEqual([
      ['alice', 2],
      ['bob', 1],
    ]);
    expect(serviceRecords?.breakdowns.service_type.map((r) => [r.key, r.count])).toEqual([
      ['install', 2],
      ['repair', 1],
    ]);
  });

  it('counts orders by status and paid revenue by product type', async () => {
    const { orders } = await runStats(day());
    expect(orders).toEqual({
      total: 5,
      byStatus: [
        { key: 'paid', count: 3, share: 0.6 },
        { key: 'cancelled', count: 1, share: 0.2 },
        { key: 'pending', count: 1, share: 0.2 },
      ],
      paidOrders: 3,
      revenue: 17_000,
      revenueByProductType: [
        { key: 'goods', orders: 1, revenue: 10_000, share: 10_000 / 17_000 },
        { key: 'service', orders: 1, revenue: 5_000, share: 5_000 / 17_000 },
        { key: null, orders: 1, revenue: 2_000, share: 2_000 / 17_000 },
      ],
      paidOrdersByBucket: [3],
      revenueByBucket: [17_000],
    });
  });

  it('leaves out sections a filter cannot apply to, and answers empty ranges', async () => {
    const retailOnly = await runStats(
      day({ filters: [{ dimension: 'industry', op: 'eq', value: 'retail' }] }),
    );
    expect(retailOnly.orders).toBeNull();
    expect(retailOnly.customers?.total).toBe(2);
    const empty = await runStats(f.ctx({ from: D22 + DAY, to: D22 + 2 * DAY }));
    expect(empty.serviceRecords).toEqual({
      total: 0,
      breakdowns: { status: [], priority: [], assignee: [], service_type: [] },
    });
    expect(empty.orders).toMatchObject({
      total: 0,
      byStatus: [],
      revenue: 0,
      paidOrdersByBucket: [0],
    });
    // Customers are counted up to the end of any range; c1, c2, c3 and c7 had records in the
    // 30 days before it.
    expect(empty.customers).toMatchObject({
      total: 4,
      new: 0,
      active: 4,
      newByBucket: [0],
      totalByBucket: [4],
    });
    const table = serviceStatsReport.toTable(await runStats(day()), serviceStatsParams.parse({}));
    expect(table.rows).toContainEqual(['orders', 'status', 'paid', 'orders', 3]);
    expect(table.rows).toContainEqual(['customers', 'channel', '(none)', 'total', 1]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';
import { makeOrderRow } from '../../../testing/order-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import type { OrderRow } from '../../../store/index.ts';
import { amountOutliersParams, amountOutliersReport } from './amount-outliers-report.ts';
import { largeFirstOrdersParams, largeFirstOrdersReport } from './large-first-orders-report.ts';
import { orderBurstsParams, orderBurstsReport } from './order-bursts-report.ts';
import { sharedAddressesParams, sharedAddressesReport } from './shared-addresses-report.ts';

// Shanghai local day 2026-11-20 runs from 2026-11-19T16:00Z to 2026-11-20T16:00Z.
const D20 = Date.parse('2026-11-19T16:00:00Z');
const D21 = D20 + 86_400_000;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

const order = (projectId: string, orderId: string, at: number, extra: Partial<OrderRow> = {}) =>
  makeOrderRow({ projectId, orderId, paidAt: at, ...extra });

function burstOrders(): OrderRow[] {
  const rows: OrderRow[] = [];
  // ipA + devA: 10 orders 2 minutes apart from two accounts — a burst.
  for (let i = 0; i < 10; i += 1)
    rows.push(
      order('p_burst', `a${i}`, D20 + 3 * HOUR + i * 2 * MINUTE, {
        userId: i % 2 === 0 ? 'u1' : 'u2',
        ipHash: 'ipA',
        deviceId: 'devA',
      }),
    );
  // ipB: 10 orders 4 minutes apart: at most 8 in any 30 minutes.
  for (let i = 0; i < 10; i += 1)
    rows.push(order('p_burst', `b${i}`, D20 + 6 * HOUR + i * 4 * MINUTE, { ipHash: 'ipB' }));
  // devC alone (no IP), 12 orders a minute apart, pending ones count too.
  for (let i = 0; i < 12; i += 1)
    rows.push(
      order('p_burst', `c${i}`, D20 + 9 * HOUR + i * MINUTE, {
        anonymousId: 'anon-c',
        deviceId: 'devC',
        status: i === 0 ? 'pending' : 'paid',
        ...(i === 0 ? { paidAt: null, orderTime: D20 + 9 * HOUR } : {}),
      }),
    );
  // ipA the day before: outside the range.
  for (let i = 0; i < 10; i += 1)
    rows.push(order('p_burst', `old${i}`, D20 - DAY + i * MINUTE, { ipHash: 'ipA' }));
  return rows;
}

function firstOrders(): OrderRow[] {
  const rows: OrderRow[] = [];
  for (let i = 0; i < 20; i += 1)
    rows.push(order('p_first', `h${i}`, D20 - (i + 1) * DAY, { userId: `hist${i}` }));
  rows.push(
    order('p_first', 'new1', D20 + 90 * MINUTE, { userId: 'newbie', payAmount: 150_000 }),
    order('p_first', 'old1', D20 + 2 * HOUR, { userId: 'veteran', payAmount: 200_000 }),
    order('p_first', 'rep0', D20 - 2 * DAY, { userId: 'repeat' }),
    order('p_first', 'rep1', D20 + 3 * HOUR, { userId: 'repeat', payAmount: 200_000 }),
    order('p_first', 'small', D20 + 4 * HOUR, { userId: 'smally', payAmount: 50_000 }),
    order('p_first', 'noevt', D20 + 5 * HOUR, { userId: 'quiet', payAmount: 120_000 }),
  );
  return rows;
}

describe('order anomaly reports', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load({
      orders: [
        ...burstOrders(),
        ...firstOrders(),
        // Shared addresses: A1 by three accounts, A2 by two.
        order('p_addr', 's1', D20 + HOUR, { userId: 'a', addressHash: 'A1' }),
        order('p_addr', 's2', D20 + 2 * HOUR, { userId: 'b', addressHash: 'A1' }),
        order('p_addr', 's3', D20 + 3 * HOUR, { userId: 'a', addressHash: 'A1' }),
        order('p_addr', 's4', D20 + 4 * HOUR, { userId: 'c', addressHash: 'A1' }),
        order('p_addr', 's5', D20 + 5 * HOUR, { userId: 'a', addressHash: 'A2' }),
        order('p_addr', 's6', D20 + 6 * HOUR, { userId: 'b', addressHash: 'A2' }),
        order('p_addr', 's0', D20 - HOUR, { userId: 'd', addressHash: 'A2' }),
        // Amounts: history 8,000 … 12,000 before the range; 10,000, 16,000 and 60,000 in it.
        ...[8_000, 9_000, 10_000, 11_000, 12_000].map((pay, i) =>
          order('p_amt', `m${i}`, D20 - (i + 1) * DAY, { payAmount: pay }),
        ),
        order('p_amt', 't1', D20 + HOUR, { payAmount: 10_000 }),
        order('p_amt', 't2', D20 + 2 * HOUR, { payAmount: 16_000 }),
        order('p_amt', 't3', D20 + 3 * HOUR, { payAmount: 60_000, userId: 'big', ipHash: 'ipZ' }),
      ],
      events: [
        makeEventRow({ projectId: 'p_first', userId: 'newbie', eventTime: D20 + HOUR }),
        makeEventRow({ projectId: 'p_first', userId: 'veteran', eventTime: D20 - 5 * DAY }),
        makeEventRow({ projectId: 'p_first', userId: 'smally', eventTime: D20 + 4 * HOUR }),
      ],
    });
  });
  afterAll(() => f.close());

  const day = (projectId: string) => f.ctx({ projectId, from: D20, to: D21 });

  it('finds bursts per IP or device, one per burst, with their orders and accounts', async () => {
    const result = await orderBurstsReport.run(day('p_burst'), orderBurstsParams.parse({}));
    expect(result.bursts.map((b) => [b.ipHash, b.deviceId, b.orderCount, b.firstOrderId])).toEqual([
      [null, 'devC', 12, 'c0'],
      ['ipA', 'devA', 10, 'a0'],
    ]);
    const [devC, ipA] = result.bursts;
    expect(devC?.accounts).toEqual(['anon-c']);
    expect(devC?.lastAt).toBe(iso(D20 + 9 * HOUR + 11 * MINUTE));
    expect(ipA?.accounts).toEqual(['u1', 'u2']);
    expect(ipA?.orders.map((o) => o.orderId)).toEqual(
      Array.from({ length: 10 }, (_, i) => `a${i}`),
    );
    expect(ipA?.orders[1]).toEqual({
      orderId: 'a1',
      account: 'u2',
      at: iso(D20 + 3 * HOUR + 2 * MINUTE),
    });
    // ipB reaches 8 orders in 30 minutes: a burst at 8, none at the default 10.
    const eight = await orderBurstsReport.run(
      day('p_burst'),
      orderBurstsParams.parse({ minOrders: 8 }),
    );
    expect(eight.bursts.map((b) => [b.ipHash, b.orderCount])).toEqual([
      [null, 12],
      ['ipB', 10],
      ['ipA', 10],
    ]);
  });

  it('finds large first orders of new accounts against the median order', async () => {
    const result = await largeFirstOrdersReport.run(
      day('p_first'),
      largeFirstOrdersParams.parse({ multiple: 10 }),
    );
    expect(result.typicalAmount).toBe(10_000);
    expect(result.threshold).toBe(100_000);
    expect(
      result.orders.map((o) => [o.orderId, o.account, o.accountAgeMinutes, o.multiple]),
    ).toEqual([
      ['noevt', 'quiet', 0, 12],
      ['new1', 'newbie', 30, 15],
    ]);
    expect(result.orders[1]?.firstSeenAt).toBe(iso(D20 + HOUR));
    // A longer notion of "new" takes in the veteran too.
    const week = await largeFirstOrdersReport.run(
      day('p_first'),
      largeFirstOrdersParams.parse({ multiple: 10, newAccountHours: 24 * 7 }),
    );
    expect(week.orders.map((o) => o.orderId)).toEqual(['noevt', 'old1', 'new1']);
  });

  it('finds addresses shared by at least three accounts', async () => {
    const result = await sharedAddressesReport.run(day('p_addr'), sharedAddressesParams.parse({}));
    expect(result.addresses).toEqual([
      {
        addressHash: 'A1',
        accountCount: 3,
        orderCount: 4,
        accounts: ['a', 'b', 'c'],
        firstOrderId: 's1',
        firstAt: iso(D20 + HOUR),
        lastAt: iso(D20 + 4 * HOUR),
        orderIds: ['s1', 's2', 's3', 's4'],
      },
    ]);
    const two = await sharedAddressesReport.run(
      day('p_addr'),
      sharedAddressesParams.parse({ minAccounts: 2 }),
    );
    expect(two.addresses.map((a) => a.addressHash)).toEqual(['A2', 'A1']);
  });

  it('flags order amounts far above the median by robust z', async () => {
    const result = await amountOutliersReport.run(day('p_amt'), amountOutliersParams.parse({}));
    // All eight orders: median 10,500; absolute deviations 500 500 500 1,500 1,500 … → MAD 1,500.
    expect(result).toMatchObject({ median: 10_500, mad: 1_500, zThreshold: 10 });
    expect(result.orders).toHaveLength(1);
    expect(result.orders[0]).toMatchObject({
      orderId: 't3',
      account: 'big',
      ipHash: 'ipZ',
      payAmount: 60_000,
    });
    expect(result.orders[0]?.robustZ).toBeCloseTo((0.6745 * 49_500) / 1_500, 9);
    const two = await amountOutliersReport.run(
      day('p_amt'),
      amountOutliersParams.parse({ zThreshold: 2 }),
    );
    expect(two.orders.map((o) => o.orderId)).toEqual(['t3', 't2']);
  });
});

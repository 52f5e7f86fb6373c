import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEventRow } from '../../testing/event-row-fixture.ts';
import { makeOrderRow, makeRefundRow } from '../../testing/order-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../testing/query-fixture.ts';
import { computeMetricSeries } from './metric-series.ts';

// Shanghai is UTC+8: local day 2026-11-20 runs from 2026-11-19T16:00Z to 2026-11-20T16:00Z.
const D20 = Date.parse('2026-11-19T16:00:00Z');
const D21 = D20 + 86_400_000;
const D22 = D21 + 86_400_000;
const at = (iso: string) => Date.parse(iso);

describe('metric series', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    const ev = (userId: string | null, anonymousId: string | null, iso: string, extra = {}) =>
      makeEventRow({
        userId,
        anonymousId,
        eventTime: at(iso),
        receivedAt: at(iso),
        name: 'login',
        ...extra,
      });
    await f.load({
      events: [
        // 20th (local): u1 twice, u2, a anonymous visitor later linked to u3, a bot, an API call.
        ev('u1', null, '2026-11-19T16:00:00Z'), // local 00:00 on the 20th: counts for the 20th
        ev('u1', null, '2026-11-20T10:00:00Z'),
        ev('u2', null, '2026-11-20T15:59:59.999Z'), // local 23:59:59.999 on the 20th
        ev(null, 'anon-3', '2026-11-20T03:00:00Z'),
        ev('bot', null, '2026-11-20T03:00:00Z', { isBot: true }),
        ev('api', null, '2026-11-20T03:00:00Z', { type: 'api', name: 'api_call' }),
        // 21st (local): u2 and u3 (logged in now).
        ev('u2', null, '2026-11-20T16:00:00Z'),
        ev('u3', 'anon-3', '2026-11-21T01:00:00Z'),
        // Before the range: local 19th.
        ev('u9', null, '2026-11-19T15:59:59.999Z'),
        // Nobody: no user, anonymous or device id. Counted as an event, never as a person.
        ev(null, null, '2026-11-20T05:00:00Z', { deviceId: null }),
      ],
      identities: [
        {
          projectId: 'p_test',
          anonymousId: 'anon-3',
          userId: 'u3',
          linkedAt: at('2026-11-21T01:00:00Z'),
        },
      ],
      orders: [
        makeOrderRow({
          orderId: 'o1',
          userId: 'u1',
          payAmount: 10_000,
          paidAt: at('2026-11-20T10:00:00Z'),
          channel: 'wechat',
        }),
        makeOrderRow({
          orderId: 'o2',
          userId: 'u2',
          payAmount: 5_000,
          paidAt: at('2026-11-20T16:30:00Z'),
          channel: 'douyin',
        }),
        makeOrderRow({
          orderId: 'o3',
          userId: 'u2',
          payAmount: 2_500,
          paidAt: at('2026-11-20T17:00:00Z'),
          channel: 'douyin',
        }),
        makeOrderRow({
          orderId: 'o4',
          userId: 'u1',
          status: 'cancelled',
          payAmount: 99_999,
          paidAt: null,
          orderTime: at('2026-11-20T11:00:00Z'),
        }),
      ],
      // o1 refunded twice in part, on the 22nd: after the period it was paid in.
      refunds: [
        makeRefundRow({
          refundId: 'r1',
          orderId: 'o1',
          amount: 1_000,
          refundTime: at('2026-11-22T02:00:00Z'),
        }),
        makeRefundRow({
          refundId: 'r2',
          orderId: 'o1',
          amount: 500,
          refundTime: at('2026-11-22T03:00:00Z'),
        }),
      ],
    });
  });
  afterAll(() => f.close());

  const days = { from: D20, to: D22 };
  const values = async (metric: string, granularity: 'day' | 'all' = 'day', extra = {}) => {
    const series = await computeMetricSeries(f.ctx({ ...days, ...extra }), metric, { granularity });
    return series.groups[0]?.values;
  };

  it('buckets by local day in the project time zone', async () => {
    const series = await computeMetricSeries(f.ctx(days), 'dau', { granularity: 'day' });
    expect(series.buckets).toEqual([D20, D21]);
    // 20th: u1, u2, and anon-3 who became u3 (bot and API call left out); 21st: u2, u3.
    expect(series.groups).toEqual([{ key: null, values: [3, 2] }]);
  });

  it('counts people across the range, merging identities', async () => {
    expect(await values('active_users', 'all')).toEqual([3]);
    // The same instants in UTC days: u9 (local 19th) is now inside, u3's 01:00Z login outside.
    const utc = await computeMetricSeries(
      f.ctx({
        from: Date.parse('2026-11-19T00:00:00Z'),
        to: Date.parse('2026-11-21T00:00:00Z'),
        timeZone: 'UTC',
      }),
      'dau',
      { granularity: 'day' },
    );
    // UTC 19th: u9 and u1; UTC 20th: u1, u2 (twice) and u3 (as anon-3).
    expect(utc.groups[0]?.values).toEqual([2, 3]);
  });

  it('averages DAU over a coarser bucket and counts distinct users over the range for MAU', async () => {
    expect(await values('dau', 'all')).toEqual([2.5]);
    expect(await values('mau', 'all')).toEqual([3]);
  });

  it('sums GMV of paid orders by payment time, with AOV as a ratio', async () => {
    expect(await values('gmv')).toEqual([10_000, 7_500]);
    expect(await values('orders')).toEqual([1, 2]);
    expect(await values('aov')).toEqual([10_000, 3_750]);
    expect(await values('orders_placed', 'all')).toEqual([4]);
  });

  it('keeps refunds made after the period with the orders they belong to', async () => {
    expect(await values('refunded_orders')).toEqual([1, 0]);
    expect(await values('refund_rate_amount')).toEqual([0.15, 0]);
    expect(await values('refund_rate_orders', 'all')).toEqual([1 / 3]);
    // Refund amount is a flow: none happened on the 20th or 21st.
    expect(await values('refund_amount', 'all')).toEqual([0]);
  });

  it('breaks down by a dimension with top N and the rest as other', async () => {
    const series = await computeMetricSeries(f.ctx(days), 'gmv', {
      granularity: 'all',
      breakdown: { dimension: 'channel', limit: 1 },
    });
    expect(series.groups).toEqual([
      { key: 'wechat', values: [10_000] },
      { key: '$other', values: [7_500] },
    ]);
  });

  it('keeps people without a value of the breakdown as their own group, not "other"', async () => {
    // No event has a channel: no top value, no other, one group without a value.
    const series = await computeMetricSeries(f.ctx(days), 'dau', {
      granularity: 'day',
      breakdown: { dimension: 'channel', limit: 3 },
    });
    expect(series.groups).toEqual([{ key: null, values: [3, 2] }]);
  });

  it('applies filters and the row-level scope together', async () => {
    const scoped = f.ctx({
      ...days,
      rowScope: [{ dimension: 'channel', op: 'in', value: ['douyin'] }],
    });
    expect(
      (await computeMetricSeries(scoped, 'gmv', { granularity: 'all' })).groups[0]?.values,
    ).toEqual([7_500]);
    // A filter cannot widen the scope: wechat AND douyin is nothing.
    const narrowed = f.ctx({
      ...days,
      rowScope: [{ dimension: 'channel', op: 'eq', value: 'douyin' }],
      filters: [{ dimension: 'channel', op: 'eq', value: 'wechat' }],
    });
    expect(
      (await computeMetricSeries(narrowed, 'gmv', { granularity: 'all' })).groups[0]?.values,
    ).toEqual([0]);
  });

  it('counts new users once each, and never an event that names nobody', async () => {
    // First valid events: u9 on the 19th, u1, u2 and anon-3 (later u3) on the 20th.
    expect(await values('new_users')).toEqual([3, 0]);
    expect(await values('returning_users')).toEqual([0, 2]);
  });

  it('returns zero counts for an empty range', async () => {
    const empty = f.ctx({
      from: Date.parse('2026-01-01T00:00:00Z'),
      to: Date.parse('2026-01-02T00:00:00Z'),
    });
    expect(
      (await computeMetricSeries(empty, 'gmv', { granularity: 'day' })).groups[0]?.values,
    ).toEqual([0, 0]);
    expect(
      (await computeMetricSeries(empty, 'aov', { granularity: 'all' })).groups[0]?.values,
    ).toEqual([null]);
  });

  it('refuses a breakdown the metric does not allow', async () => {
    await expect(
      computeMetricSeries(f.ctx(days), 'gmv', {
        granularity: 'day',
        breakdown: { dimension: 'browser', limit: 5 },
      }),
    ).rejects.toMatchObject({ code: 'ERR_QUERY_DIMENSION_UNSUPPORTED' });
  });
});

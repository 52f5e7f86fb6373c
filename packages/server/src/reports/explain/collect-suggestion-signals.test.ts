import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow } from '../../store/index.ts';
import { makeEventRow } from '../../testing/event-row-fixture.ts';
import { makeOrderRow, makeRefundRow } from '../../testing/order-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../testing/query-fixture.ts';
import { collectSuggestionSignals } from './collect-suggestion-signals.ts';
import { suggestActions } from './suggest-actions.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Local midnight starting 2026-11-<d> in Asia/Shanghai (UTC+8). */
const dayStart = (d: number) => Date.UTC(2026, 10, d) - 8 * HOUR_MS;

const times = <T>(n: number, make: (i: number) => T): T[] =>
  Array.from({ length: n }, (_, i) => make(i));

function makeOrders(d: number) {
  return ['goods', 'membership'].flatMap((productType) =>
    times(10, (i) =>
      makeOrderRow({
        orderId: `${productType[0]}${d}_${i}`,
        userId: `buyer_${productType}_${d}_${i}`,
        productType,
        channel: productType === 'goods' ? 'web' : 'app',
        payAmount: 10_000,
        paidAt: dayStart(d) + HOUR_MS + i * 1000,
      }),
    ),
  );
}

function makeApiCall(
  d: number,
  route: string,
  status: number,
  durationMs: number,
  i: number,
): EventRow {
  const at = dayStart(d) + 2 * HOUR_MS + i * 1000;
  return makeEventRow({
    type: 'api',
    name: 'api_call',
    eventTime: at,
    receivedAt: at,
    status,
    durationMs,
    props: JSON.stringify({ route }),
  });
}

function makeTask(d: number, i: number, status: string, errorCode?: string): EventRow {
  const at = dayStart(d) + 3 * HOUR_MS + i * 1000;
  return makeEventRow({
    name: 'task_completed',
    eventTime: at,
    receivedAt: at,
    props: JSON.stringify({
      task_id: `t${d}_${i}`,
      status,
      ...(errorCode ? { error_code: errorCode } : {}),
    }),
  });
}

function makeVisit(d: number, user: string, channel: string, i: number): EventRow {
  const at = dayStart(d) + 4 * HOUR_MS + i * 1000;
  return makeEventRow({
    type: 'page',
    name: 'page_view',
    userId: user,
    channel,
    eventTime: at,
    receivedAt: at,
  });
}

describe('collectSuggestionSignals', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load({
      orders: [...makeOrders(20), ...makeOrders(21)],
      refunds: [
        makeRefundRow({
          refundId: 'r0',
          orderId: 'g20_0',
          amount: 1_000,
          refundTime: dayStart(20) + 5 * HOUR_MS,
        }),
        makeRefundRow({
          refundId: 'r1',
          orderId: 'g21_0',
          amount: 1_000,
          refundTime: dayStart(21) + 5 * HOUR_MS,
        }),
        ...times(5, (i) =>
          makeRefundRow({
            refundId: `rm${i}`,
            orderId: `m21_${i}`,
            amount: 2_000,
            refundTime: dayStart(21) + 6 * HOUR_MS + i,
          }),
        ),
      ],
      events: [
        ...times(10, (i) => makeApiCall(20, 'GET /api/items', 200, 40, i)),
        // Day 21: 25 order calls (5 fail slowly), 30 item calls, 5 rare calls (too few to judge).
        ...times(25, (i) =>
          i < 20
            ? makeApiCall(21, 'POST /api/orders', 200, 100, i)
            : makeApiCall(21, 'POST /api/orders', 500, 2_000, i),
        ),
        ...times(30, (i) => makeApiCall(21, 'GET /api/items', 200, 50, 100 + i)),
        ...times(5, (i) => makeApiCall(21, 'GET /api/rare', 500, 5_000, 200 + i)),
        ...times(10, (i) => makeTask(20, i, 'success')),
        ...times(10, (i) =>
          i < 6
            ? makeTask(21, i, 'success')
            : makeTask(21, i, 'failed', i < 9 ? 'E_TIMEOUT' : 'E_QUOTA'),
        ),
        // New users: 6 from baidu and 4 from wechat on day 20; 1 and 4 on day 21.
        ...times(10, (i) => makeVisit(20, `v20_${i}`, i < 6 ? 'baidu' : 'wechat', i)),
        ...times(5, (i) => makeVisit(21, `v21_${i}`, i < 1 ? 'baidu' : 'wechat', i)),
      ],
    });
  });
  afterAll(() => f.close());

  it('fills every signal from the query layer', async () => {
    const ctx = f.ctx({ from: dayStart(21), to: dayStart(21) + DAY_MS });
    const signals = await collectSuggestionSignals(ctx, { from: dayStart(20), to: dayStart(21) });
    expect(signals).toEqual({
      refunds: {
        // By refund time: 1000 on day 20; 1000 + 5 × 2000 on day 21.
        amount: { current: 11_000, previous: 1_000 },
        // Refunds of each day's orders / that day's GMV of 200000.
        rate: { current: 0.055, previous: 0.005 },
        topProductType: {
          dimension: 'product_type',
          segment: 'membership',
          share: 1,
          current: 10_000,
          previous: 0,
        },
        topChannel: {
          dimension: 'channel',
          segment: 'app',
          share: 1,
          current: 10_000,
          previous: 0,
        },
      },
      api: {
        errorRate: { current: 10 / 60, previous: 0 },
        rate5xx: { current: 10 / 60, previous: 0 },
        worstErrorRoute: { route: 'POST /api/orders', requests: 25, errorRate: 0.2, p95Ms: 2_000 },
        slowestRoute: { route: 'POST /api/orders', requests: 25, errorRate: 0.2, p95Ms: 2_000 },
      },
      tasks: {
        failureRate: { current: 0.4, previous: 0 },
        topErrorCode: { code: 'E_TIMEOUT', failed: 3, share: 0.75 },
      },
      newUsers: {
        count: { current: 5, previous: 10 },
        topChannel: { dimension: 'channel', segment: 'baidu', share: 1, current: 1, previous: 6 },
      },
      // No sign-ups (registered users 0) and no agent orders.
      conversion: {
        pay: { current: null, previous: null },
        registration: { current: 0, previous: 0 },
      },
      commission: { ratio: { current: null, previous: null } },
    });
    const rules = suggestActions({ locale: 'en', explanations: [], signals });
    expect(rules.map((s) => [s.rule, s.severity])).toEqual([
      ['api_error_rate_high', 'critical'],
      ['task_failure_error_code', 'critical'],
      ['refund_spike_product', 'warning'],
      ['refund_spike_channel', 'warning'],
      ['route_latency_high', 'warning'],
      ['new_users_drop_channel', 'warning'],
    ]);
  });
});

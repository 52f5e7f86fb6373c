import type { EventRow, IdentityRow, OrderRow, RefundRow } from '../../../store/index.ts';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';
import { makeOrderRow, makeRefundRow } from '../../../testing/order-row-fixture.ts';

/**
 * A small week of activity in Asia/Shanghai (UTC+8), the data of the retention, lifecycle and
 * stickiness tests. Valid activity by local day (November 2026):
 *
 *   person  1  19  20  21  22  23  24   sign_up   notes
 *   u1             x   x       x        20 00:00  the 23rd's login arrives two days late (wechat)
 *   u2             x   x       x        20 23:59  signs up again on the 23rd
 *   u3          x      x   x             21        anon-3 before and after sign-up (linked)
 *   u4                 x                 21        only a bot and an API call on the 22nd
 *   u5                     x       x     22 10:00  logged in at 09:00, before signing up
 *   u8      x                                     active long ago only
 *   u9      x   x                                 19 23:59:59.999 local: the day before
 *
 * Logins: u1 on the 21st (phone) and 23rd (wechat), u2 on the 21st, u5 on the 22nd and 24th.
 * Paid orders: u1 10000 on the 20th and 5000 on the 22nd (the first refunded 3000), anon-3
 * (u3) 2000 on the 22nd, u5 700 at 09:30 on the 22nd (before sign-up) and 300 on the 24th;
 * u4's order of the 21st was cancelled.
 */
export const TZ = 'Asia/Shanghai';
const DAY_MS = 86_400_000;
/** Local midnight starting 2026-11-<day> in Shanghai. */
export const startOfDay = (d: number) => Date.UTC(2026, 10, d) - 8 * 3_600_000;
/** Local wall time on 2026-11-<d>. */
export const atLocal = (d: number, hh: number, mm = 0, ss = 0, ms = 0) =>
  startOfDay(d) + (((hh * 60 + mm) * 60 + ss) * 1000 + ms);
/** Now in the tests: the 24th at noon, local. */
export const NOW = atLocal(24, 12);
export { DAY_MS };

function makeEvent(
  who: { user?: string; anon?: string },
  at: number,
  name: string,
  extra: Partial<EventRow> = {},
): EventRow {
  return makeEventRow({
    userId: who.user ?? null,
    anonymousId: who.anon ?? null,
    eventTime: at,
    receivedAt: at,
    type: name === 'page_view' ? 'page' : 'event',
    name,
    ...extra,
  });
}

const makeLogin = (user: string, at: number, method = 'phone', extra: Partial<EventRow> = {}) =>
  makeEvent({ user }, at, 'login', { props: JSON.stringify({ method }), ...extra });

export const EVENTS: EventRow[] = [
  makeEvent({ user: 'u8' }, atLocal(1, 10), 'page_view'),
  makeEvent({ user: 'u9' }, atLocal(1, 10), 'page_view'),
  makeEvent({ user: 'u9' }, atLocal(19, 23, 59, 59, 999), 'page_view'),
  makeEvent({ user: 'u1' }, startOfDay(20), 'sign_up'),
  makeEvent({ user: 'u2' }, atLocal(20, 23, 59, 59, 999), 'sign_up'),
  makeLogin('u1', atLocal(21, 9)),
  makeLogin('u2', startOfDay(21)),
  makeLogin('u1', atLocal(23, 20), 'wechat', { receivedAt: atLocal(25, 8) }),
  makeEvent({ user: 'u2' }, atLocal(23, 11), 'sign_up'),
  makeEvent({ anon: 'anon-3' }, atLocal(19, 18), 'page_view'),
  makeEvent({ user: 'u3', anon: 'anon-3' }, atLocal(21, 12), 'sign_up'),
  makeEvent({ anon: 'anon-3' }, atLocal(22, 8), 'page_view'),
  makeEvent({ user: 'u4' }, atLocal(21, 15), 'sign_up'),
  makeEvent({ user: 'u4' }, atLocal(22, 15), 'page_view', { isBot: true }),
  makeEvent({ user: 'u4' }, atLocal(22, 16), 'api_call', { type: 'api' }),
  // Sent out of order: the sign-up first, the earlier login an hour later.
  makeEvent({ user: 'u5' }, atLocal(22, 10), 'sign_up', { receivedAt: atLocal(22, 10) }),
  makeLogin('u5', atLocal(22, 9), 'phone', { receivedAt: atLocal(22, 11) }),
  makeLogin('u5', atLocal(24, 8)),
];

export const IDENTITIES: IdentityRow[] = [
  { projectId: 'p_test', anonymousId: 'anon-3', userId: 'u3', linkedAt: atLocal(21, 12) },
];

export const ORDERS: OrderRow[] = [
  makeOrderRow({ orderId: 'o1', userId: 'u1', payAmount: 10_000, paidAt: atLocal(20, 10) }),
  makeOrderRow({ orderId: 'o2', userId: 'u1', payAmount: 5_000, paidAt: atLocal(22, 10) }),
  makeOrderRow({ orderId: 'o3', anonymousId: 'anon-3', payAmount: 2_000, paidAt: atLocal(22, 9) }),
  makeOrderRow({
    orderId: 'o4',
    userId: 'u4',
    status: 'cancelled',
    payAmount: 99_999,
    paidAt: null,
    orderTime: atLocal(21, 16),
  }),
  makeOrderRow({ orderId: 'o5', userId: 'u5', payAmount: 700, paidAt: atLocal(22, 9, 30) }),
  makeOrderRow({ orderId: 'o6', userId: 'u5', payAmount: 300, paidAt: atLocal(24, 9) }),
];

export const REFUNDS: RefundRow[] = [
  makeRefundRow({
    refundId: 'r1',
    orderId: 'o1',
    userId: 'u1',
    amount: 3_000,
    refundTime: atLocal(23, 10),
  }),
];

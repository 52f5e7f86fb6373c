import { addLocalDays } from '../../platform/index.ts';
import type { EventRow, OrderItemRow, WriteBatch } from '../../store/index.ts';
import { makeEventRow } from '../../testing/event-row-fixture.ts';
import { makeOrderRow, makeRefundRow } from '../../testing/order-row-fixture.ts';
import type { ReportKind, ReportPeriod } from '../report-document.ts';

/**
 * Rows for the content tests, in Asia/Shanghai (UTC+8, no DST). Paid orders by local time:
 *
 *   order  local time             amount  in
 *   o1     2026-11-01 00:10       10,000  day 11-01, week 10-26..11-01
 *   o2     2026-11-01 13:30       25,000  day, week; agent a1, commission 2,500; refund 5,000
 *   o3     2026-10-31 23:30        5,000  previous day, week, October
 *   o4     2026-10-26 00:00        7,000  week (its first instant), October; agent a2
 *   o5     2026-10-25 23:59:59     3,000  previous week, October
 *   o6     2026-10-01 00:00        4,000  October
 *   o7     2026-09-30 23:59        6,000  September (the previous month)
 *   o8     2026-09-01 08:00        2,000  September
 *   o9     2026-08-31 12:00        9,000  August only: not the calendar previous month
 *   o10    2025-11-01 10:00        1,500  last year's day and week
 *   o11    2025-10-15 10:00        2,500  last year's October
 *   o12    2026-11-01 09:00 (cancelled, never paid)
 */
export const ZONE = 'Asia/Shanghai';
export const PROJECT = { id: 'p_test', name: 'Test shop', timeZone: ZONE };
/** After every period: every retention cell of them is complete. */
export const NOW = Date.parse('2026-12-15T00:00:00+08:00');

export function atLocal(dateTime: string): number {
  return Date.parse(`${dateTime}+08:00`);
}

export function makePeriod(startDate: string, endDate: string): ReportPeriod {
  return {
    from: atLocal(`${startDate}T00:00:00`),
    to: atLocal(`${addLocalDays(endDate, 1)}T00:00:00`),
    startDate,
    endDate,
  };
}

export const PERIODS: Record<
  ReportKind,
  { period: ReportPeriod; previousPeriod: ReportPeriod; lastYearPeriod: ReportPeriod }
> = {
  daily: {
    period: makePeriod('2026-11-01', '2026-11-01'),
    previousPeriod: makePeriod('2026-10-31', '2026-10-31'),
    lastYearPeriod: makePeriod('2025-11-01', '2025-11-01'),
  },
  weekly: {
    period: makePeriod('2026-10-26', '2026-11-01'),
    previousPeriod: makePeriod('2026-10-19', '2026-10-25'),
    lastYearPeriod: makePeriod('2025-10-26', '2025-11-01'),
  },
  monthly: {
    period: makePeriod('2026-10-01', '2026-10-31'),
    previousPeriod: makePeriod('2026-09-01', '2026-09-30'),
    lastYearPeriod: makePeriod('2025-10-01', '2025-10-31'),
  },
};

/** GMV and paid orders by hand, per kind: [value, previous, lastYear]. */
export const EXPECTED: Record<ReportKind, { gmv: number[]; orders: number[] }> = {
  daily: { gmv: [35_000, 5_000, 1_500], orders: [2, 1, 1] },
  weekly: { gmv: [47_000, 3_000, 1_500], orders: [4, 1, 1] },
  monthly: { gmv: [19_000, 8_000, 2_500], orders: [4, 2, 1] },
};

const paid = (orderId: string, at: string, payAmount: number, more = {}) =>
  makeOrderRow({ orderId, paidAt: atLocal(at), payAmount, ...more });

const event = (name: string, at: string, more: Partial<EventRow> = {}) =>
  makeEventRow({ name, eventTime: atLocal(at), receivedAt: atLocal(at), ...more });

const task = (taskId: string, at: string, status: string, errorCode?: string) =>
  event('task_completed', at, {
    userId: 'u1',
    props: JSON.stringify({
      task_id: taskId,
      status,
      ...(errorCode ? { error_code: errorCode } : {}),
    }),
  });

const apiCall = (at: string, method: string, route: string, status: number, durationMs: number) =>
  event('api_call', at, {
    type: 'api',
    status,
    durationMs,
    props: JSON.stringify({ method, route }),
  });

const line = (
  orderId: string,
  productId: string,
  quantity: number,
  amount: number,
): OrderItemRow => ({
  projectId: 'p_test',
  orderId,
  lineNo: 1,
  productId,
  sku: null,
  category: null,
  quantity,
  unitPrice: Math.round(amount / quantity),
  amount,
  costAmount: null,
});

export const CONTENT_ROWS: Partial<WriteBatch> = {
  orders: [
    paid('o1', '2026-11-01T00:10:00', 10_000, { userId: 'u1' }),
    paid('o2', '2026-11-01T13:30:00', 25_000, {
      userId: 'u2',
      agentId: 'a1',
      commissionAmount: 2_500,
    }),
    paid('o3', '2026-10-31T23:30:00', 5_000, { userId: 'u1' }),
    paid('o4', '2026-10-26T00:00:00', 7_000, {
      userId: 'u3',
      agentId: 'a2',
      commissionAmount: 700,
    }),
    paid('o5', '2026-10-25T23:59:59', 3_000, { userId: 'u3' }),
    paid('o6', '2026-10-01T00:00:00', 4_000, { userId: 'u4' }),
    paid('o7', '2026-09-30T23:59:00', 6_000, { userId: 'u4' }),
    paid('o8', '2026-09-01T08:00:00', 2_000, { userId: 'u5' }),
    paid('o9', '2026-08-31T12:00:00', 9_000, { userId: 'u5' }),
    paid('o10', '2025-11-01T10:00:00', 1_500, { userId: 'u6' }),
    paid('o11', '2025-10-15T10:00:00', 2_500, { userId: 'u6' }),
    makeOrderRow({
      orderId: 'o12',
      status: 'cancelled',
      paidAt: null,
      orderTime: atLocal('2026-11-01T09:00:00'),
      payAmount: 99_000,
    }),
  ],
  orderItems: [
    line('o1', 'p1', 2, 10_000),
    line('o2', 'p2', 1, 25_000),
    line('o3', 'p1', 1, 5_000),
  ],
  refunds: [
    makeRefundRow({
      refundId: 'r1',
      orderId: 'o2',
      amount: 5_000,
      refundTime: atLocal('2026-11-01T15:00:00'),
    }),
  ],
  events: [
    event('sign_up', '2026-10-31T10:00:00', { userId: 'u1' }),
    event('page_view', '2026-11-01T09:00:00', { userId: 'u1' }),
    event('sign_up', '2026-11-01T13:00:00', { userId: 'u2' }),
    event('page_view', '2026-10-02T09:00:00', { userId: 'u4' }),
    task('t1', '2026-11-01T10:00:00', 'success'),
    task('t2', '2026-11-01T11:00:00', 'failed', 'E_TIMEOUT'),
    task('t3', '2026-11-01T12:00:00', 'failed', 'E_TIMEOUT'),
    task('t4', '2026-11-01T12:30:00', 'failed', 'E_QUOTA'),
    apiCall('2026-11-01T10:00:00', 'GET', '/api/products', 200, 100),
    apiCall('2026-11-01T10:05:00', 'GET', '/api/products', 500, 300),
    apiCall('2026-11-01T10:10:00', 'POST', '/api/orders', 200, 50),
  ],
};

import type { OrderRow, RefundRow } from '../store/index.ts';

/** A paid order of `payAmount` at `paidAt`; override what a test needs. */
export function makeOrderRow(overrides: Partial<OrderRow> & Pick<OrderRow, 'orderId'>): OrderRow {
  const at = overrides.paidAt ?? overrides.orderTime ?? Date.UTC(2026, 10, 20, 4);
  return {
    projectId: 'p_test',
    userId: null,
    anonymousId: null,
    status: 'paid',
    orderTime: at,
    paidAt: at,
    currency: 'CNY',
    grossAmount: overrides.payAmount ?? 10_000,
    discountAmount: 0,
    payAmount: 10_000,
    costAmount: null,
    commissionAmount: null,
    agentId: null,
    channel: null,
    platform: null,
    productType: 'goods',
    couponId: null,
    ipHash: null,
    addressHash: null,
    deviceId: null,
    province: null,
    city: null,
    source: 'event',
    updatedAt: at,
    ...overrides,
  };
}

export function makeRefundRow(
  overrides: Partial<RefundRow> & Pick<RefundRow, 'refundId' | 'orderId' | 'amount'>,
): RefundRow {
  return {
    projectId: 'p_test',
    userId: null,
    refundTime: Date.UTC(2026, 10, 21, 4),
    reason: null,
    source: 'event',
    ...overrides,
  };
}

import {
  COMMERCE_EVENTS,
  orderCompletedPropsSchema,
  orderRefundedPropsSchema,
  type OrderItem,
} from '@sightline/shared';
import type { EventRow, OrderItemRow, OrderRow, RefundRow } from '../../store/index.ts';

export const DEFAULT_CURRENCY = 'CNY';

export type CommerceFacts =
  | { kind: 'none' }
  | { kind: 'order'; order: OrderRow; items: OrderItemRow[] }
  | { kind: 'refund'; refund: RefundRow }
  | { kind: 'invalid'; reason: string };

export interface CommerceContext {
  /** The event's props before privacy scrubbing (the raw address is read here, then hashed). */
  props: Record<string, unknown>;
  hashValue: (value: string) => string;
}

/**
 * order_completed → one order with its lines; order_refunded → one refund. Both are keyed
 * (order_id, refund_id), so replays and re-imports overwrite instead of adding.
 */
export function materializeCommerce(row: EventRow, context: CommerceContext): CommerceFacts {
  if (row.name === COMMERCE_EVENTS.orderCompleted) return materializeOrder(row, context);
  if (row.name === COMMERCE_EVENTS.orderRefunded) return materializeRefund(row, context);
  return { kind: 'none' };
}

function materializeOrder(row: EventRow, context: CommerceContext): CommerceFacts {
  const parsed = orderCompletedPropsSchema.safeParse(context.props);
  if (!parsed.success)
    return { kind: 'invalid', reason: describeIssue('order_completed', parsed.error) };
  const p = parsed.data;
  const items = toOrderItemRows(row.projectId, p.order_id, p.items ?? []);
  const itemsTotal = items.reduce((sum, item) => sum + item.amount, 0);
  const gross = p.total ?? itemsTotal;
  const discount = p.discount ?? 0;
  const pay = row.amount ?? Math.max(0, gross - discount + (p.shipping ?? 0));
  const itemCosts = items.every((item) => item.costAmount !== null) && items.length > 0;
  const cost =
    p.cost ?? (itemCosts ? items.reduce((sum, item) => sum + (item.costAmount ?? 0), 0) : null);
  const status = p.status ?? 'paid';
  return {
    kind: 'order',
    items,
    order: {
      projectId: row.projectId,
      orderId: p.order_id,
      userId: row.userId,
      anonymousId: row.anonymousId,
      status,
      orderTime: row.eventTime,
      paidAt: status === 'paid' ? row.eventTime : null,
      currency: row.currency ?? DEFAULT_CURRENCY,
      grossAmount: gross,
      discountAmount: discount,
      payAmount: pay,
      costAmount: cost,
      commissionAmount: p.commission ?? null,
      agentId: p.agent_id ?? null,
      channel: row.channel,
      platform: row.platform,
      productType: p.product_type ?? null,
      couponId: p.coupon_id ?? null,
      ipHash: row.ipHash,
      addressHash: p.address ? context.hashValue(normaliseAddress(p.address)) : null,
      deviceId: row.deviceId ?? row.anonymousId,
      province: row.province,
      city: row.city,
      source: 'event',
      updatedAt: row.receivedAt,
    },
  };
}

function materializeRefund(row: EventRow, context: CommerceContext): CommerceFacts {
  const parsed = orderRefundedPropsSchema.safeParse(context.props);
  if (!parsed.success)
    return { kind: 'invalid', reason: describeIssue('order_refunded', parsed.error) };
  if (row.amount === null || row.amount < 0) {
    return { kind: 'invalid', reason: 'order_refunded needs a non-negative amount (minor units)' };
  }
  return {
    kind: 'refund',
    refund: {
      projectId: row.projectId,
      refundId: parsed.data.refund_id ?? row.eventId,
      orderId: parsed.data.order_id,
      userId: row.userId,
      refundTime: row.eventTime,
      amount: row.amount,
      reason: parsed.data.reason ?? null,
      source: 'event',
    },
  };
}

/** Order lines as stored: numbered from 1, amounts and costs per line (price and cost are per unit). */
export function toOrderItemRows(
  projectId: string,
  orderId: string,
  items: readonly OrderItem[],
): OrderItemRow[] {
  return items.map((item, index) => ({
    projectId,
    orderId,
    lineNo: index + 1,
    productId: item.product_id,
    sku: item.sku ?? null,
    category: item.category ?? null,
    quantity: item.quantity,
    unitPrice: item.price,
    amount: item.price * item.quantity,
    costAmount: item.cost === undefined ? null : item.cost * item.quantity,
  }));
}

/** The same address typed with different spacing or case hashes the same. */
export function normaliseAddress(address: string): string {
  return address.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

function describeIssue(
  event: string,
  error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> },
) {
  const issue = error.issues[0];
  const path = issue ? ['props', ...issue.path.map(String)].join('.') : 'props';
  return `${event}: ${path}: ${issue?.message ?? 'invalid'}`;
}

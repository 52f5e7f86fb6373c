import { z } from 'zod';

/**
 * Props of the commerce events that Sightline turns into order facts (docs/events.md).
 * Money is integer minor units (fen, cents); the event's top-level `amount` is what was paid.
 */
const id = z.string().min(1).max(200);
const money = z.number().int().min(0).max(1e13);

export const orderItemSchema = z.object({
  product_id: id,
  sku: id.optional(),
  category: z.string().max(200).optional(),
  quantity: z.number().int().min(1).max(1_000_000).default(1),
  /** Unit price. */
  price: money,
  /** Unit cost. */
  cost: money.optional(),
});

export type OrderItem = z.infer<typeof orderItemSchema>;

export const orderCompletedPropsSchema = z.looseObject({
  order_id: id,
  items: z.array(orderItemSchema).max(500).optional(),
  /** Gross amount before discount; defaults to the sum of item prices × quantities. */
  total: money.optional(),
  discount: money.optional(),
  shipping: money.optional(),
  coupon_id: id.optional(),
  /** goods | membership | quota | service … */
  product_type: z.string().max(50).optional(),
  agent_id: id.optional(),
  commission: money.optional(),
  /** Total cost of goods; defaults to the sum of item costs when every item has one. */
  cost: money.optional(),
  /** Raw shipping address: hashed by the server, never stored. */
  address: z.string().max(1_000).optional(),
  status: z.enum(['paid', 'pending', 'cancelled']).optional(),
});
export type OrderCompletedProps = z.infer<typeof orderCompletedPropsSchema>;

export const orderRefundedPropsSchema = z.looseObject({
  order_id: id,
  /** Defaults to the event id, so a replayed refund event is still counted once. */
  refund_id: id.optional(),
  reason: z.string().max(500).optional(),
});
export type OrderRefundedProps = z.infer<typeof orderRefundedPropsSchema>;

/** Event names with commerce meaning. */
export const COMMERCE_EVENTS = Object.freeze({
  orderCompleted: 'order_completed',
  orderRefunded: 'order_refunded',
});

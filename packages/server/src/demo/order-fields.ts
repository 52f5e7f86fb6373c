import type { WireEvent } from '@sightline/shared';
import type { OrderPlan } from './shop-plan.ts';

/**
 * The documented order_completed payload (docs/events.md): `amount` is what was paid, in fen;
 * item `price` and `cost` are per unit; the raw `address` is hashed by the server.
 */
export function toOrderFields(order: OrderPlan): Pick<WireEvent, 'amount' | 'currency' | 'props'> {
  return {
    amount: order.pay,
    currency: 'CNY',
    props: {
      order_id: order.orderId,
      items: order.lines.map((line) => ({
        product_id: line.product.productId,
        sku: line.product.sku,
        category: line.product.category,
        quantity: line.quantity,
        price: line.product.price,
        cost: line.product.cost,
      })),
      total: order.total,
      discount: order.discount,
      shipping: order.shipping,
      ...(order.couponId ? { coupon_id: order.couponId } : {}),
      product_type: order.productType,
      ...(order.agentId ? { agent_id: order.agentId, commission: order.commission ?? 0 } : {}),
      cost: order.cost,
      ...(order.address ? { address: order.address } : {}),
      ...(order.plan
        ? { plan: order.plan, is_renewal: order.isRenewal ?? false, period_days: order.periodDays }
        : {}),
    },
  };
}

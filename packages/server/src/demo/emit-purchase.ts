import { toOrderFields } from './order-fields.ts';
import type { SessionWriter } from './session-writer.ts';
import { SHOP_NAME, getProductProps, type OpenPage } from './shop-pages.ts';
import type { OrderPlan } from './shop-plan.ts';

/** Payment, then order_completed as the payment page reports it, then the success page. */
export function emitPurchase(w: SessionWriter, order: OrderPlan, openPage: OpenPage): void {
  w.pause(15_000);
  w.api('POST', '/api/payments', '/api/payments');
  w.now += 1_500;
  w.track({ name: 'order_completed', ...toOrderFields(order) });
  openPage('/order/success', `支付成功 - ${SHOP_NAME}`);
  w.api('GET', '/api/orders/:id', `/api/orders/${order.orderId}`);
}

/** Memberships and quota packs skip the cart: product page, checkout, pay. */
export function emitDigitalPurchase(w: SessionWriter, order: OrderPlan, openPage: OpenPage): void {
  const product = order.lines[0]?.product;
  if (!product) return;
  if (order.productType === 'membership') {
    openPage('/vip', `会员中心 - ${SHOP_NAME}`);
    w.api('GET', '/api/membership/plans', '/api/membership/plans');
  } else {
    openPage('/ai/quota', `购买点数 - ${SHOP_NAME}`);
  }
  w.track({ name: 'view_product', props: getProductProps(product) }, 300);
  w.pause(10_000);
  openPage('/checkout', `确认订单 - ${SHOP_NAME}`);
  w.track({
    name: 'checkout_started',
    amount: order.total,
    currency: 'CNY',
    props: { product_type: order.productType, total: order.total, item_count: 1 },
  });
  w.api('POST', '/api/checkout', '/api/checkout');
  emitPurchase(w, order, openPage);
}

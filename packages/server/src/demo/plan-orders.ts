import type { DemoProduct, ProductType } from './create-demo-products.ts';
import type { Prng } from './prng.ts';
import type { CartLine, OrderPlan } from './shop-plan.ts';
import type { DemoAgent, DemoUser } from './user-population.ts';

const FREE_SHIPPING_MIN_FEN = 9_900;
const SHIPPING_FEE_FEN = 800;

export interface BuildOrderParams {
  orderId: string;
  user: DemoUser;
  productType: ProductType;
  lines: CartLine[];
  /** Agent that earns commission (the user's bound agent, unless overridden). */
  agent?: DemoAgent;
  /** Forces a commission ratio instead of the agent's usual one (the abuse anomaly). */
  commissionRatio?: number;
  couponId?: string;
  isRenewal?: boolean;
}

interface Coupon {
  couponId: string;
  minTotal: number;
  getDiscount(total: number): number;
}

const COUPONS: Readonly<Record<string, Coupon>> = {
  'CPN-NEW10': { couponId: 'CPN-NEW10', minTotal: 5_900, getDiscount: () => 1_000 },
  'CPN-SPRING20': { couponId: 'CPN-SPRING20', minTotal: 19_900, getDiscount: () => 2_000 },
  'CPN-FULL50': { couponId: 'CPN-FULL50', minTotal: 39_900, getDiscount: () => 5_000 },
  'CPN-VIP95': {
    couponId: 'CPN-VIP95',
    minTotal: 0,
    getDiscount: (total) => Math.min(3_000, Math.round(total * 0.05)),
  },
};

export function buildOrder(rng: Prng, params: BuildOrderParams): OrderPlan {
  const { user, lines, productType } = params;
  const total = lines.reduce((sum, line) => sum + line.product.price * line.quantity, 0);
  const cost = lines.reduce((sum, line) => sum + line.product.cost * line.quantity, 0);
  const coupon = chooseCoupon(rng, params, total);
  const discount = coupon ? Math.min(total, coupon.getDiscount(total)) : 0;
  const isGoods = productType === 'goods';
  const shipping = isGoods && total - discount < FREE_SHIPPING_MIN_FEN ? SHIPPING_FEE_FEN : 0;
  const pay = total - discount + shipping;
  const order: OrderPlan = {
    orderId: params.orderId,
    userId: user.userId,
    productType,
    lines,
    total,
    discount,
    shipping,
    pay,
    cost,
    ...(coupon ? { couponId: coupon.couponId } : {}),
    ...(isGoods ? { address: user.address } : {}),
  };
  const agent = params.agent;
  if (agent) {
    const ratio =
      params.commissionRatio ?? clamp(rng.normal(agent.commissionRate, 0.01), 0.05, 0.15);
    order.agentId = agent.agentId;
    order.commission = Math.round(pay * ratio);
  }
  const product = lines[0]?.product;
  if (productType === 'membership' && product) {
    order.plan = product.plan ?? 'monthly';
    order.periodDays = product.periodDays ?? 30;
    order.isRenewal = params.isRenewal ?? false;
  }
  return order;
}

function chooseCoupon(rng: Prng, params: BuildOrderParams, total: number): Coupon | undefined {
  const forced = params.couponId ? COUPONS[params.couponId] : undefined;
  if (forced) return forced;
  if (params.productType !== 'goods') return undefined;
  if (params.user.orderCount === 0 && total >= 5_900 && rng.chance(0.45)) {
    return COUPONS['CPN-NEW10'];
  }
  if (!rng.chance(0.18)) return undefined;
  const eligible = Object.values(COUPONS).filter(
    (coupon) =>
      coupon.couponId !== 'CPN-NEW10' &&
      total >= coupon.minTotal &&
      (coupon.couponId !== 'CPN-VIP95' || params.user.membership !== undefined),
  );
  return eligible.length > 0 ? rng.pick(eligible) : undefined;
}

/** Lines for a membership or quota order: one unit of the product. */
export function createDigitalLines(product: DemoProduct): CartLine[] {
  return [{ product, quantity: 1 }];
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

import type { InventoryRow } from '../store/index.ts';
import type { MembershipPlan } from './catalog-data.ts';
import type { DemoProduct, ProductType } from './create-demo-products.ts';
import type { DemoDay } from './demo-calendar.ts';
import type { DemoDevice } from './device-profiles.ts';
import type { BackOfficeDay } from './plan-back-office.ts';
import type { TrafficSource } from './traffic-sources.ts';
import type { DemoUser } from './user-population.ts';

/**
 * What happens in the simulated shop, decided before any event is written. The plan owns all
 * state that crosses days (users, stock, refunds), so the catalog can be computed from plans alone
 * and event details can be drawn from a separate random stream without changing the plan.
 */
export interface DemoVisitor {
  anonymousId: string;
  deviceId: string;
  device: DemoDevice;
  ip: string;
  /** Logged in from the first event (returning users). */
  userId?: string;
}

export interface CartLine {
  product: DemoProduct;
  quantity: number;
}

export interface OrderPlan {
  orderId: string;
  userId: string;
  productType: ProductType;
  lines: CartLine[];
  /** Gross before discount, minor units. */
  total: number;
  discount: number;
  shipping: number;
  /** What the customer paid: total − discount + shipping. */
  pay: number;
  /** Sum of unit cost × quantity. */
  cost: number;
  couponId?: string;
  agentId?: string;
  commission?: number;
  address?: string;
  plan?: MembershipPlan;
  periodDays?: number;
  isRenewal?: boolean;
}

export interface SignUpPlan {
  userId: string;
  method: 'phone' | 'email' | 'wechat';
  /** The agent whose link brought the visitor; emits invite_accepted. */
  agentId?: string;
}

export interface VisitPlan {
  start: number;
  visitor: DemoVisitor;
  source: TrafficSource;
  landingProduct?: DemoProduct;
  landingCategory: string;
  signUp?: SignUpPlan;
  /** Returning user re-authenticates at the start of the session. */
  login: boolean;
  viewed: DemoProduct[];
  cart: CartLine[];
  checkout: boolean;
  order?: OrderPlan;
  /** Membership or quota bought in this session. */
  digitalOrder?: OrderPlan;
  /**
   * The campaign surge's flash sale: a discounted membership on offer (the chance that a visitor
   * without one buys it), and goods sold as final sale, never refunded.
   */
  flashSale?: { membershipChance: number };
  isMember: boolean;
  /** Agent sessions share links. */
  agentId?: string;
  /** Scripted sessions (the order burst) click through in seconds. */
  fast: boolean;
}

export interface RenewalPlan {
  time: number;
  user: DemoUser;
  order: OrderPlan;
}

export interface RefundPlan {
  time: number;
  refundId: string;
  orderId: string;
  userId: string;
  amount: number;
  reason: string;
  ip: string;
  userAgent: string;
}

export interface DayPlan {
  day: DemoDay;
  /** B-end customers and service records handled in the back office that day. */
  backOffice: BackOfficeDay;
  /** Sorted by start time. */
  visits: VisitPlan[];
  renewals: RenewalPlan[];
  refunds: RefundPlan[];
  /** End-of-day stock per goods product. */
  inventory: InventoryRow[];
}

import { createDemoProducts, type DemoProduct } from './create-demo-products.ts';
import { findDemoAnomaly, getDemoAnomalyDay, isInDemoAnomalyWindow } from './demo-anomalies.ts';
import { DAY_MS, getLocalMinute, type DemoDay } from './demo-calendar.ts';
import type { DemoOptions } from './demo-types.ts';
import { createInventoryLedger, type InventoryLedger } from './inventory-ledger.ts';
import { createPrng, createWeightedPicker, deriveSeed, type Prng } from './prng.ts';
import type { DemoVisitor, OrderPlan, RefundPlan } from './shop-plan.ts';
import type { Channel } from './traffic-sources.ts';
import {
  createAgentPicker,
  createUserPopulation,
  registerVisitor,
  type DemoAgent,
  type DemoUser,
} from './user-population.ts';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** The refund spike's refunds follow their order by this much, so they stay on its day. */
const SPIKE_REFUND_MIN_DELAY_MS = 60 * MINUTE_MS;
const SPIKE_REFUND_MAX_DELAY_MS = 120 * MINUTE_MS;
/** Relative visits per local hour: quiet at night, peaks late morning and after dinner. */
const DIURNAL_WEIGHTS = [
  1.2, 0.7, 0.4, 0.3, 0.25, 0.3, 0.6, 1.4, 2.6, 3.6, 4.4, 4.8, 4.6, 4.2, 4.3, 4.4, 4.3, 4.2, 4.6,
  5.6, 6.6, 7.0, 5.6, 3.0,
];
const HOURS = DIURNAL_WEIGHTS.map((_, hour) => hour);
const pickHour = createWeightedPicker(HOURS, DIURNAL_WEIGHTS);
const REFUND_SHARE = 0.05;
const REFUND_REASONS = [
  'quality_issue',
  'not_as_described',
  'changed_mind',
  'damaged_in_transit',
  'late_delivery',
];

/** State shared by the day planner and the anomaly planter; owns everything that spans days. */
export interface ShopContext {
  rng: Prng;
  options: DemoOptions;
  products: DemoProduct[];
  goods: DemoProduct[];
  users: DemoUser[];
  agents: DemoAgent[];
  agentsById: ReadonlyMap<string, DemoAgent>;
  usersById: Map<string, DemoUser>;
  ledger: InventoryLedger;
  pickAgent: (next: () => number) => string;
  /** Picks a product to look at: popular ones mostly, slow movers now and then. */
  pickViewedProduct: (next: () => number) => DemoProduct;
  pickProduct(productId: string): DemoProduct;
  /** A visit start on the day, following the diurnal curve. */
  pickStart(day: DemoDay): number;
  nextOrderId(day: DemoDay): string;
  nextUserId(): string;
  registerUser(visitor: DemoVisitor, userId: string, time: number, channel: Channel): DemoUser;
  /** Books a paid order: order count, typical AOV and (maybe) a later refund. */
  recordOrder(order: OrderPlan, time: number, user: DemoUser, refundable: boolean): void;
  /** Removes and returns refunds due before the end of the day. */
  takeDueRefunds(day: DemoDay): RefundPlan[];
  /** Mean goods pay amount so far (a fixed guess before the first order). */
  getTypicalAov(): number;
}

export function createShopContext(options: DemoOptions, calendar: readonly DemoDay[]): ShopContext {
  const rng = createPrng(deriveSeed(options.seed, 0x91a7));
  const products = createDemoProducts(options.seed, options.scale);
  const goods = products.filter((product) => product.productType === 'goods');
  const productsById = new Map(products.map((product) => [product.productId, product]));
  const periodStart = calendar[0]?.start ?? options.endTime;
  const { users, agents, nextUserNumber } = createUserPopulation(rng, options.scale, periodStart);
  const spike = findDemoAnomaly('refund_spike');
  const spikeDayIndex = getDemoAnomalyDay(spike, options.days);
  const spikeDay = spikeDayIndex === undefined ? undefined : calendar[spikeDayIndex];
  const isSpiked = (order: OrderPlan, time: number): boolean =>
    spikeDay !== undefined &&
    order.productType === spike.details.productType &&
    isInDemoAnomalyWindow(spike, options.days, spikeDay.index, getLocalMinute(spikeDay, time));
  const usersById = new Map(users.map((user) => [user.userId, user]));
  const viewable = goods.filter((product) => product.status === 'active');
  let userNumber = nextUserNumber;
  let orderDay = -1;
  let orderSeq = 0;
  let refundSeq = 0;
  let aovSum = 0;
  let aovCount = 0;
  let pendingRefunds: RefundPlan[] = [];

  const context: ShopContext = {
    rng,
    options,
    products,
    goods,
    users,
    agents,
    agentsById: new Map(agents.map((agent) => [agent.agentId, agent])),
    usersById,
    ledger: createInventoryLedger(products, options.projectId),
    pickAgent: createAgentPicker(agents),
    pickViewedProduct: createWeightedPicker(
      viewable,
      viewable.map((product) => product.popularity + 0.004),
    ),
    pickProduct(productId) {
      const product = productsById.get(productId);
      if (!product) throw new Error(`unknown demo product ${productId}`);
      return product;
    },
    pickStart(day) {
      const start = day.start + pickHour(rng.next) * HOUR_MS + rng.int(0, HOUR_MS - 1);
      return Math.min(start, day.end - 1);
    },
    nextOrderId(day) {
      if (orderDay !== day.index) {
        orderDay = day.index;
        orderSeq = 0;
      }
      orderSeq += 1;
      return `SO${day.dateKey}${String(orderSeq).padStart(5, '0')}`;
    },
    nextUserId() {
      const userId = `u${userNumber}`;
      userNumber += 1;
      return userId;
    },
    registerUser(visitor, userId, time, channel) {
      const user = registerVisitor(rng, visitor, userId, time, channel);
      users.push(user);
      usersById.set(userId, user);
      return user;
    },
    recordOrder(order, time, user, refundable) {
      user.orderCount += 1;
      if (order.productType === 'goods') {
        aovSum += order.pay;
        aovCount += 1;
      }
      if (!refundable) return;
      const pushRefund = (refund: Pick<RefundPlan, 'time' | 'amount' | 'reason'>): void => {
        refundSeq += 1;
        pendingRefunds.push({
          ...refund,
          refundId: `RF${order.orderId.slice(2, 10)}${String(refundSeq).padStart(6, '0')}`,
          orderId: order.orderId,
          userId: user.userId,
          ip: user.ip,
          userAgent: user.device.userAgent,
        });
      };
      // Drawn only for the spike's orders, so every other order keeps its random stream.
      if (spikeDay && isSpiked(order, time) && rng.chance(spike.details.refundShare)) {
        const delayMs = rng.int(SPIKE_REFUND_MIN_DELAY_MS, SPIKE_REFUND_MAX_DELAY_MS);
        pushRefund({
          time: Math.min(time + delayMs, spikeDay.end - 1),
          amount: order.pay,
          reason: spike.details.reason,
        });
        return;
      }
      if (!rng.chance(REFUND_SHARE)) return;
      // Many refunds come the same day (wrong size, changed mind), the rest after delivery.
      const delayDays = rng.weightedPick([0, rng.int(1, 3), rng.int(4, 10)], [45, 35, 20]);
      const delayMs =
        delayDays === 0
          ? rng.int(3 * HOUR_MS, 12 * HOUR_MS)
          : delayDays * DAY_MS + rng.int(0, 12 * HOUR_MS);
      const partialLine = order.lines.length > 1 ? rng.pick(order.lines) : undefined;
      const isPartial = rng.chance(0.35);
      const partialAmount = partialLine
        ? partialLine.product.price * partialLine.quantity
        : Math.round(order.pay * rng.float(0.2, 0.6));
      pushRefund({
        time: time + delayMs,
        amount: isPartial ? Math.min(order.pay, partialAmount) : order.pay,
        reason: rng.pick(REFUND_REASONS),
      });
    },
    takeDueRefunds(day) {
      const due = pendingRefunds.filter((refund) => refund.time < day.end);
      pendingRefunds = pendingRefunds.filter((refund) => refund.time >= day.end);
      return due.sort((a, b) => a.time - b.time);
    },
    getTypicalAov: () => (aovCount > 0 ? aovSum / aovCount : 15_000),
  };
  return context;
}

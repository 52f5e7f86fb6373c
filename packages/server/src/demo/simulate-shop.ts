import { DEMO_CATEGORIES, type MembershipPlan } from './catalog-data.ts';
import type { DemoProduct } from './create-demo-products.ts';
import { findDemoAnomaly, isInDemoAnomalyWindow } from './demo-anomalies.ts';
import { DAY_MS, getLocalMinute, type DemoDay } from './demo-calendar.ts';
import type { DemoOptions } from './demo-types.ts';
import { createDemoDevice, pickDemoIp } from './device-profiles.ts';
import { createBackOffice, type BackOffice, type CustomerPlan } from './plan-back-office.ts';
import { plantAnomalyVisits, plantSurgeVisits } from './plant-anomalies.ts';
import { createWeightedPicker } from './prng.ts';
import { buildOrder, createDigitalLines } from './plan-orders.ts';
import { createShopContext, type ShopContext } from './shop-context.ts';
import type { DayPlan, RenewalPlan, VisitPlan } from './shop-plan.ts';
import { pickReturningSource, pickTrafficSource, type TrafficSource } from './traffic-sources.ts';
import { getReturnProbability, type DemoUser } from './user-population.ts';

/** First-time visitors per day at scale 1; returning users add about 500 more. */
const NEW_VISITORS_PER_DAY = 1_500;
/** Sunday … Saturday: weekends are busier. */
const WEEKLY_FACTORS = [1.12, 0.94, 0.95, 0.96, 0.97, 1.02, 1.15];
/** Members whose card expires and who renew it; short cards are tried and dropped more often. */
const RENEWAL_SHARE: Readonly<Record<MembershipPlan, number>> = {
  weekly: 0.45,
  monthly: 0.6,
  yearly: 0.7,
};
const MEMBERSHIP_PRODUCTS: Readonly<Record<MembershipPlan, string>> = {
  weekly: 'vip_weekly',
  monthly: 'vip_monthly',
  yearly: 'vip_yearly',
};
const pickNewPlan = createWeightedPicker<MembershipPlan>(
  ['weekly', 'monthly', 'yearly'],
  [35, 50, 15],
);
const SIGNUP_WITHOUT_ORDER = 0.02;
/** Chance that a signed-in visitor without a membership buys one, without an offer. */
const MEMBERSHIP_PURCHASE = 0.012;
/** Customers an agent met offline get bound without a shared link. */
const OFFLINE_AGENT_BINDING = 0.15;

export interface ShopSimulation {
  products: DemoProduct[];
  /** B-end customers the back office already had before the period. */
  customerHistory: CustomerPlan[];
  plans: Generator<DayPlan>;
}

/**
 * Plans the shop day by day; the plans drive the event stream, the inventory rows and the
 * campaign spend.
 */
export function simulateShop(options: DemoOptions, calendar: readonly DemoDay[]): ShopSimulation {
  const ctx = createShopContext(options, calendar);
  const office = createBackOffice(options, calendar);
  return {
    products: ctx.products,
    customerHistory: office.history,
    plans: planDays(ctx, office, calendar),
  };
}

function* planDays(
  ctx: ShopContext,
  office: BackOffice,
  calendar: readonly DemoDay[],
): Generator<DayPlan> {
  for (const day of calendar) yield { ...planDay(ctx, day), backOffice: office.planDay(day) };
}

function planDay(ctx: ShopContext, day: DemoDay): Omit<DayPlan, 'backOffice'> {
  const { rng, options } = ctx;
  const weekly = WEEKLY_FACTORS[day.dayOfWeek] ?? 1;
  const visits: VisitPlan[] = [];
  const renewals: RenewalPlan[] = [];
  const knownUsers = ctx.users.length;
  for (let i = 0; i < knownUsers; i += 1) {
    const user = ctx.users[i];
    if (!user) continue;
    if (user.membership && user.membership.expiresAt < day.end) {
      planRenewal(ctx, day, user, renewals);
    }
    if (user.signupTime >= day.start) continue;
    if (!rng.chance(getReturnProbability(user, day.start, weekly))) continue;
    visits.push(createReturningVisit(ctx, day, user));
    if (rng.chance(0.15)) visits.push(createReturningVisit(ctx, day, user));
  }
  const trend = 1 + 0.004 * day.index;
  const noise = Math.max(0.8, rng.normal(1, 0.04));
  const newCount = rng.poisson(NEW_VISITORS_PER_DAY * options.scale * weekly * trend * noise);
  for (let i = 0; i < newCount; i += 1) visits.push(createNewVisit(ctx, day));
  const createVisit = (user: DemoUser, source: TrafficSource): VisitPlan =>
    createReturningVisit(ctx, day, user, source);
  visits.push(...plantSurgeVisits(ctx, day, { usualVisits: visits, createVisit }));

  const kept = visits.filter(
    // Today is simulated only up to now: later visits would sell stock nobody saw sold.
    (visit) => visit.start <= options.endTime && !isLostToAnomaly(ctx, day, visit),
  );
  kept.sort((a, b) => a.start - b.start);
  for (const visit of kept) decideOutcome(ctx, day, visit);
  const all = [...kept, ...plantAnomalyVisits(ctx, day)].sort((a, b) => a.start - b.start);
  return {
    day,
    visits: all,
    renewals: renewals.sort((a, b) => a.time - b.time),
    refunds: ctx.takeDueRefunds(day),
    inventory: ctx.ledger.closeDay(day, rng),
  };
}

/**
 * Visits lost to the traffic drop's outage, before their outcome is decided. The random draw is
 * made only inside the anomaly, so the other days keep their stream.
 */
function isLostToAnomaly(ctx: ShopContext, day: DemoDay, visit: VisitPlan): boolean {
  const { rng, options } = ctx;
  const drop = findDemoAnomaly('traffic_drop');
  return (
    isInDemoAnomalyWindow(drop, options.days, day.index, getLocalMinute(day, visit.start)) &&
    rng.chance(1 - drop.details.visitorFactor)
  );
}

/** A registered user's visit; the source is drawn unless a campaign brought them. */
function createReturningVisit(
  ctx: ShopContext,
  day: DemoDay,
  user: DemoUser,
  campaignSource?: TrafficSource,
): VisitPlan {
  const { rng } = ctx;
  const start = ctx.pickStart(day);
  const source = campaignSource ?? pickReturningSource(rng, user.device.platform);
  return {
    start,
    visitor: {
      anonymousId: user.anonymousId,
      deviceId: user.deviceId,
      device: user.device,
      // Phones change networks; most visits still come from the usual address.
      ip: rng.chance(0.8) ? user.ip : pickDemoIp(rng),
      userId: user.userId,
    },
    source,
    landingCategory: rng.pick(DEMO_CATEGORIES).slug,
    login: rng.chance(0.3),
    viewed: [],
    cart: [],
    checkout: false,
    isMember: user.membership !== undefined && user.membership.expiresAt > start,
    ...(user.agentId ? { agentId: user.agentId } : {}),
    fast: false,
  };
}

function createNewVisit(ctx: ShopContext, day: DemoDay): VisitPlan {
  const { rng } = ctx;
  const source = pickTrafficSource(rng, ctx.pickAgent);
  return {
    start: ctx.pickStart(day),
    visitor: {
      anonymousId: `anon-${rng.hex(12)}`,
      deviceId: `dev-${rng.hex(12)}`,
      device: createDemoDevice(rng, source.platform),
      ip: pickDemoIp(rng),
    },
    source,
    ...(source.landing === 'product' ? { landingProduct: ctx.pickViewedProduct(rng.next) } : {}),
    landingCategory: rng.pick(DEMO_CATEGORIES).slug,
    login: false,
    viewed: [],
    cart: [],
    checkout: false,
    isMember: false,
    fast: false,
  };
}

/** The funnel: view → cart → checkout → pay, with sign-up at checkout for new visitors. */
function decideOutcome(ctx: ShopContext, day: DemoDay, visit: VisitPlan): void {
  const { rng, options } = ctx;
  const user = visit.visitor.userId ? ctx.usersById.get(visit.visitor.userId) : undefined;
  const isReturning = user !== undefined;
  const viewed: DemoProduct[] = visit.landingProduct ? [visit.landingProduct] : [];
  if (viewed.length > 0 || rng.chance(isReturning ? 0.7 : 0.5)) {
    const more = rng.poisson(1.1) + (viewed.length > 0 ? 0 : 1);
    for (let i = 0; i < more; i += 1) {
      const product = ctx.pickViewedProduct(rng.next);
      if (!viewed.includes(product)) viewed.push(product);
    }
  }
  const wantsCart = viewed.length > 0 && rng.chance(isReturning ? 0.15 : 0.09);
  const checkout = wantsCart && rng.chance(0.55);
  const latency = findDemoAnomaly('latency_spike');
  const minute = getLocalMinute(day, visit.start);
  // A slow checkout API loses buyers: fewer orders complete during the latency spike.
  const isSlow = isInDemoAnomalyWindow(latency, options.days, day.index, minute);
  const buys = checkout && rng.chance(isSlow ? 0.35 : 0.62);
  if (wantsCart) {
    const lineCount = rng.weightedPick([1, 2, 3, 4], [60, 28, 9, 3]);
    visit.cart = ctx.ledger.pickCart(rng, lineCount, buys);
    for (const line of visit.cart) if (!viewed.includes(line.product)) viewed.push(line.product);
  }
  visit.viewed = viewed;
  visit.checkout = checkout && visit.cart.length > 0;

  let buyer = user;
  if (!buyer && (visit.checkout || rng.chance(SIGNUP_WITHOUT_ORDER))) buyer = signUp(ctx, visit);
  if (buys && visit.cart.length > 0 && buyer) {
    const agent = buyer.boundAgentId ? ctx.agentsById.get(buyer.boundAgentId) : undefined;
    const order = buildOrder(rng, {
      orderId: ctx.nextOrderId(day),
      user: buyer,
      productType: 'goods',
      lines: visit.cart,
      ...(agent ? { agent } : {}),
    });
    ctx.recordOrder(order, visit.start, buyer, !visit.flashSale);
    visit.order = order;
  }
  if (buyer) planDigitalOrder(ctx, day, visit, buyer);
}

function signUp(ctx: ShopContext, visit: VisitPlan): DemoUser {
  const { rng } = ctx;
  const userId = ctx.nextUserId();
  const user = ctx.registerUser(visit.visitor, userId, visit.start, visit.source.channel);
  const agentId =
    visit.source.agentId ??
    (rng.chance(OFFLINE_AGENT_BINDING) ? ctx.pickAgent(rng.next) : undefined);
  if (agentId) user.boundAgentId = agentId;
  const method =
    visit.source.platform === 'miniprogram'
      ? rng.weightedPick(['wechat', 'phone'] as const, [80, 20])
      : rng.weightedPick(['phone', 'email', 'wechat'] as const, [60, 15, 25]);
  visit.signUp = {
    userId,
    method,
    ...(visit.source.agentId ? { agentId: visit.source.agentId } : {}),
  };
  return user;
}

/** Memberships and AI quota packs, bought by logged-in users. */
function planDigitalOrder(ctx: ShopContext, day: DemoDay, visit: VisitPlan, user: DemoUser): void {
  const { rng } = ctx;
  const isMember = user.membership !== undefined && user.membership.expiresAt > visit.start;
  let productId: string | undefined;
  const joinChance = visit.flashSale?.membershipChance ?? MEMBERSHIP_PURCHASE;
  if (!isMember && rng.chance(joinChance)) productId = MEMBERSHIP_PRODUCTS[pickNewPlan(rng.next)];
  else if (rng.chance(0.012)) productId = rng.chance(0.7) ? 'quota_100' : 'quota_500';
  if (!productId) return;
  const product = ctx.pickProduct(productId);
  const agent = user.boundAgentId ? ctx.agentsById.get(user.boundAgentId) : undefined;
  const order = buildOrder(rng, {
    orderId: ctx.nextOrderId(day),
    user,
    productType: product.productType,
    lines: createDigitalLines(product),
    ...(agent ? { agent } : {}),
  });
  ctx.recordOrder(order, visit.start, user, true);
  visit.digitalOrder = order;
  if (product.productType === 'membership') {
    user.membership = {
      plan: product.plan ?? 'monthly',
      expiresAt: visit.start + (product.periodDays ?? 30) * DAY_MS,
    };
  }
}

function planRenewal(
  ctx: ShopContext,
  day: DemoDay,
  user: DemoUser,
  renewals: RenewalPlan[],
): void {
  const { rng } = ctx;
  const membership = user.membership;
  if (!membership) return;
  if (!rng.chance(RENEWAL_SHARE[membership.plan])) {
    delete user.membership;
    return;
  }
  const product = ctx.pickProduct(MEMBERSHIP_PRODUCTS[membership.plan]);
  // Auto-renewal charges a few minutes after expiry, server-side.
  const time = Math.max(day.start, membership.expiresAt) + rng.int(0, 10 * 60_000);
  const agent = user.boundAgentId ? ctx.agentsById.get(user.boundAgentId) : undefined;
  const order = buildOrder(rng, {
    orderId: ctx.nextOrderId(day),
    user,
    productType: 'membership',
    lines: createDigitalLines(product),
    isRenewal: true,
    ...(agent ? { agent } : {}),
  });
  ctx.recordOrder(order, time, user, true);
  membership.expiresAt += (product.periodDays ?? 30) * DAY_MS;
  renewals.push({ time, user, order });
}

import { findDemoAnomaly, getDemoAnomalyDay, type DemoAnomaly } from './demo-anomalies.ts';
import type { DemoDay } from './demo-calendar.ts';
import { createDemoDevice, type DemoDevice } from './device-profiles.ts';
import { buildOrder } from './plan-orders.ts';
import type { ShopContext } from './shop-context.ts';
import type { CartLine, DemoVisitor, VisitPlan } from './shop-plan.ts';
import type { TrafficSource } from './traffic-sources.ts';
import type { DemoUser } from './user-population.ts';

const MINUTE_MS = 60_000;
/**
 * Shoppers who reach the checkout during the latency spike and give up, so the slow route has
 * requests in its hour even at a small scale, where the hour may have no natural checkout.
 */
const SPIKE_ABANDONED_CHECKOUTS = 6;
/** They start early in the window, so their checkout call lands inside it. */
const SPIKE_START_SPREAD_MS = 30 * MINUTE_MS;
/** A cheap Android phone in a mobile browser: the kind of device used for coupon farming. */
const BURST_DEVICE: DemoDevice = {
  platform: 'h5',
  userAgent:
    'Mozilla/5.0 (Linux; Android 10; M2006C3LC) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Mobile Safari/537.36',
  network: '4g',
};

/** Scripted visits for the anomalies planted on this day (their outcomes are fixed here). */
export function plantAnomalyVisits(ctx: ShopContext, day: DemoDay): VisitPlan[] {
  const days = ctx.options.days;
  const isToday = (anomaly: DemoAnomaly): boolean => getDemoAnomalyDay(anomaly, days) === day.index;
  const visits: VisitPlan[] = [];
  const burst = findDemoAnomaly('order_burst');
  if (isToday(burst)) visits.push(...plantOrderBurst(ctx, day, burst));
  const abuse = findDemoAnomaly('commission_abuse');
  if (isToday(abuse)) visits.push(...plantCommissionAbuse(ctx, day, abuse));
  const whale = findDemoAnomaly('large_first_order');
  if (isToday(whale)) visits.push(plantLargeFirstOrder(ctx, day, whale));
  const latency = findDemoAnomaly('latency_spike');
  if (isToday(latency)) visits.push(...plantAbandonedCheckouts(ctx, day, latency));
  return visits;
}

export interface PlantSurgeVisitsOptions {
  /** The day's visits drawn so far, before the surge. */
  usualVisits: readonly VisitPlan[];
  /** A registered user's visit from the campaign; its outcome is decided later, as any visit's. */
  createVisit: (user: DemoUser, source: TrafficSource) => VisitPlan;
}

/**
 * The campaign surge: the flash sale is emailed to the shop's registered users, and
 * (visitorFactor − 1) times the day's usual email visits come back through it, on top of the
 * usual visits (whose draws stay as they are). Registered users buy far more often than
 * first-time visitors, which is what lifts GMV well above its day-to-day noise. Each visit
 * carries the sale's terms (membership on offer, goods final sale). Mini-program users are left
 * out: a link in an email cannot open the mini program. Drawn only on the surge's day, so the
 * other days keep their stream.
 */
export function plantSurgeVisits(
  ctx: ShopContext,
  day: DemoDay,
  options: PlantSurgeVisitsOptions,
): VisitPlan[] {
  const surge = findDemoAnomaly('campaign_surge');
  if (getDemoAnomalyDay(surge, ctx.options.days) !== day.index) return [];
  const { channel, campaign, visitorFactor, membershipOffer } = surge.details;
  const recipients = ctx.users.filter(
    (user) =>
      !user.agentId && user.signupTime < day.start && user.device.platform !== 'miniprogram',
  );
  if (recipients.length === 0) return [];
  const usual = options.usualVisits.filter((visit) => visit.source.channel === channel).length;
  const count = ctx.rng.poisson(usual * (visitorFactor - 1));
  return Array.from({ length: count }, () => {
    const user = ctx.rng.pick(recipients);
    const visit = options.createVisit(user, {
      channel,
      platform: user.device.platform,
      landing: 'promo',
      campaign,
      utmSource: 'newsletter',
      utmMedium: 'email',
      utmCampaign: campaign,
    });
    return { ...visit, flashSale: { membershipChance: membershipOffer } };
  });
}

function getWindowStart(day: DemoDay, anomaly: DemoAnomaly): number {
  return day.start + anomaly.window.startMinute * MINUTE_MS;
}

function plantOrderBurst(
  ctx: ShopContext,
  day: DemoDay,
  anomaly: Extract<DemoAnomaly, { kind: 'order_burst' }>,
): VisitPlan[] {
  const { rng } = ctx;
  const { details } = anomaly;
  const visitor: DemoVisitor = {
    anonymousId: details.anonymousId,
    deviceId: details.deviceId,
    device: BURST_DEVICE,
    ip: details.ip,
  };
  const windowStart = getWindowStart(day, anomaly);
  // Leave the last 90 s of the window free so every scripted session ends inside it.
  const spacingMs =
    ((anomaly.window.endMinute - anomaly.window.startMinute) * MINUTE_MS - 90_000) / details.orders;
  const visits: VisitPlan[] = [];
  for (let i = 0; i < details.orders; i += 1) {
    const start = windowStart + Math.round(i * spacingMs) + rng.int(0, 10_000);
    const userId =
      details.userIds[Math.floor((i * details.userIds.length) / details.orders)] ?? 'u990101';
    const existing = ctx.usersById.get(userId);
    const user = existing ?? ctx.registerUser(visitor, userId, start, 'direct');
    const lines = ctx.ledger.pickCart(rng, 1, true);
    const order = buildOrder(rng, {
      orderId: ctx.nextOrderId(day),
      user,
      productType: 'goods',
      lines,
      couponId: 'CPN-NEW10',
    });
    ctx.recordOrder(order, start, user, false);
    visits.push({
      ...createScriptedVisit(start, existing ? { ...visitor, userId } : visitor, lines),
      source: { channel: 'direct', platform: 'h5', landing: 'product' },
      ...(existing ? {} : { signUp: { userId, method: 'phone' as const } }),
      order,
      fast: true,
    });
  }
  return visits;
}

function plantCommissionAbuse(
  ctx: ShopContext,
  day: DemoDay,
  anomaly: Extract<DemoAnomaly, { kind: 'commission_abuse' }>,
): VisitPlan[] {
  const { rng } = ctx;
  const { details } = anomaly;
  const agent = ctx.agentsById.get(details.agentId);
  const user = ctx.usersById.get(details.userId);
  if (!agent || !user) return [];
  const windowMs = (anomaly.window.endMinute - anomaly.window.startMinute) * MINUTE_MS;
  const starts = Array.from(
    { length: details.orders },
    () => getWindowStart(day, anomaly) + rng.int(0, windowMs - 30 * MINUTE_MS),
  ).sort((a, b) => a - b);
  return starts.map((start): VisitPlan => {
    const lines = ctx.ledger.pickCart(rng, rng.int(1, 2), true);
    const order = buildOrder(rng, {
      orderId: ctx.nextOrderId(day),
      user,
      productType: 'goods',
      lines,
      agent,
      commissionRatio: rng.float(0.38, 0.42),
    });
    ctx.recordOrder(order, start, user, false);
    const visitor: DemoVisitor = { ...identityOf(user), userId: user.userId };
    return {
      ...createScriptedVisit(start, visitor, lines),
      source: {
        channel: 'social',
        platform: user.device.platform,
        landing: 'product',
        utmSource: 'weixin',
        utmMedium: 'agent_share',
        utmContent: agent.agentId,
        agentId: agent.agentId,
      },
      order,
      agentId: agent.agentId,
    };
  });
}

function plantLargeFirstOrder(
  ctx: ShopContext,
  day: DemoDay,
  anomaly: Extract<DemoAnomaly, { kind: 'large_first_order' }>,
): VisitPlan {
  const { rng } = ctx;
  const { details } = anomaly;
  const start = getWindowStart(day, anomaly) + rng.int(0, 20 * MINUTE_MS);
  const visitor: DemoVisitor = {
    anonymousId: `anon-${rng.hex(12)}`,
    deviceId: `dev-${rng.hex(12)}`,
    device: createDemoDevice(rng, 'web'),
    ip: details.ip,
  };
  const user = ctx.registerUser(visitor, details.userId, start, 'paid_search');
  // Overshoot a little: the target is a multiple of the mean, and the mean keeps moving.
  let remaining = details.aovMultiple * ctx.getTypicalAov() * 1.15;
  const lines: CartLine[] = [];
  const byPrice = ctx.goods
    .filter((product) => product.popularity > 0)
    .sort((a, b) => b.price - a.price);
  for (const product of byPrice) {
    if (remaining <= 0) break;
    const taken = ctx.ledger.take(product, Math.ceil(remaining / product.price));
    if (taken === 0) continue;
    lines.push({ product, quantity: taken });
    remaining -= taken * product.price;
  }
  const order = buildOrder(rng, {
    orderId: ctx.nextOrderId(day),
    user,
    productType: 'goods',
    lines,
  });
  ctx.recordOrder(order, start, user, false);
  return {
    ...createScriptedVisit(start, visitor, lines),
    source: {
      channel: 'paid_search',
      platform: 'web',
      landing: 'product',
      referrer: 'https://www.baidu.com/s?wd=%E9%BE%99%E4%BA%95',
      campaign: 'spring_tea_festival',
      utmSource: 'baidu',
      utmMedium: 'cpc',
      utmCampaign: 'spring_tea_festival',
    },
    signUp: { userId: details.userId, method: 'phone' },
    order,
  };
}

function plantAbandonedCheckouts(
  ctx: ShopContext,
  day: DemoDay,
  anomaly: Extract<DemoAnomaly, { kind: 'latency_spike' }>,
): VisitPlan[] {
  const { rng } = ctx;
  const shoppers = ctx.users.filter((user) => !user.agentId && user.signupTime < day.start);
  if (shoppers.length === 0) return [];
  const visits: VisitPlan[] = [];
  for (let i = 0; i < SPIKE_ABANDONED_CHECKOUTS; i += 1) {
    const user = rng.pick(shoppers);
    const start = getWindowStart(day, anomaly) + rng.int(0, SPIKE_START_SPREAD_MS);
    // Not bought: the cart takes nothing from stock.
    const lines = ctx.ledger.pickCart(rng, 1, false);
    visits.push({
      ...createScriptedVisit(start, { ...identityOf(user), userId: user.userId }, lines),
      checkout: lines.length > 0,
      isMember: user.membership !== undefined && user.membership.expiresAt > start,
    });
  }
  return visits;
}

function identityOf(user: {
  anonymousId: string;
  deviceId: string;
  device: DemoDevice;
  ip: string;
}): DemoVisitor {
  return {
    anonymousId: user.anonymousId,
    deviceId: user.deviceId,
    device: user.device,
    ip: user.ip,
  };
}

function createScriptedVisit(start: number, visitor: DemoVisitor, lines: CartLine[]): VisitPlan {
  const products = lines.map((line) => line.product);
  return {
    start,
    visitor,
    source: { channel: 'direct', platform: visitor.device.platform, landing: 'product' },
    ...(products[0] ? { landingProduct: products[0] } : {}),
    landingCategory: products[0]?.category ?? 'tea',
    login: false,
    viewed: products,
    cart: lines,
    checkout: true,
    isMember: false,
    fast: false,
  };
}

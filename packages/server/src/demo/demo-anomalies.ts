import type { ProductType } from './create-demo-products.ts';

/**
 * Anomalies planted in every demo data set, so tests and alert rules have something known to find.
 * Times are local to DemoOptions.timeZone; the day index is `days - dayFromEnd` (skipped when that
 * is negative). Identifying values are fixed, independent of the seed.
 */
export type DemoAnomaly =
  | DemoAnomalyBase<'traffic_drop', { visitorFactor: number }>
  | DemoAnomalyBase<
      'order_burst',
      {
        ip: string;
        deviceId: string;
        anonymousId: string;
        userIds: readonly string[];
        orders: number;
      }
    >
  | DemoAnomalyBase<'latency_spike', { method: string; route: string; p95MinMs: number }>
  | DemoAnomalyBase<
      'commission_abuse',
      { agentId: string; userId: string; orders: number; commissionRatio: number }
    >
  | DemoAnomalyBase<'large_first_order', { userId: string; ip: string; aovMultiple: number }>
  | DemoAnomalyBase<
      'campaign_surge',
      {
        /** Only email so far: the surge's visitors are drawn from the mailing list. */
        channel: 'email';
        campaign: string;
        /** The day's email visits are multiplied by about this. */
        visitorFactor: number;
        /** Chance that a visitor from the campaign without a membership buys one. */
        membershipOffer: number;
      }
    >
  | DemoAnomalyBase<
      'refund_spike',
      { productType: ProductType; refundShare: number; reason: string }
    >;

export interface DemoAnomalyBase<K extends string, D> {
  kind: K;
  /** Planted on day index `days - dayFromEnd`. */
  dayFromEnd: number;
  /** Local time window [startMinute, endMinute), minutes after local midnight. */
  window: { startMinute: number; endMinute: number };
  description: string;
  details: D;
}

/**
 * What every demo plants, from the oldest day to the newest:
 * - dayFromEnd 6 `order_burst`, 5 `large_first_order`, 4 `commission_abuse`, 3 `traffic_drop`:
 *   single events and short windows for the anomaly detectors and alert rules. The burst's 25
 *   orders are about a fifth of a day's GMV at scale 1, so it stays away from dayFromEnd 2, the
 *   day a daily report on the last day compares against (which holds nothing planted).
 * - dayFromEnd 1, "yesterday" for a demo generated today: the day this morning's daily report
 *   covers. `campaign_surge` emails a flash sale to the registered users: about 16 times the
 *   usual email visits, which roughly doubles GMV and orders, far above their day-to-day noise
 *   (±20–40%), so the report names channel email. `refund_spike` is a billing bug that refunds
 *   most membership orders the same day with one reason, `duplicate_charge`, which no other
 *   refund has; the flash sale's membership offer makes those orders many enough to stand above
 *   the usual goods refunds. The sale's goods are final sale, so it adds no other refunds to the
 *   email channel, and the report names membership or the reason rather than the channel.
 *   `latency_spike` slows the checkout in the evening peak and loses some orders.
 */
export const DEMO_ANOMALIES: readonly DemoAnomaly[] = Object.freeze([
  {
    kind: 'traffic_drop',
    dayFromEnd: 3,
    window: { startMinute: 14 * 60, endMinute: 17 * 60 },
    description:
      'About 70% fewer visitors between 14:00 and 17:00 (an outage upstream of the shop).',
    details: { visitorFactor: 0.3 },
  },
  {
    kind: 'order_burst',
    dayFromEnd: 6,
    window: { startMinute: 3 * 60 + 10, endMinute: 3 * 60 + 30 },
    description:
      '25 orders in 20 minutes at night from one IP and one device, across 3 new accounts.',
    details: {
      ip: '117.136.42.87',
      deviceId: 'dev-7f3a9c1e5b2d',
      anonymousId: 'anon-7f3a9c1e5b2d',
      userIds: ['u990101', 'u990102', 'u990103'],
      orders: 25,
    },
  },
  {
    kind: 'latency_spike',
    dayFromEnd: 1,
    window: { startMinute: 20 * 60, endMinute: 21 * 60 },
    description: 'POST /api/checkout p95 above 3 s for one hour in the evening peak.',
    details: { method: 'POST', route: '/api/checkout', p95MinMs: 3_000 },
  },
  {
    kind: 'commission_abuse',
    dayFromEnd: 4,
    window: { startMinute: 9 * 60, endMinute: 21 * 60 },
    description:
      'Agent agent_13 buys through their own link; commission is ~40% of the pay amount.',
    // An agent's user id is its agent id, so the buyer is visibly the agent.
    details: { agentId: 'agent_13', userId: 'agent_13', orders: 4, commissionRatio: 0.4 },
  },
  {
    kind: 'large_first_order',
    dayFromEnd: 5,
    window: { startMinute: 10 * 60, endMinute: 11 * 60 },
    description:
      'A user who signed up minutes earlier places a first order of ~20x the typical AOV.',
    details: { userId: 'u990201', ip: '222.209.66.134', aovMultiple: 20 },
  },
  {
    kind: 'campaign_surge',
    dayFromEnd: 1,
    window: { startMinute: 0, endMinute: 24 * 60 },
    description:
      'An email flash sale to the registered users: about 16x the usual email visits all day, goods sold as final sale and the membership on offer, so GMV and orders rise, driven by channel email.',
    details: { channel: 'email', campaign: 'flash_sale', visitorFactor: 16, membershipOffer: 0.08 },
  },
  {
    kind: 'refund_spike',
    dayFromEnd: 1,
    // Orders paid in the window; each is refunded one to two hours later, the same day.
    window: { startMinute: 0, endMinute: 22 * 60 },
    description:
      'A billing bug charged members twice: most membership orders paid before 22:00 (about 90%) are refunded in full within two hours as duplicate charges.',
    details: { productType: 'membership', refundShare: 0.9, reason: 'duplicate_charge' },
  },
]);

/** The day index an anomaly is planted on, or undefined when the period is too short for it. */
export function getDemoAnomalyDay(anomaly: DemoAnomaly, days: number): number | undefined {
  const day = days - anomaly.dayFromEnd;
  return day >= 0 ? day : undefined;
}

/** Finds the one anomaly of a kind (each kind is planted once). */
export function findDemoAnomaly<K extends DemoAnomaly['kind']>(
  kind: K,
): Extract<DemoAnomaly, { kind: K }> {
  const found = DEMO_ANOMALIES.find(
    (anomaly): anomaly is Extract<DemoAnomaly, { kind: K }> => anomaly.kind === kind,
  );
  if (!found) throw new Error(`no demo anomaly of kind ${kind}`);
  return found;
}

/** True when `minute` (after local midnight) on `dayIndex` falls inside the anomaly's window. */
export function isInDemoAnomalyWindow(
  anomaly: DemoAnomaly,
  days: number,
  dayIndex: number,
  minute: number,
): boolean {
  return (
    getDemoAnomalyDay(anomaly, days) === dayIndex &&
    minute >= anomaly.window.startMinute &&
    minute < anomaly.window.endMinute
  );
}

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
  | DemoAnomalyBase<'large_first_order', { userId: string; ip: string; aovMultiple: number }>;

export interface DemoAnomalyBase<K extends string, D> {
  kind: K;
  /** Planted on day index `days - dayFromEnd`. */
  dayFromEnd: number;
  /** Local time window [startMinute, endMinute), minutes after local midnight. */
  window: { startMinute: number; endMinute: number };
  description: string;
  details: D;
}

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
    dayFromEnd: 2,
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

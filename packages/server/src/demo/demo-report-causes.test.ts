import type { WireEvent } from '@sightline/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDemoCalendar, type DemoDay } from './demo-calendar.ts';
import {
  DEMO_ANOMALIES,
  findDemoAnomaly,
  generateDemoDays,
  getDemoAnomalyDay,
  type DemoOptions,
} from './index.ts';

/**
 * The default demo's seed over the 10 days of 2025-06-21 … 2025-06-30 in Shanghai; the causes
 * are on 2025-06-30, a Monday, compared with Sunday.
 */
const OPTIONS: DemoOptions = {
  seed: 42,
  days: 10,
  scale: 1,
  endTime: Date.UTC(2025, 5, 30, 16),
  timeZone: 'Asia/Shanghai',
  projectId: 'demo',
};

/** What a daily report compares, per local day, read from the events as they were sent. */
interface DayFacts {
  /** Sessions with a page view, by channel. */
  sessions: Map<string, Set<string>>;
  /** order_completed events. */
  orders: WireEvent[];
  refunds: WireEvent[];
}

const surge = findDemoAnomaly('campaign_surge');
const spike = findDemoAnomaly('refund_spike');

describe('the causes a daily report on the last demo day explains', () => {
  const calendar = createDemoCalendar(OPTIONS.endTime, OPTIONS.days, OPTIONS.timeZone);
  const facts: DayFacts[] = calendar.map(() => ({ sessions: new Map(), orders: [], refunds: [] }));
  const orderEvents = new Map<string, WireEvent>();
  /** Sessions that landed from the surge's campaign. */
  const campaignSessions = new Set<string>();
  let yesterday: DayFacts;
  let before: DayFacts;
  let causeDay: DemoDay;

  beforeAll(async () => {
    const seen = new Set<string>();
    for (const chunk of generateDemoDays(OPTIONS)) {
      for (const { event } of chunk.inputs) {
        // SDK retries repeat an event_id; the store keeps one.
        if (seen.has(event.event_id ?? '')) continue;
        seen.add(event.event_id ?? '');
        addEvent(event);
      }
      // Yield between days so the test worker can answer vitest's RPC.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const index = getDemoAnomalyDay(surge, OPTIONS.days) ?? -1;
    const [last, previous, day] = [facts[index], facts[index - 1], calendar[index]];
    if (!last || !previous || !day) throw new Error('the causes are not planted in this period');
    [yesterday, before, causeDay] = [last, previous, day];
  });

  function addEvent(event: WireEvent): void {
    const ts = typeof event.ts === 'number' ? event.ts : Number.NaN;
    const day = facts[calendar.findIndex((d) => ts >= d.start && ts < d.end)];
    const orderId = event.props?.order_id;
    if (event.name === 'order_completed' && typeof orderId === 'string') {
      orderEvents.set(orderId, event);
    }
    if (event.utm_campaign === surge.details.campaign && event.session_id) {
      campaignSessions.add(event.session_id);
    }
    if (!day) return;
    const channel = event.channel ?? '';
    if (event.type === 'page' && event.session_id) {
      const sessions = day.sessions.get(channel) ?? new Set<string>();
      day.sessions.set(channel, sessions.add(event.session_id));
    }
    if (event.name === 'order_completed') day.orders.push(event);
    if (event.name === 'order_refunded') day.refunds.push(event);
  }

  const getOrder = (refund: WireEvent): WireEvent | undefined =>
    orderEvents.get(String(refund.props?.order_id));
  const sumAmounts = (events: readonly WireEvent[]): number =>
    events.reduce((sum, event) => sum + (event.amount ?? 0), 0);
  const sumOfType = (day: DayFacts): number =>
    sumAmounts(
      day.refunds.filter(
        (refund) => getOrder(refund)?.props?.product_type === spike.details.productType,
      ),
    );
  const sumOfChannel = (day: DayFacts): number =>
    sumAmounts(day.orders.filter((order) => order.channel === surge.details.channel));

  it('plants both causes on the day before the last, with nothing on the day before them', () => {
    expect(surge.dayFromEnd).toBe(1);
    expect(spike.dayFromEnd).toBe(1);
    expect(findDemoAnomaly('latency_spike').dayFromEnd).toBe(1);
    // The day the report compares against is left alone (the order burst used to be there).
    expect(DEMO_ANOMALIES.filter((anomaly) => anomaly.dayFromEnd === 2)).toEqual([]);
    expect(findDemoAnomaly('order_burst').dayFromEnd).toBe(6);
    expect(surge.details).toEqual({
      channel: 'email',
      campaign: 'flash_sale',
      visitorFactor: 16,
      membershipOffer: 0.08,
    });
    expect(spike.details).toEqual({
      productType: 'membership',
      refundShare: 0.9,
      reason: 'duplicate_charge',
    });
  });

  it('multiplies the email visits at least 5x, and email carries most of the GMV rise', () => {
    const visits = (day: DayFacts): number => day.sessions.get(surge.details.channel)?.size ?? 0;
    expect(visits(before)).toBeGreaterThan(50);
    expect(visits(yesterday)).toBeGreaterThanOrEqual(5 * visits(before));
    const change = sumAmounts(yesterday.orders) - sumAmounts(before.orders);
    expect(change).toBeGreaterThan(0);
    expect(sumOfChannel(yesterday) - sumOfChannel(before)).toBeGreaterThanOrEqual(0.6 * change);
  });

  it('sells the flash sale as final sale: its goods orders are never refunded', () => {
    const fromCampaign = (order: WireEvent | undefined): boolean =>
      campaignSessions.has(order?.session_id ?? '');
    expect(yesterday.orders.filter(fromCampaign).length).toBeGreaterThan(20);
    const refunded = facts
      .flatMap((day) => day.refunds)
      .map(getOrder)
      .filter(fromCampaign);
    for (const order of refunded) expect(order?.props?.product_type).not.toBe('goods');
  });

  it("refunds at least 5x the day before's in the product type, 60%+ of the day's refunds", () => {
    expect(sumOfType(yesterday)).toBeGreaterThanOrEqual(5 * sumOfType(before));
    expect(sumOfType(yesterday)).toBeGreaterThan(0);
    expect(sumOfType(yesterday)).toBeGreaterThanOrEqual(0.6 * sumAmounts(yesterday.refunds));
  });

  it('refunds the spiked orders in full, after they were paid and on the same day', () => {
    const spiked = yesterday.refunds.filter(
      (refund) => refund.props?.reason === spike.details.reason,
    );
    expect(spiked.length).toBeGreaterThan(10);
    for (const refund of spiked) {
      const order = getOrder(refund);
      expect(order?.props?.product_type).toBe(spike.details.productType);
      expect(Number(order?.ts)).toBeGreaterThanOrEqual(causeDay.start);
      expect(refund.amount).toBe(order?.amount);
      expect(Number(refund.ts)).toBeGreaterThan(Number(order?.ts));
      expect(Number(refund.ts)).toBeLessThan(causeDay.end);
    }
  });
});

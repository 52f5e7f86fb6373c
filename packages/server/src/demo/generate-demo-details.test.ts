import type { WireEvent } from '@sightline/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { findDemoAnomaly, generateDemoDays, type DemoOptions } from './index.ts';

/** Details the catalog metrics and reports read, over the 12 days 2026-03-20 … 2026-03-31. */
const OPTIONS: DemoOptions = {
  seed: 5,
  days: 12,
  scale: 0.4,
  endTime: Date.UTC(2026, 2, 31, 16),
  timeZone: 'Asia/Shanghai',
  projectId: 'demo',
};
const PERIOD_DAYS: Readonly<Record<string, number>> = { weekly: 7, monthly: 30, yearly: 365 };

const prop = (event: WireEvent, key: string): unknown => event.props?.[key];

describe('generateDemoDays details', () => {
  const events: WireEvent[] = [];
  beforeAll(async () => {
    const seen = new Set<string>();
    for (const chunk of generateDemoDays(OPTIONS)) {
      for (const { event } of chunk.inputs) {
        if (seen.has(event.event_id ?? '')) continue;
        seen.add(event.event_id ?? '');
        events.push(event);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  });

  it('sells weekly, monthly and yearly cards and renews them as they expire', () => {
    const memberships = events.filter(
      (event) => event.name === 'order_completed' && prop(event, 'product_type') === 'membership',
    );
    for (const order of memberships)
      expect(prop(order, 'period_days')).toBe(PERIOD_DAYS[String(prop(order, 'plan'))]);
    const plans = new Set(memberships.map((order) => prop(order, 'plan')));
    expect(plans).toEqual(new Set(['weekly', 'monthly', 'yearly']));
    const renewals = memberships.filter((order) => prop(order, 'is_renewal') === true);
    expect(renewals.length).toBeGreaterThan(5);
    // A weekly card bought in the period falls due within it, and some are renewed.
    const weeklyBuyers = new Set<string>();
    let renewedInPeriod = 0;
    for (const order of memberships.sort((a, b) => Number(a.ts) - Number(b.ts))) {
      if (prop(order, 'plan') !== 'weekly' || !order.user_id) continue;
      if (weeklyBuyers.has(order.user_id) && prop(order, 'is_renewal') === true)
        renewedInPeriod += 1;
      weeklyBuyers.add(order.user_id);
    }
    expect(renewedInPeriod).toBeGreaterThan(0);
  });

  it('throws front-end errors on the pages that have the bug, from a handful of causes', () => {
    const errors = events.filter((event) => event.name === 'js_error');
    expect(errors.length).toBeGreaterThan(50);
    const causes = new Map<string, Set<string>>();
    for (const error of errors) {
      expect(error.page, error.message).toMatch(/^\//);
      expect(error.stack).toContain(String(error.message).split('\n')[0]);
      const cause = String(error.message).replace(/\d+|req_[0-9a-f]+|\.[0-9a-f]{8}\./g, '#');
      causes.set(cause, (causes.get(cause) ?? new Set()).add(String(error.page)));
    }
    expect(causes.size).toBeGreaterThanOrEqual(5);
    expect(causes.size).toBeLessThanOrEqual(8);
    const pagesOf = (text: string) =>
      [...causes].filter(([cause]) => cause.includes(text)).flatMap(([, pages]) => [...pages]);
    expect(new Set(pagesOf('coupon.rules'))).toEqual(new Set(['/checkout']));
    expect(new Set(pagesOf("reading 'price'"))).toEqual(new Set(['/cart']));
    for (const page of pagesOf('skuList')) expect(page).toMatch(/^\/product\/p\d+$/);
    const coupon = errors.filter((error) => String(error.message).includes('coupon.rules'));
    for (const error of coupon) expect(error.release).toMatch(/^shop-(web|h5)@2\.15\.0$/);
    expect(errors.some((error) => prop(error, 'fatal') === true)).toBe(true);
  });

  it('has visitors who leave from the landing page, but most sessions go further', () => {
    const sessions = new Map<string, { views: number; actions: number }>();
    for (const event of events) {
      if (!event.session_id || (event.type !== 'page' && event.type !== 'event')) continue;
      const session = sessions.get(event.session_id) ?? { views: 0, actions: 0 };
      if (event.type === 'page') session.views += 1;
      else session.actions += 1;
      sessions.set(event.session_id, session);
    }
    const bounced = [...sessions.values()].filter((s) => s.views === 1 && s.actions === 0);
    expect(bounced.length / sessions.size).toBeGreaterThan(0.1);
    expect(bounced.length / sessions.size).toBeLessThan(0.35);
  });

  it("gives agents user ids equal to their agent ids, so an agent's own order shows", () => {
    const shares = events.filter((event) => event.name === 'share' && prop(event, 'agent_id'));
    expect(shares.length).toBeGreaterThan(50);
    for (const share of shares) expect(share.user_id).toBe(prop(share, 'agent_id'));
    const abuse = findDemoAnomaly('commission_abuse');
    const own = events.filter(
      (event) =>
        event.name === 'order_completed' &&
        prop(event, 'agent_id') === abuse.details.agentId &&
        event.user_id === abuse.details.agentId,
    );
    expect(own).toHaveLength(abuse.details.orders);
  });
});

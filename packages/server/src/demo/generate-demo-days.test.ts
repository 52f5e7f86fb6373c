import {
  INGEST_LIMITS,
  orderCompletedPropsSchema,
  orderRefundedPropsSchema,
  wireEventSchema,
  type WireEvent,
} from '@sightline/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDemoCalendar } from './demo-calendar.ts';
import {
  findDemoAnomaly,
  generateDemoDays,
  getDemoAnomalyDay,
  type DemoChunk,
  type DemoOptions,
} from './index.ts';

/** 2025-04-01 00:00 in Shanghai: the period is the 10 days of 2025-03-22 … 2025-03-31. */
const OPTIONS: DemoOptions = {
  seed: 20250401,
  days: 10,
  scale: 1,
  endTime: Date.UTC(2025, 2, 31, 16),
  timeZone: 'Asia/Shanghai',
  projectId: 'demo',
};

function takeDays(options: DemoOptions, count: number): DemoChunk[] {
  const chunks: DemoChunk[] = [];
  for (const chunk of generateDemoDays(options)) {
    chunks.push(chunk);
    if (chunks.length === count) break;
  }
  return chunks;
}

/** Collects every chunk, yielding between days so the test worker can answer vitest's RPC. */
async function collectDemoDays(options: DemoOptions): Promise<DemoChunk[]> {
  const chunks: DemoChunk[] = [];
  for (const chunk of generateDemoDays(options)) {
    chunks.push(chunk);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return chunks;
}

function getTs(event: WireEvent): number {
  if (typeof event.ts !== 'number') throw new Error('demo events carry numeric ts');
  return event.ts;
}

function getProp(event: WireEvent, key: string): unknown {
  return event.props?.[key];
}

/** Distinct visitors (anonymous ids) per day that sent at least one event matching `match`. */
function countVisitors(chunks: DemoChunk[], match: (event: WireEvent) => boolean): number {
  let total = 0;
  for (const chunk of chunks) {
    const visitors = new Set<string>();
    for (const { event } of chunk.inputs) {
      if (event.anonymous_id && match(event)) visitors.add(event.anonymous_id);
    }
    total += visitors.size;
  }
  return total;
}

/** The campaign surge's day: several times the usual visits, so left out of the usual rates. */
const SURGE_DAY = getDemoAnomalyDay(findDemoAnomaly('campaign_surge'), OPTIONS.days);

const isSessionOrder = (event: WireEvent): boolean =>
  event.name === 'order_completed' && event.session_id !== undefined;

describe('generateDemoDays', () => {
  let chunks: DemoChunk[] = [];
  let usualChunks: DemoChunk[] = [];
  beforeAll(async () => {
    chunks = await collectDemoDays(OPTIONS);
    usualChunks = chunks.filter((chunk) => chunk.day !== SURGE_DAY);
  });

  it('gives byte-identical output for the same options and differs by seed', () => {
    const first = JSON.stringify(takeDays(OPTIONS, 2));
    expect(JSON.stringify(takeDays(OPTIONS, 2))).toBe(first);
    expect(JSON.stringify(takeDays({ ...OPTIONS, seed: OPTIONS.seed + 1 }, 2))).not.toBe(first);
    expect(JSON.stringify(chunks.slice(0, 2))).toBe(first);
  });

  it('draws new event ids for a later period, so reruns on another day do not collide', () => {
    const dayMs = 86_400_000;
    const [today] = takeDays(OPTIONS, 1);
    const [tomorrow] = takeDays({ ...OPTIONS, endTime: OPTIONS.endTime + dayMs }, 1);
    const ids = new Set(today?.inputs.map(({ event }) => event.event_id));
    expect(ids.size).toBeGreaterThan(10_000);
    expect(tomorrow?.inputs.some(({ event }) => ids.has(event.event_id))).toBe(false);
  });

  it('yields one chunk per day with every event inside its local day, in time order', () => {
    const calendar = createDemoCalendar(OPTIONS.endTime, OPTIONS.days, OPTIONS.timeZone);
    expect(chunks.map((chunk) => chunk.day)).toEqual(calendar.map((day) => day.index));
    for (const chunk of chunks) {
      const day = calendar[chunk.day];
      if (!day) throw new Error(`no calendar day ${chunk.day}`);
      let previous = day.start;
      let outOfOrder = 0;
      for (const { event } of chunk.inputs) {
        const ts = getTs(event);
        if (ts < previous) outOfOrder += 1;
        previous = ts;
      }
      expect(outOfOrder).toBe(0);
      expect(previous).toBeLessThan(day.end);
    }
  });

  it('produces events that pass the wire schema and the ingest limits', async () => {
    // A smaller run keeps zod's cost down; it still has every kind of event and anomaly.
    for (const chunk of await collectDemoDays({ ...OPTIONS, scale: 0.3 })) {
      for (const { event, ip } of chunk.inputs) {
        const result = wireEventSchema.safeParse(event);
        if (!result.success) throw new Error(`${JSON.stringify(event)}: ${result.error.message}`);
        const commerce =
          event.name === 'order_completed'
            ? orderCompletedPropsSchema.safeParse(event.props)
            : event.name === 'order_refunded'
              ? orderRefundedPropsSchema.safeParse(event.props)
              : undefined;
        if (commerce && !commerce.success) {
          throw new Error(`${JSON.stringify(event)}: ${commerce.error.message}`);
        }
        const tooBig =
          Buffer.byteLength(JSON.stringify(event)) > INGEST_LIMITS.maxEventBytes ||
          Object.keys(event.props ?? {}).length > INGEST_LIMITS.maxProps ||
          !/^\d{1,3}(\.\d{1,3}){3}$/.test(ip);
        if (tooBig) throw new Error(`over the ingest limits: ${JSON.stringify(event)}`);
      }
    }
  });

  it('stays within 20k–40k events a day at scale 1, and below 60k on the surge day', () => {
    expect(usualChunks).toHaveLength(OPTIONS.days - 1);
    for (const chunk of usualChunks) {
      expect(chunk.inputs.length).toBeGreaterThan(20_000);
      expect(chunk.inputs.length).toBeLessThan(40_000);
    }
    const surge = chunks.find((chunk) => chunk.day === SURGE_DAY);
    expect(surge?.inputs.length).toBeGreaterThan(40_000);
    expect(surge?.inputs.length).toBeLessThan(60_000);
  });

  it('narrows the shopping funnel at every step', () => {
    const isGoods = (event: WireEvent): boolean => getProp(event, 'product_type') === 'goods';
    const steps = [
      countVisitors(chunks, (event) => event.type === 'page'),
      countVisitors(chunks, (event) => event.name === 'view_product'),
      countVisitors(chunks, (event) => event.name === 'add_to_cart'),
      countVisitors(chunks, (event) => event.name === 'checkout_started' && isGoods(event)),
      countVisitors(chunks, (event) => isSessionOrder(event) && isGoods(event)),
    ];
    for (let i = 1; i < steps.length; i += 1) {
      expect(steps[i]).toBeLessThan(steps[i - 1] ?? 0);
    }
    // About half of the visitors look at a product; most carts are abandoned.
    expect((steps[1] ?? 0) / (steps[0] ?? 1)).toBeGreaterThan(0.4);
    expect((steps[3] ?? 0) / (steps[2] ?? 1)).toBeLessThan(0.8);
  });

  it('has 2–4% of visitors ordering and 3–6% of orders refunded', () => {
    // The surge day's mailing-list visitors are registered users, who buy more often.
    const visitors = countVisitors(usualChunks, (event) => event.type === 'page');
    const buyers = countVisitors(usualChunks, isSessionOrder);
    expect(visitors / usualChunks.length).toBeGreaterThan(1_700);
    expect(visitors / usualChunks.length).toBeLessThan(2_600);
    expect(buyers / visitors).toBeGreaterThan(0.02);
    expect(buyers / visitors).toBeLessThan(0.04);

    const orders = new Map<string, number>();
    const refunds: WireEvent[] = [];
    // The usual rate: the planted refund spike adds most of one day's goods orders on top.
    const spike = findDemoAnomaly('refund_spike');
    const spikeDay = getDemoAnomalyDay(spike, OPTIONS.days);
    for (const chunk of chunks) {
      for (const { event } of chunk.inputs) {
        const orderId = getProp(event, 'order_id');
        if (event.name === 'order_completed' && typeof orderId === 'string') {
          orders.set(orderId, event.amount ?? 0);
        }
        const isSpike = chunk.day === spikeDay && getProp(event, 'reason') === spike.details.reason;
        if (event.name === 'order_refunded' && !isSpike) refunds.push(event);
      }
    }
    expect(refunds.length / orders.size).toBeGreaterThan(0.03);
    expect(refunds.length / orders.size).toBeLessThan(0.06);
    let partial = 0;
    for (const refund of refunds) {
      const paid = orders.get(String(getProp(refund, 'order_id')));
      expect(paid).toBeDefined();
      expect(refund.amount).toBeGreaterThan(0);
      expect(refund.amount).toBeLessThanOrEqual(paid ?? 0);
      if ((refund.amount ?? 0) < (paid ?? 0)) partial += 1;
    }
    expect(partial).toBeGreaterThan(0);
  });

  it('sends about 0.5% of events twice with the same id, and receives most within 2 s', () => {
    let total = 0;
    let repeated = 0;
    let changed = 0;
    let early = 0;
    let slow = 0;
    for (const chunk of chunks) {
      const seen = new Map<string, WireEvent>();
      for (const { event, receivedAt } of chunk.inputs) {
        total += 1;
        const id = event.event_id ?? '';
        const first = seen.get(id);
        if (first) {
          repeated += 1;
          if (JSON.stringify(first) !== JSON.stringify(event)) changed += 1;
        }
        seen.set(id, event);
        const delay = receivedAt - getTs(event);
        if (delay < 0) early += 1;
        if (delay >= 2_000) slow += 1;
      }
    }
    expect(changed).toBe(0);
    expect(early).toBe(0);
    expect(repeated / total).toBeGreaterThan(0.002);
    expect(repeated / total).toBeLessThan(0.01);
    expect(slow / total).toBeGreaterThan(0.003);
    expect(slow / total).toBeLessThan(0.02);
  });

  it('brings a share of new users back the next day and a week later', () => {
    const signUpDay = new Map<string, number>();
    const activeDays = new Map<string, Set<number>>();
    for (const chunk of chunks) {
      for (const { event } of chunk.inputs) {
        if (!event.user_id) continue;
        if (event.name === 'sign_up') signUpDay.set(event.user_id, chunk.day);
        const days = activeDays.get(event.user_id) ?? new Set<number>();
        days.add(chunk.day);
        activeDays.set(event.user_id, days);
      }
    }
    const getRetention = (offset: number): number => {
      let cohort = 0;
      let retained = 0;
      for (const [userId, day] of signUpDay) {
        // The surge's email brings registered users back that day, whenever they signed up.
        if (day + offset >= OPTIONS.days || day + offset === SURGE_DAY) continue;
        cohort += 1;
        if (activeDays.get(userId)?.has(day + offset)) retained += 1;
      }
      return retained / cohort;
    };
    expect(getRetention(1)).toBeGreaterThan(0.25);
    expect(getRetention(1)).toBeLessThan(0.4);
    expect(getRetention(7)).toBeGreaterThan(0.1);
    expect(getRetention(7)).toBeLessThan(0.2);
  });

  it('has about ten times fewer visitors at scale 0.1', async () => {
    const small = await collectDemoDays({ ...OPTIONS, scale: 0.1 });
    const ratio =
      countVisitors(chunks, (event) => event.type === 'page') /
      countVisitors(small, (event) => event.type === 'page');
    expect(ratio).toBeGreaterThan(8);
    expect(ratio).toBeLessThan(12.5);
  });

  it('rejects options it cannot simulate', () => {
    expect(() => generateDemoDays({ ...OPTIONS, days: 0 }).next()).toThrow(RangeError);
    expect(() => generateDemoDays({ ...OPTIONS, scale: -1 }).next()).toThrow(/scale/);
    expect(() => generateDemoDays({ ...OPTIONS, timeZone: 'Nowhere/Land' }).next()).toThrow(
      /timeZone/,
    );
  });
});

describe('generateDemoDays with includeToday', () => {
  it('adds today up to endTime and nothing later, leaving earlier days unchanged', () => {
    const base = {
      seed: 7,
      days: 3,
      scale: 0.2,
      // 15:30 in Shanghai: today has 15.5 hours of traffic so far.
      endTime: Date.UTC(2026, 10, 20, 7, 30),
      timeZone: 'Asia/Shanghai',
      projectId: 'demo',
    };
    const whole = [...generateDemoDays(base)];
    const withToday = [...generateDemoDays({ ...base, includeToday: true })];
    expect(withToday).toHaveLength(4);
    const today = withToday[3];
    expect(today?.day).toBe(3);
    const times = (today?.inputs ?? []).map((input) => Number(input.event.ts));
    expect(times.length).toBeGreaterThan(100);
    expect(Math.max(...times)).toBeLessThanOrEqual(base.endTime);
    const todayStart = Date.UTC(2026, 10, 19, 16, 0); // local midnight in UTC
    expect(Math.min(...times)).toBeGreaterThanOrEqual(todayStart - 3_600_000); // sessions spill over
    expect(JSON.stringify(withToday.slice(0, 2))).toBe(JSON.stringify(whole.slice(0, 2)));
  });
});

import type { WireEvent } from '@sightline/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { findDemoAnomaly, isInDemoAnomalyWindow, type DemoAnomaly } from './demo-anomalies.ts';
import { createDemoCalendar, getLocalMinute, type DemoDay } from './demo-calendar.ts';
import {
  DEMO_ANOMALIES,
  generateDemoDays,
  getDemoAnomalyDay,
  type DemoChunk,
  type DemoIngestInput,
  type DemoOptions,
} from './index.ts';

const OPTIONS: DemoOptions = {
  seed: 7,
  days: 6,
  scale: 1,
  endTime: Date.UTC(2025, 5, 30, 16),
  timeZone: 'Asia/Shanghai',
  projectId: 'demo',
};

interface DayEvents {
  day: DemoDay;
  inputs: DemoIngestInput[];
  events: WireEvent[];
}

function getTs(event: WireEvent): number {
  return typeof event.ts === 'number' ? event.ts : Number.NaN;
}

function getNumberProp(event: WireEvent, key: string): number {
  const value = event.props?.[key];
  return typeof value === 'number' ? value : Number.NaN;
}

function getP95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? Number.NaN;
}

describe('DEMO_ANOMALIES', () => {
  const calendar = createDemoCalendar(OPTIONS.endTime, OPTIONS.days, OPTIONS.timeZone);
  let days: DayEvents[] = [];

  beforeAll(async () => {
    const chunks: DemoChunk[] = [];
    for (const chunk of generateDemoDays(OPTIONS)) {
      chunks.push(chunk);
      // Yield between days so the test worker can answer vitest's RPC.
      await new Promise((resolve) => setImmediate(resolve));
    }
    days = chunks.map((chunk) => {
      const day = calendar[chunk.day];
      if (!day) throw new Error(`no calendar day ${chunk.day}`);
      // Retries repeat an event_id; the anomalies are defined on distinct events.
      const seen = new Set<string>();
      const inputs = chunk.inputs.filter(({ event }) => {
        const isFirst = !seen.has(event.event_id ?? '');
        seen.add(event.event_id ?? '');
        return isFirst;
      });
      return { day, inputs, events: inputs.map((input) => input.event) };
    });
  });

  function getAnomalyDay(anomaly: DemoAnomaly): DayEvents {
    const index = getDemoAnomalyDay(anomaly, OPTIONS.days);
    const day = index === undefined ? undefined : days[index];
    if (!day) throw new Error(`${anomaly.kind} is not planted in ${OPTIONS.days} days`);
    return day;
  }

  const inWindow = (anomaly: DemoAnomaly, { day }: DayEvents, event: WireEvent): boolean =>
    isInDemoAnomalyWindow(anomaly, OPTIONS.days, day.index, getLocalMinute(day, getTs(event)));

  it('lists each kind once, inside the day', () => {
    expect(new Set(DEMO_ANOMALIES.map((anomaly) => anomaly.kind)).size).toBe(7);
    for (const anomaly of DEMO_ANOMALIES) {
      expect(anomaly.window.startMinute).toBeLessThan(anomaly.window.endMinute);
      expect(anomaly.window.endMinute).toBeLessThanOrEqual(24 * 60);
      expect(getDemoAnomalyDay(anomaly, 3)).toBe(
        anomaly.dayFromEnd <= 3 ? 3 - anomaly.dayFromEnd : undefined,
      );
    }
  });

  it('drops visitors by about 70% in the traffic-drop window', () => {
    const anomaly = findDemoAnomaly('traffic_drop');
    const dropDay = getAnomalyDay(anomaly);
    const countSessions = (dayEvents: DayEvents): number => {
      const sessions = new Set<string>();
      for (const event of dayEvents.events) {
        const minute = getLocalMinute(dayEvents.day, getTs(event));
        const { startMinute, endMinute } = anomaly.window;
        if (event.type === 'page' && minute >= startMinute && minute < endMinute) {
          sessions.add(event.session_id ?? '');
        }
      }
      return sessions.size;
    };
    const others = days.filter((day) => day !== dropDay).map(countSessions);
    const usual = others.reduce((sum, count) => sum + count, 0) / others.length;
    expect(countSessions(dropDay) / usual).toBeLessThan(0.45);
    expect(countSessions(dropDay) / usual).toBeGreaterThan(0.15);
  });

  it('has a burst of orders from one IP and one device in 20 minutes', () => {
    const anomaly = findDemoAnomaly('order_burst');
    const burstDay = getAnomalyDay(anomaly);
    const orders = burstDay.events.filter(
      (event) =>
        event.name === 'order_completed' &&
        event.device_id === anomaly.details.deviceId &&
        inWindow(anomaly, burstDay, event),
    );
    expect(orders.length).toBeGreaterThanOrEqual(20);
    expect(new Set(orders.map((order) => order.user_id))).toEqual(new Set(anomaly.details.userIds));
    const fromIp = burstDay.inputs.filter(
      ({ event, ip }) =>
        ip === anomaly.details.ip &&
        event.name === 'order_completed' &&
        inWindow(anomaly, burstDay, event),
    );
    expect(fromIp).toHaveLength(orders.length);
  });

  it('slows POST /api/checkout above 3 s p95 for one hour only', () => {
    const anomaly = findDemoAnomaly('latency_spike');
    const spikeDay = getAnomalyDay(anomaly);
    const inside: number[] = [];
    const outside: number[] = [];
    for (const event of spikeDay.events) {
      if (event.type !== 'api' || event.props?.route !== anomaly.details.route) continue;
      (inWindow(anomaly, spikeDay, event) ? inside : outside).push(event.duration_ms ?? 0);
    }
    expect(inside.length).toBeGreaterThanOrEqual(5);
    expect(getP95(inside)).toBeGreaterThan(anomaly.details.p95MinMs);
    expect(getP95(outside)).toBeLessThan(1_000);
  });

  it('drops WebSocket connections in the spike hour, and few at other times', () => {
    const anomaly = findDemoAnomaly('latency_spike');
    const spikeDay = getAnomalyDay(anomaly);
    const rate = (events: WireEvent[]) => {
      const connects = events.filter((e) => e.name === 'ws_connect').length;
      const drops = events.filter((e) => e.name === 'ws_disconnect' && e.props?.abnormal).length;
      return { connects, rate: drops / connects };
    };
    const inside = rate(spikeDay.events.filter((event) => inWindow(anomaly, spikeDay, event)));
    const outside = rate(
      days.flatMap((day) =>
        day.events.filter((event) => !(day === spikeDay && inWindow(anomaly, spikeDay, event))),
      ),
    );
    expect(inside.connects).toBeGreaterThanOrEqual(20);
    // The catalog rule of seed 004 (WS 断开率 > 5%) fires inside, and only there.
    expect(inside.rate).toBeGreaterThan(0.2);
    expect(outside.connects).toBeGreaterThan(1_000);
    expect(outside.rate).toBeLessThan(0.03);
    // Every connection ends, by a drop or with its session: no dangling sockets.
    const opened = new Map<string, number>();
    const seen = new Set<string>();
    for (const event of days.flatMap((day) => day.events)) {
      // A retry delivered on the next day repeats its event id there.
      if (!event.name?.startsWith('ws_') || seen.has(event.event_id ?? '')) continue;
      seen.add(event.event_id ?? '');
      const key = event.session_id ?? '';
      opened.set(key, (opened.get(key) ?? 0) + (event.name === 'ws_connect' ? 1 : -1));
    }
    // Durations are what ingest accepts: never negative, even for sessions ending mid-handshake.
    const sockets = days.flatMap((day) => day.events).filter((e) => e.name?.startsWith('ws_'));
    expect(sockets.filter((e) => (e.duration_ms ?? 0) < 0)).toEqual([]);
    // (The demo loses a few events on the way, as real clients do, so not quite every one.)
    const dangling = [...opened.values()].filter((open) => open !== 0).length;
    expect(dangling / opened.size).toBeLessThan(0.002);
  });

  it('has slow checkout calls in the spike hour even at a twentieth of the traffic', () => {
    const small = { ...OPTIONS, days: 2, scale: 0.05 };
    const anomaly = findDemoAnomaly('latency_spike');
    const smallCalendar = createDemoCalendar(small.endTime, small.days, small.timeZone);
    const slow = [...generateDemoDays(small)].flatMap(({ day, inputs }) =>
      inputs.filter(({ event }) => {
        const calendarDay = smallCalendar[day];
        if (!calendarDay || event.props?.route !== anomaly.details.route) return false;
        const minute = getLocalMinute(calendarDay, getTs(event));
        return isInDemoAnomalyWindow(anomaly, small.days, day, minute);
      }),
    );
    expect(slow.length).toBeGreaterThanOrEqual(5);
    expect(getP95(slow.map(({ event }) => event.duration_ms ?? 0))).toBeGreaterThan(
      anomaly.details.p95MinMs,
    );
  });

  it('pays one agent ~40% commission on their own orders', () => {
    const anomaly = findDemoAnomaly('commission_abuse');
    const abuseDay = getAnomalyDay(anomaly);
    const ratio = (event: WireEvent): number =>
      getNumberProp(event, 'commission') / (event.amount ?? Number.NaN);
    const agentOrders = abuseDay.events.filter(
      (event) => event.name === 'order_completed' && event.props?.agent_id !== undefined,
    );
    const selfDealt = agentOrders.filter(
      (event) =>
        event.user_id === anomaly.details.userId &&
        event.props?.agent_id === anomaly.details.agentId,
    );
    expect(selfDealt).toHaveLength(anomaly.details.orders);
    for (const order of selfDealt) {
      expect(ratio(order)).toBeGreaterThan(0.35);
      expect(ratio(order)).toBeLessThan(0.45);
      expect(inWindow(anomaly, abuseDay, order)).toBe(true);
    }
    const everyOther = days
      .flatMap((day) => day.events)
      .filter((event) => event.name === 'order_completed' && !selfDealt.includes(event))
      .filter((event) => event.props?.agent_id !== undefined);
    expect(everyOther.length).toBeGreaterThan(100);
    for (const order of everyOther) expect(ratio(order)).toBeLessThanOrEqual(0.151);
  });

  it('has a new user whose first order is ~20x the typical order value', () => {
    const anomaly = findDemoAnomaly('large_first_order');
    const whaleDay = getAnomalyDay(anomaly);
    const userEvents = days
      .flatMap((day) => day.events)
      .filter((event) => event.user_id === anomaly.details.userId);
    const signUp = userEvents.find((event) => event.name === 'sign_up');
    // They may come back and buy again later; the anomaly is the first order.
    const firstOrder = userEvents.find((event) => event.name === 'order_completed');
    expect(signUp && inWindow(anomaly, whaleDay, signUp)).toBe(true);
    expect(firstOrder && inWindow(anomaly, whaleDay, firstOrder)).toBe(true);
    const amounts = days
      .flatMap((day) => day.events)
      .filter((event) => event.name === 'order_completed' && event.props?.product_type === 'goods')
      .map((event) => event.amount ?? 0)
      .sort((a, b) => a - b);
    const median = amounts[Math.floor(amounts.length / 2)] ?? Number.NaN;
    expect(firstOrder?.amount).toBeGreaterThan(15 * median);
  });
});

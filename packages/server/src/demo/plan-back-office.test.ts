import type { WireEvent } from '@sightline/shared';
import { isbot } from 'isbot';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDemoCalendar, getLocalMinute, type DemoDay } from './demo-calendar.ts';
import { generateDemoDays, generateDemoHistory, type DemoOptions } from './index.ts';

/** The period is the 14 local days 2026-11-06 … 2026-11-19 (Shanghai). */
const OPTIONS: DemoOptions = {
  seed: 11,
  days: 14,
  scale: 0.5,
  endTime: Date.UTC(2026, 10, 19, 16),
  timeZone: 'Asia/Shanghai',
  projectId: 'demo',
};
const DAY_MS = 86_400_000;
const NEXT_STATUS: Readonly<Record<string, readonly string[]>> = {
  open: ['in_progress', 'closed'],
  in_progress: ['resolved'],
  resolved: ['closed'],
  closed: [],
};

interface BackOfficeEvent {
  day: DemoDay;
  event: WireEvent;
}

const prop = (event: WireEvent | undefined, key: string): unknown => event?.props?.[key];
const ts = (event: WireEvent | undefined): number => Number(event?.ts);

describe('the demo back office (B-end customers and service records)', () => {
  const calendar = createDemoCalendar(OPTIONS.endTime, OPTIONS.days, OPTIONS.timeZone);
  const periodStart = calendar[0]?.start ?? 0;
  const history = generateDemoHistory(OPTIONS).map((input) => input.event);
  const customers: BackOfficeEvent[] = [];
  const records: BackOfficeEvent[] = [];

  beforeAll(async () => {
    for (const chunk of generateDemoDays(OPTIONS)) {
      const day = calendar[chunk.day];
      if (!day) throw new Error(`no calendar day ${chunk.day}`);
      const seen = new Set<string>();
      for (const { event } of chunk.inputs) {
        // Delivery retries repeat an event id; the back office sent it once.
        if (seen.has(event.event_id ?? '')) continue;
        seen.add(event.event_id ?? '');
        if (event.name === 'customer_created') customers.push({ day, event });
        if (event.name === 'service_record') records.push({ day, event });
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  });

  it('had customers before the period, created up to 120 days earlier', () => {
    expect(history.length).toBe(75);
    const ids = history.map((event) => prop(event, 'customer_id'));
    expect(new Set(ids).size).toBe(history.length);
    for (const event of history) {
      expect(event.name).toBe('customer_created');
      expect(ts(event)).toBeLessThan(periodStart);
      expect(ts(event)).toBeGreaterThanOrEqual(periodStart - 120 * DAY_MS);
    }
    expect(JSON.stringify(generateDemoHistory(OPTIONS).map((input) => input.event))).toBe(
      JSON.stringify(history),
    );
  });

  it('sends every customer attribute the service statistics break down by', () => {
    const all = [...history, ...customers.map(({ event }) => event)];
    expect(customers.length).toBeGreaterThan(5);
    const types = new Set(all.map((event) => prop(event, 'customer_type')));
    expect(types).toEqual(new Set(['organization', 'individual']));
    for (const event of all) {
      expect(event.platform).toBe('server');
      expect(typeof event.channel).toBe('string');
      expect(typeof prop(event, 'source')).toBe('string');
      expect(typeof prop(event, 'region')).toBe('string');
      const isOrg = prop(event, 'customer_type') === 'organization';
      expect(typeof prop(event, 'industry') === 'string').toBe(isOrg);
      expect(['small', 'medium', 'large', undefined]).toContain(prop(event, 'size'));
    }
  });

  it('opens a handful of records a day and moves each through its statuses in order', () => {
    const opened = records.filter(({ event }) => prop(event, 'status') === 'open');
    expect(opened.length / OPTIONS.days).toBeGreaterThan(2);
    expect(opened.length / OPTIONS.days).toBeLessThan(8);
    const byRecord = new Map<string, WireEvent[]>();
    for (const { event } of records) {
      const id = String(prop(event, 'record_id'));
      byRecord.set(id, [...(byRecord.get(id) ?? []), event]);
    }
    const known = new Map(history.map((event) => [prop(event, 'customer_id'), ts(event)]));
    for (const { event } of customers) {
      const id = prop(event, 'customer_id');
      if (!known.has(id)) known.set(id, ts(event));
    }
    const finalStatus = new Map<string, number>();
    for (const [id, events] of byRecord) {
      events.sort((a, b) => ts(a) - ts(b));
      const [first] = events;
      expect(prop(first, 'status'), id).toBe('open');
      expect(known.get(prop(first, 'customer_id')) ?? Infinity).toBeLessThan(ts(first));
      for (let i = 1; i < events.length; i += 1) {
        const before = events[i - 1];
        const after = events[i];
        expect(NEXT_STATUS[String(prop(before, 'status'))]).toContain(prop(after, 'status'));
        for (const key of ['customer_id', 'priority', 'service_type'])
          expect(prop(after, key), `${id} ${key}`).toBe(prop(before, key));
        if (prop(before, 'assignee'))
          expect(prop(after, 'assignee')).toBe(prop(before, 'assignee'));
        // Someone works on a record from the moment it is in progress.
        if (prop(after, 'status') !== 'closed' || prop(before, 'status') !== 'open')
          expect(prop(after, 'assignee'), id).toMatch(/^staff_\d\d$/);
      }
      const last = String(prop(events.at(-1), 'status'));
      finalStatus.set(last, (finalStatus.get(last) ?? 0) + 1);
    }
    // Most records are done by the end; a backlog of fresh ones is still being worked on.
    expect(finalStatus.get('closed') ?? 0).toBeGreaterThan(byRecord.size / 2);
    expect((finalStatus.get('open') ?? 0) + (finalStatus.get('in_progress') ?? 0)).toBeGreaterThan(
      0,
    );
  });

  it('works in office hours, from staff browsers that do not count as bots', () => {
    for (const { day, event } of [...customers, ...records]) {
      const minute = getLocalMinute(day, ts(event));
      expect(minute).toBeGreaterThanOrEqual(9 * 60);
      expect(minute).toBeLessThan(21 * 60);
    }
    for (const event of [...history, ...records.map(({ event }) => event)]) {
      expect(event.user_agent && isbot(event.user_agent)).toBe(false);
      expect(event.ip).toMatch(/^115\.236\.91\.\d+$/);
      expect(event.user_id ?? event.anonymous_id).toBeUndefined();
    }
  });
});

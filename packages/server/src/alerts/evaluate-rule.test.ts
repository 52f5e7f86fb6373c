import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWriteBatch } from '../store/index.ts';
import { makeOrderRow } from '../testing/order-row-fixture.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { alertRuleSpecSchema, type AlertRuleInput } from './alert-rule-schema.ts';
import { evaluateRule, sameLocalTimeWeeksBefore } from './evaluate-rule.ts';

const NOW = Date.parse('2026-11-21T04:00:00Z'); // Saturday 12:00 in Asia/Shanghai
const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

describe('sameLocalTimeWeeksBefore', () => {
  it('keeps the local wall-clock time across a DST change', () => {
    // New York, Monday 2026-11-02 10:00 EST (UTC−5) → one week earlier is 10:00 EDT (UTC−4).
    const at = Date.parse('2026-11-02T15:00:00Z');
    expect(new Date(sameLocalTimeWeeksBefore(at, 1, 'America/New_York')).toISOString()).toBe(
      '2026-10-26T14:00:00.000Z',
    );
    expect(sameLocalTimeWeeksBefore(at, 2, 'Asia/Shanghai')).toBe(at - 2 * WEEK);
  });
});

describe('evaluateRule on a real store', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { SIGHTLINE_ALERT_TICK_MS: '0' } });
    // Saturdays 11:00–12:00: 20, 22, 18, 21 paid orders in the four weeks before; 3 this week.
    // The hour before that: 10 orders every week, this week too.
    const orders = [];
    const counts = [20, 22, 18, 21];
    for (let week = 1; week <= 4; week += 1)
      for (let i = 0; i < (counts[week - 1] ?? 0); i += 1)
        orders.push({ at: NOW - week * WEEK - HOUR + i * 60_000, id: `w${week}-${i}` });
    for (let i = 0; i < 3; i += 1) orders.push({ at: NOW - HOUR + i * 60_000, id: `now-${i}` });
    for (let week = 0; week <= 4; week += 1)
      for (let i = 0; i < 10; i += 1)
        orders.push({ at: NOW - week * WEEK - 2 * HOUR + i * 60_000, id: `e${week}-${i}` });
    await t.app.services.eventStore.commit(
      createWriteBatch({
        orders: orders.map((o) =>
          makeOrderRow({ projectId: t.project.id, orderId: o.id, paidAt: o.at }),
        ),
      }),
    );
  });
  afterAll(() => t.close());

  const evaluate = (rule: Partial<AlertRuleInput>, at = NOW) =>
    evaluateRule(
      {
        store: t.app.services.eventStore,
        project: { id: t.project.id, timeZone: 'Asia/Shanghai' },
      },
      {
        spec: alertRuleSpecSchema.parse({
          name: 'orders',
          severity: 'P1',
          query: { metric: 'orders', windowMinutes: 60 },
          condition: { kind: 'no_data' },
          ...rule,
        }),
        at,
      },
    );

  it('seasonal baseline: this hour is far below the same hour of the last four weeks', async () => {
    const [low] = await evaluate({
      condition: { kind: 'baseline', method: 'seasonal', direction: 'down' },
    });
    expect(low).toMatchObject({ value: 3, reference: 20.5, breached: true, skipped: null });
    const [usual] = await evaluate(
      { condition: { kind: 'baseline', method: 'seasonal', direction: 'down' } },
      NOW - HOUR,
    );
    expect(usual).toMatchObject({ value: 10, reference: 10, breached: false });
  });

  it('change against the same time last week, and against the previous window', async () => {
    const [week] = await evaluate({
      condition: {
        kind: 'change',
        compareTo: 'same_time_last_week',
        direction: 'down',
        percent: 50,
      },
    });
    expect(week).toMatchObject({ value: 3, reference: 20, breached: true });
    const [previous] = await evaluate({
      condition: { kind: 'change', compareTo: 'previous_window', direction: 'down', percent: 80 },
    });
    // 3 against the 10 of the hour before: −70%, not the −80% asked for.
    expect(previous).toMatchObject({ value: 3, reference: 10, breached: false });
  });

  it('no data and the minimum-volume guard', async () => {
    const [quiet] = await evaluate({}, NOW + 2 * HOUR);
    expect(quiet).toMatchObject({ value: 0, breached: true });
    const [guarded] = await evaluate({
      condition: { kind: 'threshold', op: 'lt', value: 5 },
      minVolume: { metric: 'orders', min: 5 },
    });
    expect(guarded).toMatchObject({ value: 3, breached: false, skipped: 'low_volume', volume: 3 });
  });
});

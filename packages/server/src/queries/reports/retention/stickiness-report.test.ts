import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addLocalDays, startOfLocalDate, toLocalDate } from '../../../platform/index.ts';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import type { PeriodUnit } from '../../analyses/cohort-sql.ts';
import {
  activityArbitrary,
  addPeriodsNaive,
  isActivity,
  getPeriodStart,
  getPerson,
  toEventRows,
  toIdentityRows,
  type RandomActivity,
} from './random-activity.ts';
import { startOfDay, EVENTS, IDENTITIES, atLocal, NOW, TZ } from './retention-test-data.ts';
import { stickinessParams, stickinessReport } from './stickiness-report.ts';

/** Stickiness the obvious way: each person's set of active intervals and days. */
function computeNaiveStickiness(
  activity: RandomActivity,
  q: { unit: PeriodUnit; named: 'login' | null; from: number; to: number; now: number },
) {
  const toDate = (ms: number) => toLocalDate(ms, TZ);
  const intervals = new Map<string, Set<string>>();
  const days = new Set<string>();
  const end = Math.min(q.to, q.now);
  const lastDay = end > q.from ? toDate(end - 1) : null;
  for (const e of activity.events) {
    if (!isActivity(e, q.named) || e.at < q.from || e.at >= q.to) continue;
    const who = getPerson(e, activity.links);
    intervals.set(who, (intervals.get(who) ?? new Set()).add(getPeriodStart(toDate(e.at), q.unit)));
    if (lastDay !== null && toDate(e.at) <= lastDay) days.add(`${who}|${toDate(e.at)}`);
  }
  let count = 0;
  for (
    let d = getPeriodStart(toDate(q.from), q.unit);
    startOfLocalDate(d, TZ) < q.to;
    d = addPeriodsNaive(d, q.unit, 1)
  )
    count += 1;
  let elapsed = 0;
  for (let d = toDate(q.from); lastDay !== null && d <= lastDay; d = addLocalDays(d, 1))
    elapsed += 1;
  const people = intervals.size;
  const average = elapsed > 0 ? days.size / elapsed : null;
  return {
    intervals: count,
    activePeople: people,
    distribution: Array.from({ length: count }, (_, i) => {
      const n = [...intervals.values()].filter((set) => set.size === i + 1).length;
      return { intervals: i + 1, people: n, share: people > 0 ? n / people : null };
    }),
    days: elapsed,
    averageDailyActive: average,
    dauMauRatio: average !== null && people > 0 ? average / people : null,
  };
}

describe('stickiness report', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load({ events: EVENTS, identities: IDENTITIES });
  });
  afterAll(() => f.close());

  const run = (
    params: Record<string, unknown>,
    range = { from: startOfDay(20), to: startOfDay(24) },
    now = NOW,
  ) => stickinessReport.run(f.ctx({ ...range, now }), stickinessParams.parse(params));

  it('counts people by the number of days they were active', async () => {
    // u1 and u2: 20, 21, 23; u3: 21, 22 (anonymous on the 22nd, linked); u4: 21; u5: 22.
    // 10 person-days over 4 days: 2.5 a day, over 5 people.
    expect(await run({})).toEqual({
      interval: 'day',
      intervals: 4,
      activePeople: 5,
      distribution: [
        { intervals: 1, people: 2, share: 0.4 },
        { intervals: 2, people: 1, share: 0.2 },
        { intervals: 3, people: 2, share: 0.4 },
        { intervals: 4, people: 0, share: 0 },
      ],
      days: 4,
      averageDailyActive: 2.5,
      dauMauRatio: 0.5,
    });
  });

  it('counts weeks, and follows one event when asked', async () => {
    const weeks = await run({ interval: 'week' });
    expect(weeks.distribution.map((d) => d.people)).toEqual([3, 2]);
    // Logins: u1 on the 21st and 23rd, u2 the 21st, u5 the 22nd (09:00, before signing up).
    const logins = await run({ activityEvent: { name: 'login' } });
    expect(logins).toMatchObject({ activePeople: 3, averageDailyActive: 1, dauMauRatio: 1 / 3 });
    expect(logins.distribution.map((d) => d.people)).toEqual([2, 1, 0, 0]);
  });

  it('averages daily actives over the days begun by now', async () => {
    // Now the 22nd at 00:00:00.001: the 20th, 21st and that millisecond of the 22nd.
    const result = await run(
      {},
      { from: startOfDay(20), to: startOfDay(24) },
      atLocal(22, 0, 0, 0, 1),
    );
    expect(result.days).toBe(3);
    // Person-days on the 20th–22nd: u1 2, u2 2, u3 2, u4 1, u5 1.
    expect(result.averageDailyActive).toBe(8 / 3);
  });

  it('answers an empty range with no shares and no ratio', async () => {
    const result = await run({}, { from: startOfDay(27), to: startOfDay(29) });
    expect(result).toMatchObject({
      activePeople: 0,
      days: 0,
      averageDailyActive: null,
      dauMauRatio: null,
    });
    expect(result.distribution).toEqual([
      { intervals: 1, people: 0, share: null },
      { intervals: 2, people: 0, share: null },
    ]);
  });

  it('lays the distribution out as a table', async () => {
    const result = await run({});
    expect(stickinessReport.toTable(result, stickinessParams.parse({}))).toEqual({
      columns: ['days_active', 'people', 'share'],
      rows: [
        [1, 2, 0.4],
        [2, 1, 0.2],
        [3, 2, 0.4],
        [4, 0, 0],
      ],
    });
  });

  it('matches a naive reference on random activity', async () => {
    let n = 0;
    const query = fc.record({
      unit: fc.constantFrom<PeriodUnit>('day', 'day', 'week', 'month'),
      named: fc.constantFrom('login' as const, null),
      start: fc.integer({ min: -3, max: 4 }),
      days: fc.integer({ min: 1, max: 12 }),
      now: fc.integer({ min: 0, max: 20 * 86_400_000 }),
    });
    await fc.assert(
      fc.asyncProperty(activityArbitrary, query, async (activity, q) => {
        const projectId = `p_stick_${(n += 1)}`;
        await f.load({
          events: toEventRows(projectId, activity),
          identities: toIdentityRows(projectId, activity),
        });
        const range = {
          from: startOfDay(20 + q.start),
          to: startOfDay(20 + q.start + q.days),
          now: startOfDay(18) + q.now,
        };
        const ctx = f.ctx({ projectId, ...range });
        const params = stickinessParams.parse({
          interval: q.unit,
          ...(q.named ? { activityEvent: { name: q.named } } : {}),
        });
        const result = await stickinessReport.run(ctx, params);
        expect(result).toEqual({
          interval: q.unit,
          ...computeNaiveStickiness(activity, { ...q, ...range }),
        });
      }),
      { numRuns: 25 },
    );
  });
});

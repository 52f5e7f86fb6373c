import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOfLocalDate, toLocalDate } from '../../../platform/index.ts';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import type { PeriodUnit } from '../../analyses/cohort-sql.ts';
import { lifecycleParams, lifecycleReport, type LifecycleResult } from './lifecycle-report.ts';
import {
  activityArbitrary,
  addPeriodsNaive,
  isActivity,
  countPeriods,
  getPeriodStart,
  getPerson,
  toEventRows,
  toIdentityRows,
  type RandomActivity,
} from './random-activity.ts';
import { startOfDay, EVENTS, IDENTITIES, NOW, TZ } from './retention-test-data.ts';

type Counts = [label: string, n: number, returning: number, resurrecting: number, dormant: number];
const toCounts = (result: LifecycleResult): Counts[] =>
  result.buckets.map((b) => [b.label, b.new, b.returning, b.resurrecting, b.dormant]);

/** Lifecycle counts the obvious way: active sets per bucket, compared with the one before. */
function computeNaiveLifecycle(
  activity: RandomActivity,
  q: { unit: PeriodUnit; named: 'login' | null; from: number; to: number },
): Array<{ start: number; counts: number[] }> {
  const toDate = (ms: number) => toLocalDate(ms, TZ);
  const first = getPeriodStart(toDate(q.from), q.unit);
  const before = addPeriodsNaive(first, q.unit, -1);
  const firstStart = startOfLocalDate(first, TZ);
  const seen = new Map<string, number>();
  const active = new Map<number, Set<string>>();
  for (const e of activity.events) {
    if (!isActivity(e, q.named)) continue;
    const who = getPerson(e, activity.links);
    seen.set(who, Math.min(seen.get(who) ?? Infinity, e.at));
    const inBefore = e.at >= startOfLocalDate(before, TZ) && e.at < firstStart;
    if (!inBefore && !(e.at >= q.from && e.at < q.to)) continue;
    const index = countPeriods(before, toDate(e.at), q.unit);
    active.set(index, (active.get(index) ?? new Set()).add(who));
  }
  const out: Array<{ start: number; counts: number[] }> = [];
  for (
    let d = first, i = 1;
    startOfLocalDate(d, TZ) < q.to;
    d = addPeriodsNaive(d, q.unit, 1), i += 1
  ) {
    const now = active.get(i) ?? new Set<string>();
    const prev = active.get(i - 1) ?? new Set<string>();
    let fresh = 0;
    let returning = 0;
    let resurrecting = 0;
    for (const who of now) {
      if (countPeriods(before, toDate(seen.get(who) ?? 0), q.unit) === i) fresh += 1;
      else if (prev.has(who)) returning += 1;
      else resurrecting += 1;
    }
    const dormant = [...prev].filter((who) => !now.has(who)).length;
    out.push({
      start: startOfLocalDate(d, TZ),
      counts: [fresh, returning, resurrecting, 0 - dormant],
    });
  }
  return out;
}

describe('lifecycle report', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load({ events: EVENTS, identities: IDENTITIES });
  });
  afterAll(() => f.close());

  const run = (params: Record<string, unknown>, granularity: 'day' | 'week' = 'day') =>
    lifecycleReport.run(
      f.ctx({ from: startOfDay(20), to: startOfDay(24), now: NOW, granularity }),
      lifecycleParams.parse(params),
    );

  it('splits each day into new, returning, resurrecting and dormant people', async () => {
    // The 19th (before the range) had u3 and u9 (u9 at 23:59:59.999 local): both dormant on
    // the 20th. u3 returns on the 21st after a gap: resurrecting, though first seen the 19th.
    // u4's bot and API events of the 22nd are no activity: u4 is dormant on the 22nd.
    const result = await run({});
    expect(toCounts(result)).toEqual([
      ['2026-11-20', 2, 0, 0, -2],
      ['2026-11-21', 1, 2, 1, 0],
      ['2026-11-22', 1, 1, 0, -3],
      ['2026-11-23', 0, 0, 2, -2],
    ]);
    expect(result.buckets.map((b) => b.active)).toEqual([2, 4, 2, 2]);
    expect(result.buckets.every((b) => b.complete)).toBe(true);
  });

  it('follows one event when asked (first login ever is new)', async () => {
    const result = await run({ activityEvent: { name: 'login' } });
    expect(toCounts(result)).toEqual([
      ['2026-11-20', 0, 0, 0, 0],
      ['2026-11-21', 2, 0, 0, 0],
      ['2026-11-22', 1, 0, 0, -2],
      ['2026-11-23', 0, 0, 1, -1],
    ]);
  });

  it('reads only the part of a week inside the range, and the whole week before it', async () => {
    // Week of the 16th: everyone active from the 20th on is new in it (u3 was first seen on
    // the 19th, the same week); the 19th itself is before the range and not read.
    const result = await run({}, 'week');
    expect(toCounts(result)).toEqual([
      ['2026-11-16', 5, 0, 0, 0],
      ['2026-11-23', 0, 2, 0, -3],
    ]);
  });

  it('marks a bucket that has not ended', async () => {
    const ctx = f.ctx({ from: startOfDay(23), to: startOfDay(25), now: NOW });
    const result = await lifecycleReport.run(ctx, lifecycleParams.parse({}));
    expect(
      result.buckets.map((b) => [
        b.label,
        b.complete,
        b.new,
        b.returning,
        b.resurrecting,
        b.dormant,
      ]),
    ).toEqual([
      ['2026-11-23', true, 0, 0, 2, -2],
      ['2026-11-24', false, 0, 0, 1, -2],
    ]);
  });

  it('answers an empty range with zeros', async () => {
    const ctx = f.ctx({ from: startOfDay(27), to: startOfDay(29), now: NOW });
    const result = await lifecycleReport.run(ctx, lifecycleParams.parse({}));
    expect(toCounts(result)).toEqual([
      ['2026-11-27', 0, 0, 0, 0],
      ['2026-11-28', 0, 0, 0, 0],
    ]);
  });

  it('lays buckets out as table rows', async () => {
    const result = await run({});
    expect(lifecycleReport.toTable(result, lifecycleParams.parse({})).rows[1]).toEqual([
      '2026-11-21',
      4,
      1,
      2,
      1,
      0,
      true,
    ]);
  });

  it('matches a naive reference on random activity', async () => {
    let n = 0;
    const query = fc.record({
      unit: fc.constantFrom<PeriodUnit>('day', 'day', 'week'),
      named: fc.constantFrom('login' as const, null),
      start: fc.integer({ min: -2, max: 4 }),
      days: fc.integer({ min: 1, max: 9 }),
    });
    await fc.assert(
      fc.asyncProperty(activityArbitrary, query, async (activity, q) => {
        const projectId = `p_life_${(n += 1)}`;
        await f.load({
          events: toEventRows(projectId, activity),
          identities: toIdentityRows(projectId, activity),
        });
        const range = { from: startOfDay(20 + q.start), to: startOfDay(20 + q.start + q.days) };
        const ctx = f.ctx({ projectId, ...range, now: NOW, granularity: q.unit });
        const params = lifecycleParams.parse(q.named ? { activityEvent: { name: q.named } } : {});
        const result = await lifecycleReport.run(ctx, params);
        const actual = result.buckets.map((b) => ({
          start: Date.parse(b.start),
          counts: [b.new, b.returning, b.resurrecting, b.dormant],
        }));
        expect(actual).toEqual(computeNaiveLifecycle(activity, { ...q, ...range }));
      }),
      { numRuns: 25 },
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';
import { runQuery } from '../../sql/run-query.ts';
import { buildBestAttemptListsQuery, MAX_COMPARISONS } from './best-attempt-lists-sql.ts';
import { isBestAttemptInSql, tallyBestAttempts } from './best-attempt-sql.ts';
import { funnelParams } from './funnel-params.ts';
import { computeFunnel, type FunnelEngine } from './funnel-report.ts';
import { D20, D21, FUNNEL_EVENTS, s, SETTLED } from './funnel-test-events.ts';

const abc = { steps: ['A', 'B', 'C'].map((event) => ({ event })), windowSeconds: 3_600 };

// p_ties (funnel-test-events.ts), A → B → C within an hour:
// t1 does A, B and C in one millisecond (ids in the order C, B, A): the step orders them.
// t2 does two A of one millisecond, then B: both reach B; the first by id is kept (x, 1).
// t3 does A (x), A (y), B, C: only the second A has C in its window, so it is kept.
// t4 does A, A, B a minute apart: both reach B; the first is kept, 120 s to B.
const ENGINES = ['auto', 'window', 'walk'] as const;

describe.each(ENGINES)('funnel attempts, %s', (engine: FunnelEngine) => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load({ events: FUNNEL_EVENTS });
  });
  afterAll(() => f.close());

  const funnel = (params: Record<string, unknown>) => {
    const parsed = funnelParams.parse(params);
    expect(isBestAttemptInSql(parsed)).toBe(true);
    return computeFunnel(
      f.ctx({ from: D20, to: D21, now: SETTLED, projectId: 'p_ties' }),
      parsed,
      engine,
    );
  };

  it('orders one millisecond by step, keeps the furthest attempt, the earliest of equals', async () => {
    const result = await funnel(abc);
    expect(result.steps.map((s) => s.count)).toEqual([4, 4, 2]);
    const [first, cart, order] = result.steps;
    // t2's first A by id has amount 1 (the other 2).
    expect(first?.revenue).toBe(1);
    // To B: t1 0 s, t2 60 s, t3 600 s (from its second A), t4 120 s.
    expect(cart).toMatchObject({ medianSecondsToConvert: 90, avgSecondsToConvert: 195 });
    // To C: t1 0 s, t3 2,700 s.
    expect(order).toMatchObject({ medianSecondsToConvert: 1_350, avgSecondsToConvert: 1_350 });
  });

  it('breaks down by the kept attempt’s first event', async () => {
    const result = await funnel({ ...abc, breakdown: { dimension: 'channel', limit: 5 } });
    expect(result.groups?.map((g) => [g.key, g.steps.map((s) => s.count)])).toEqual([
      ['y', [2, 2, 2]],
      ['x', [1, 1, 0]],
      ['$other', [1, 1, 0]],
    ]);
  });

  it('takes one event for one step even when it matches several', async () => {
    // t5: D, E: the D is step 1 only. t6: two D of one millisecond, E: steps 1, 2 and 3.
    const result = await funnel({ steps: [{ event: 'D' }, { event: 'D' }, { event: 'E' }] });
    expect(result.steps.map((s) => s.count)).toEqual([2, 1, 1]);
  });

  it('ends the window before the millisecond one window after the first step', async () => {
    // p_bound: b2's second A is in the window, b1's is not (both are first steps too).
    const result = await computeFunnel(
      f.ctx({ from: D20, to: D21, now: SETTLED, projectId: 'p_bound' }),
      funnelParams.parse({ steps: [{ event: 'A' }, { event: 'A' }], windowSeconds: 3_600 }),
      engine,
    );
    expect(result.steps.map((s) => s.count)).toEqual([2, 1]);
    expect(result.steps[1]?.medianSecondsToConvert).toBe(3_599.999);
  });
});

describe('funnel attempts from per-person lists', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load({ events: FUNNEL_EVENTS });
  });
  afterAll(() => f.close());
  const ctx = () => f.ctx({ from: D20, to: D21, now: SETTLED, projectId: 'p_ties' });

  async function tiedPeople(params: Record<string, unknown>) {
    const query = buildBestAttemptListsQuery(ctx(), funnelParams.parse(params), 10);
    const rows = await runQuery(ctx(), query.sql, query.values);
    const people = rows.find((row) => row.kind === 'unsettled')?.people;
    return { tied: Array.isArray(people) ? people.map(String).sort() : [], rows };
  }

  it('names the people two of whose events share a millisecond and a step, and counts the rest', async () => {
    // t2's two A share a millisecond; t1's A, B and C do too, but each is its own step.
    const abcTies = await tiedPeople(abc);
    expect(abcTies.tied).toEqual(['t2']);
    const tally = abcTies.rows.find((row) => row.kind === 'tally');
    expect([tally?.n0, tally?.n1, tally?.n2].map(Number)).toEqual([3, 3, 2]);
    // t6's two D are steps 1 and 2 by id only.
    expect(
      (await tiedPeople({ steps: [{ event: 'D' }, { event: 'D' }, { event: 'E' }] })).tied,
    ).toEqual(['t6']);
  });

  it('leaves a person with too many events for the lists to the window', async () => {
    // m1 alternates A and B a second apart: 501 anchors times 500 B is over the limit.
    const many = Array.from({ length: 1_001 }, (_, i) =>
      makeEventRow({
        projectId: 'p_many',
        userId: 'm1',
        name: i % 2 === 0 ? 'A' : 'B',
        eventTime: s(i),
        receivedAt: s(i),
      }),
    );
    const few = ['A', 'B'].map((name, i) =>
      makeEventRow({ projectId: 'p_many', userId: 'm2', name, eventTime: s(i), receivedAt: s(i) }),
    );
    expect(501 * 500).toBeGreaterThan(MAX_COMPARISONS);
    await f.load({ events: [...many, ...few] });
    const at = f.ctx({ from: D20, to: D21, now: SETTLED, projectId: 'p_many' });
    const params = funnelParams.parse({ steps: [{ event: 'A' }, { event: 'B' }] });
    const query = buildBestAttemptListsQuery(at, params, 10);
    const rows = await runQuery(at, query.sql, query.values);
    expect(rows.find((row) => row.kind === 'unsettled')?.people).toEqual(['m1']);
    expect(rows.find((row) => row.kind === 'tally')?.n1).toBe(1);
    const result = await computeFunnel(at, params);
    expect(result.steps.map((step) => step.count)).toEqual([2, 2]);
    expect(result).toEqual(await computeFunnel(at, params, 'walk'));
  });

  it('counts everyone by the window when more people tie than it takes beside the lists', async () => {
    const params = funnelParams.parse({ ...abc, breakdown: { dimension: 'channel', limit: 5 } });
    const capped = await tallyBestAttempts(ctx(), params, { lists: { cap: 0 } });
    expect(capped).toEqual(await tallyBestAttempts(ctx(), params, 'window'));
    expect(capped.overall.map((s) => s.count)).toEqual([4, 4, 2]);
  });
});

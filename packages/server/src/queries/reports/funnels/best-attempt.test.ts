import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import { isBestAttemptInSql } from './best-attempt-sql.ts';
import { funnelParams } from './funnel-params.ts';
import { computeFunnel, type FunnelEngine } from './funnel-report.ts';
import { D20, D21, FUNNEL_EVENTS, SETTLED } from './funnel-test-events.ts';

const abc = { steps: ['A', 'B', 'C'].map((event) => ({ event })), windowSeconds: 3_600 };

// p_ties (funnel-test-events.ts), A → B → C within an hour:
// t1 does A, B and C in one millisecond (ids in the order C, B, A): the step orders them.
// t2 does two A of one millisecond, then B: both reach B; the first by id is kept (x, 1).
// t3 does A (x), A (y), B, C: only the second A has C in its window, so it is kept.
// t4 does A, A, B a minute apart: both reach B; the first is kept, 120 s to B.
describe.each(['auto', 'walk'] as const)('funnel attempts, %s', (engine: FunnelEngine) => {
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
});

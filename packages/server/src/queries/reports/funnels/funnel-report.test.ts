import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import { computeFunnel, type FunnelEngine } from './funnel-report.ts';
import { funnelParams } from './funnel-params.ts';
import { at, D20, D21, FUNNEL_EVENTS, FUNNEL_IDENTITIES, SETTLED } from './funnel-test-events.ts';

const abc = ['A', 'B', 'C'].map((event) => ({ event }));

const basicSteps = [
  { event: 'view_product' },
  { event: 'add_to_cart' },
  { event: 'order_completed' },
];
const strictSteps = [
  { event: 'A' },
  { event: 'B', filters: [{ property: 'ok', op: 'neq', value: 'no' }] },
  { event: 'C' },
];

interface Case {
  name: string;
  project: string;
  params: Record<string, unknown>;
  ctx?: Record<string, unknown>;
  counts: number[];
}

const cases: Case[] = [
  {
    name: 'ordered, local day',
    project: 'p_basic',
    params: { steps: basicSteps },
    counts: [6, 5, 2],
  },
  {
    name: 'ordered, UTC day: u1 starts before it',
    project: 'p_basic',
    params: { steps: basicSteps },
    ctx: { timeZone: 'UTC', from: at('2026-11-20T00:00:00Z'), to: at('2026-11-21T00:00:00Z') },
    counts: [5, 4, 1],
  },
  {
    name: 'ordered ignores other events',
    project: 'p_strict',
    params: { steps: strictSteps },
    counts: [4, 4, 4],
  },
  {
    name: 'strict: another step event breaks the run',
    project: 'p_strict',
    params: { steps: strictSteps, order: 'strict' },
    counts: [4, 2, 2],
  },
  {
    name: 'strict, total: a broken attempt frees the person',
    project: 'p_strict',
    params: { steps: strictSteps, order: 'strict', count: 'total' },
    counts: [5, 2, 2],
  },
  {
    name: 'ordered, total',
    project: 'p_strict',
    params: { steps: strictSteps, count: 'total' },
    counts: [4, 4, 4],
  },
  { name: 'any order', project: 'p_any', params: { steps: abc, order: 'any' }, counts: [2, 1, 1] },
  {
    name: 'in order, B A C stops at A',
    project: 'p_any',
    params: { steps: abc },
    counts: [2, 0, 0],
  },
  {
    name: 'optional step and an anyOf step',
    project: 'p_optional',
    params: {
      steps: [
        { event: 'view' },
        { event: 'coupon', optional: true },
        { anyOf: [{ event: 'pay_wechat' }, { event: 'pay_alipay' }], label: 'pay' },
      ],
    },
    counts: [4, 2, 3],
  },
  {
    name: 'exclusion between steps 2 and 3',
    project: 'p_excl',
    params: { steps: abc, exclusions: [{ event: 'X', between: [2, 3] }] },
    counts: [4, 4, 3],
  },
  {
    name: 'exclusion, total',
    project: 'p_excl',
    params: { steps: abc, count: 'total', exclusions: [{ event: 'X', between: [2, 3] }] },
    counts: [5, 5, 3],
  },
  {
    name: 'exclusion over the whole funnel',
    project: 'p_excl',
    params: { steps: abc, exclusions: [{ event: 'X' }] },
    counts: [4, 3, 2],
  },
  {
    name: 'window is half-open',
    project: 'p_window',
    params: { steps: [{ event: 'A' }, { event: 'B' }], windowSeconds: 3_600 },
    counts: [4, 3],
  },
  {
    name: 'total counts repeated conversions',
    project: 'p_window',
    params: { steps: [{ event: 'A' }, { event: 'B' }], windowSeconds: 3_600, count: 'total' },
    counts: [5, 4],
  },
  {
    name: 'the filter bar applies to every step',
    project: 'p_window',
    params: { steps: [{ event: 'A' }, { event: 'B' }] },
    ctx: { filters: [{ dimension: 'platform', op: 'eq', value: 'ios' }] },
    counts: [1, 0],
  },
  {
    name: 'thirty steps',
    project: 'p_long',
    params: { steps: Array.from({ length: 30 }, (_, i) => ({ event: `s${i}` })) },
    counts: [...new Array<number>(15).fill(2), ...new Array<number>(15).fill(1)],
  },
  {
    name: 'empty range',
    project: 'p_basic',
    params: { steps: basicSteps },
    ctx: { from: at('2026-01-01T00:00:00Z'), to: at('2026-01-02T00:00:00Z') },
    counts: [0, 0, 0],
  },
];

describe('funnel report', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load({ events: FUNNEL_EVENTS, identities: FUNNEL_IDENTITIES });
  });
  afterAll(() => f.close());

  const funnel = (
    project: string,
    params: Record<string, unknown>,
    ctx = {},
    engine: FunnelEngine = 'auto',
  ) =>
    computeFunnel(
      f.ctx({ from: D20, to: D21, now: SETTLED, projectId: project, ...ctx }),
      funnelParams.parse(params),
      engine,
    );

  // Each case also walks: the ordered, required, unique ones are otherwise computed in SQL.
  it.each(cases)('$name', async ({ project, params, ctx, counts }) => {
    for (const engine of ['auto', 'walk'] as const) {
      const result = await funnel(project, params, ctx, engine);
      expect(result.steps.map((step) => step.count)).toEqual(counts);
    }
  });

  it('reports conversion, drop-off, times and revenue per step', async () => {
    const result = await funnel('p_basic', { steps: basicSteps });
    expect(result.overallConversion).toBe(2 / 6);
    const [view, cart, order] = result.steps;
    expect(view).toMatchObject({
      step: 1,
      label: 'view_product',
      conversionFromFirst: 1,
      conversionFromPrevious: null,
      dropOff: null,
      medianSecondsToConvert: null,
      timeToConvertHistogram: null,
      revenue: 0,
    });
    // Cart after view: u1 600 s, u2 30.001 s, u3 300 s, u5 60 s, u6 1,200 s.
    expect(cart).toMatchObject({
      conversionFromFirst: 5 / 6,
      conversionFromPrevious: 5 / 6,
      dropOff: 1,
      medianSecondsToConvert: 300,
      timeToConvertHistogram: [1, 1, 3, 0, 0, 0, 0, 0, 0],
    });
    expect(cart?.avgSecondsToConvert).toBeCloseTo(2_190.001 / 5, 9);
    // Order after cart: u3 300 s, u1 25 h 50 min (the order came after the range, in the window).
    expect(order).toMatchObject({
      count: 2,
      conversionFromPrevious: 2 / 5,
      dropOff: 3,
      medianSecondsToConvert: 46_650,
      avgSecondsToConvert: 46_650,
      timeToConvertHistogram: [0, 0, 1, 0, 0, 0, 1, 0, 0],
      revenue: 17_000,
    });
  });

  it('reads no event after now: a range measured as of a past moment misses later conversions', async () => {
    // After the range, inside the window: u2's cart at 16:00:30Z and u1's order at 18:00Z.
    for (const engine of ['auto', 'walk'] as const) {
      const asOf = async (now: number) =>
        (await funnel('p_basic', { steps: basicSteps }, { now }, engine)).steps.map(
          (step) => step.count,
        );
      expect(await asOf(D21)).toEqual([6, 4, 1]);
      expect(await asOf(at('2026-11-20T18:00:00Z'))).toEqual([6, 5, 1]);
      expect(await asOf(at('2026-11-20T18:00:00.001Z'))).toEqual([6, 5, 2]);
    }
  });

  it('measures an optional step against the previous required one', async () => {
    const result = await funnel('p_optional', cases[8]?.params ?? {});
    const [, coupon, pay] = result.steps;
    expect(coupon).toMatchObject({ optional: true, conversionFromPrevious: 0.5, dropOff: 2 });
    // Pay after the last step done: o1 60 s after the coupon, o2 and o3 60 s after the view.
    expect(pay).toMatchObject({
      label: 'pay',
      conversionFromPrevious: 0.75,
      dropOff: 1,
      medianSecondsToConvert: 60,
      revenue: 700,
    });
  });

  it('takes times in any order from when the earlier steps were all done', async () => {
    const result = await funnel('p_any', { steps: abc, order: 'any' });
    // y1: B at 0, A at 60, C at 120: B adds nothing after A (0 s), C 60 s after.
    expect(result.steps.map((step) => step.medianSecondsToConvert)).toEqual([null, 0, 60]);
  });

  it('breaks down by the first step event, top N then $other', async () => {
    const result = await funnel('p_breakdown', {
      steps: [{ event: 'A' }, { event: 'B' }],
      breakdown: { dimension: 'channel', limit: 1 },
    });
    expect(result.steps.map((step) => step.count)).toEqual([4, 3]);
    expect(
      result.groups?.map((g) => ({ key: g.key, counts: g.steps.map((step) => step.count) })),
    ).toEqual([
      { key: 'wechat', counts: [2, 1] },
      { key: '$other', counts: [2, 2] },
    ]);
  });

  it('answers nulls for an empty range', async () => {
    const result = await funnel('p_basic', { steps: basicSteps }, cases[16]?.ctx);
    expect(result.overallConversion).toBeNull();
    expect(result.steps[1]).toMatchObject({
      conversionFromFirst: null,
      dropOff: 0,
      medianSecondsToConvert: null,
      avgSecondsToConvert: null,
    });
  });

  it('refuses optional first or last steps and bad exclusion bounds', async () => {
    const refused = [
      { steps: [{ event: 'A', optional: true }, { event: 'B' }] },
      { steps: [{ event: 'A' }, { event: 'B', optional: true }] },
      { steps: abc, exclusions: [{ event: 'X', between: [3, 2] }] },
      { steps: abc, order: 'any', exclusions: [{ event: 'X', between: [1, 2] }] },
    ];
    for (const params of refused)
      await expect(funnel('p_basic', params)).rejects.toMatchObject({ code: 'ERR_QUERY_INVALID' });
    await expect(
      funnel('p_basic', { steps: abc, breakdown: { dimension: 'nope' } }),
    ).rejects.toMatchObject({ code: 'ERR_QUERY_DIMENSION_UNSUPPORTED' });
  });
});

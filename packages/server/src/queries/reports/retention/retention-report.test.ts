import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import { retentionParams, retentionReport, type RetentionResult } from './retention-report.ts';
import { startOfDay, EVENTS, IDENTITIES, NOW, ORDERS, REFUNDS } from './retention-test-data.ts';

type Row = [label: string, size: number, counts: number[], values: Array<number | null>];

/** The matrix as [label, size, counts, values] rows, for comparison with hand-computed ones. */
function toRows(result: RetentionResult): Row[] {
  return result.cohorts.map((c) => [
    c.label,
    c.size,
    c.cells.map((cell) => cell.count),
    c.cells.map((cell) => cell.value),
  ]);
}
const toAverage = (result: RetentionResult) =>
  result.average.cells.map((cell) => [cell.value, cell.cohorts, cell.size]);

describe('retention report', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load({ events: EVENTS, identities: IDENTITIES, orders: ORDERS, refunds: REFUNDS });
  });
  afterAll(() => f.close());

  // Cohorts of the 20th, 21st and 22nd (local), now the 24th at noon.
  const run = (
    params: Record<string, unknown>,
    range = { from: startOfDay(20), to: startOfDay(23) },
  ) => retentionReport.run(f.ctx({ ...range, now: NOW }), retentionParams.parse(params));

  const cases: Array<{
    name: string;
    params: Record<string, unknown>;
    rows: Row[];
    average?: unknown[];
  }> = [
    {
      // u3's anonymous visit of the 22nd counts (linked); u4's bot and API events do not;
      // u2's second sign_up does not move u2; u5's day 2 (the 24th) is not over: count, no rate.
      name: 'signup cohorts by day, any valid event returns',
      params: { periods: 3 },
      rows: [
        ['2026-11-20', 2, [2, 2, 0, 2], [1, 1, 0, 1]],
        ['2026-11-21', 2, [2, 1, 0, 0], [1, 0.5, 0, null]],
        ['2026-11-22', 1, [1, 0, 1, 0], [1, 0, null, null]],
      ],
      average: [
        [1, 3, 5],
        [0.6, 3, 5],
        [0, 2, 4],
        [1, 1, 2],
      ],
    },
    {
      // u3's first event was on the 19th (anonymous, before the range): in no cohort here.
      name: 'first-event cohorts',
      params: { cohortBy: 'first_event', periods: 3 },
      rows: [
        ['2026-11-20', 2, [2, 2, 0, 2], [1, 1, 0, 1]],
        ['2026-11-21', 1, [1, 0, 0, 0], [1, 0, 0, null]],
        ['2026-11-22', 1, [1, 0, 1, 0], [1, 0, null, null]],
      ],
    },
    {
      // u5's login of the 22nd was at 09:00, before the sign-up at 10:00: not a return.
      name: 'a named return event',
      params: { periods: 3, returnEvent: { name: 'login' } },
      rows: [
        ['2026-11-20', 2, [0, 2, 0, 1], [0, 1, 0, 0.5]],
        ['2026-11-21', 2, [0, 0, 0, 0], [0, 0, 0, null]],
        ['2026-11-22', 1, [0, 0, 1, 0], [0, 0, null, null]],
      ],
    },
    {
      name: 'a return event narrowed by a property filter',
      params: {
        periods: 3,
        returnEvent: {
          name: 'login',
          filters: [{ property: 'method', op: 'eq', value: 'wechat' }],
        },
      },
      rows: [
        ['2026-11-20', 2, [0, 0, 0, 1], [0, 0, 0, 0.5]],
        ['2026-11-21', 2, [0, 0, 0, 0], [0, 0, 0, null]],
        ['2026-11-22', 1, [0, 0, 0, 0], [0, 0, null, null]],
      ],
    },
    {
      // Mon 16 – Sun 22 is one cohort (it starts before the range); week 1 is not over.
      name: 'weekly cohorts',
      params: { period: 'week', periods: 1 },
      rows: [['2026-11-16', 5, [5, 3], [1, null]]],
      average: [
        [1, 1, 5],
        [null, 0, 0],
      ],
    },
    {
      // Cumulative GMV per member: o1's refund does not reduce it, u5's order before signing
      // up is not counted, u3's anonymous order is.
      name: 'revenue (LTV) of signup cohorts',
      params: { periods: 3, value: 'revenue' },
      rows: [
        ['2026-11-20', 2, [10_000, 10_000, 15_000, 15_000], [5_000, 5_000, 7_500, 7_500]],
        ['2026-11-21', 2, [0, 2_000, 2_000, 2_000], [0, 1_000, 1_000, null]],
        ['2026-11-22', 1, [0, 0, 300, 300], [0, 0, null, null]],
      ],
      average: [
        [2_000, 3, 5],
        [2_400, 3, 5],
        [4_250, 2, 4],
        [7_500, 1, 2],
      ],
    },
    {
      name: 'repeat purchase of first-purchase cohorts (cumulative)',
      params: { periods: 3, value: 'repeat_purchase' },
      rows: [
        ['2026-11-20', 1, [0, 0, 1, 1], [0, 0, 1, 1]],
        ['2026-11-21', 0, [0, 0, 0, 0], [null, null, null, null]],
        ['2026-11-22', 2, [0, 0, 1, 1], [0, 0, null, null]],
      ],
      average: [
        [0, 2, 3],
        [0, 2, 3],
        [1, 1, 1],
        [1, 1, 1],
      ],
    },
  ];

  it.each(cases)('$name', async ({ params, rows, average }) => {
    const result = await run(params);
    expect(toRows(result)).toEqual(rows);
    if (average) expect(toAverage(result)).toEqual(average);
  });

  it('labels offsets, marks incomplete cells and defaults to 7 days', async () => {
    const result = await run({});
    expect(result).toMatchObject({ cohortBy: 'signup', period: 'day', periods: 7 });
    expect(result.offsets.map((o) => o.label)).toEqual([
      'D0',
      'D1',
      'D2',
      'D3',
      'D4',
      'D5',
      'D6',
      'D7',
    ]);
    // The 20th's day 3 (the 23rd) ended at midnight; its day 4 (the 24th) is today.
    expect(result.cohorts[0]?.cells.map((c) => c.complete)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    expect(result.cohorts[0]?.start).toBe('2026-11-19T16:00:00.000Z');
  });

  it('puts the first and last millisecond of a local day in that day', async () => {
    // u1 signed up at 00:00:00.000 and u2 at 23:59:59.999 on the 20th: one cohort of two.
    const result = await run({ periods: 0 }, { from: startOfDay(20), to: startOfDay(21) });
    expect(toRows(result)).toEqual([['2026-11-20', 2, [2], [1]]]);
  });

  it('answers an empty range with empty cohorts and no averages', async () => {
    const result = await run({ periods: 2 }, { from: startOfDay(26), to: startOfDay(28) });
    expect(toRows(result)).toEqual([
      ['2026-11-26', 0, [0, 0, 0], [null, null, null]],
      ['2026-11-27', 0, [0, 0, 0], [null, null, null]],
    ]);
    expect(result.average).toEqual({
      size: 0,
      cells: [0, 1, 2].map((offset) => ({ offset, value: null, cohorts: 0, size: 0 })),
    });
  });

  it.each([
    [
      { value: 'repeat_purchase', cohortBy: 'signup' },
      /repeat_purchase needs cohortBy first_purchase/,
    ],
    [
      { value: 'revenue', returnEvent: { name: 'login' } },
      /returnEvent applies to value retention/,
    ],
    [
      { value: 'revenue', monthlyDiscount: 0.1 },
      /monthlyDiscount applies to value revenue with period month/,
    ],
  ])('refuses params that do not fit together: %j', async (params, message) => {
    await expect(run(params)).rejects.toThrow(message);
  });

  it('refuses a granularity that is no calendar period when period is not given', async () => {
    const ctx = f.ctx({ from: startOfDay(20), to: startOfDay(21), now: NOW, granularity: 'hour' });
    await expect(retentionReport.run(ctx, retentionParams.parse({}))).rejects.toThrow(
      /period is day, week or month/,
    );
  });

  it('lays the matrix out as a table: count and value rows per cohort, then the average', async () => {
    const params = retentionParams.parse({ periods: 1 });
    const result = await run({ periods: 1 });
    expect(retentionReport.toTable(result, params)).toEqual({
      columns: ['cohort', 'size', 'measure', 'D0', 'D1'],
      rows: [
        ['2026-11-20', 2, 'retained', 2, 2],
        ['2026-11-20', 2, 'rate', 1, 1],
        ['2026-11-21', 2, 'retained', 2, 1],
        ['2026-11-21', 2, 'rate', 1, 0.5],
        ['2026-11-22', 1, 'retained', 1, 0],
        ['2026-11-22', 1, 'rate', 1, 0],
        ['average', 5, 'rate', 1, 0.6],
      ],
    });
  });
});

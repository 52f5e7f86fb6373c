import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decomposeChange, type DecomposeInput, type RatioSegment } from './decompose-change.ts';

const pick = (result: ReturnType<typeof decomposeChange>) =>
  result.items.map((item) => [item.segment, item.contribution, item.share, item.weight]);

describe('decomposeChange: additive', () => {
  const cases: Array<{
    name: string;
    input: DecomposeInput;
    change: number | null;
    items: Array<[string, number, number, number]>;
  }> = [
    {
      name: 'a drop, a rise, a new and a vanished segment',
      input: {
        kind: 'additive',
        segments: [
          { segment: 'a', current: 60, previous: 100 },
          { segment: 'b', current: 55, previous: 50 },
          { segment: 'c', current: 10, previous: null },
          { segment: 'd', current: null, previous: 20 },
        ],
      },
      change: -45,
      items: [
        ['a', -40, 40 / 45, 100 / 170],
        ['b', 5, -5 / 45, 50 / 170],
        ['c', 10, -10 / 45, 0],
        ['d', -20, 20 / 45, 20 / 170],
      ],
    },
    {
      name: 'no change: contributions stay, shares are 0',
      input: {
        kind: 'additive',
        segments: [
          { segment: 'a', current: 30, previous: 20 },
          { segment: 'b', current: 10, previous: 20 },
        ],
      },
      change: 0,
      items: [
        ['a', 10, 0, 0.5],
        ['b', -10, 0, 0.5],
      ],
    },
    {
      name: 'everything new: weights from the current period',
      input: {
        kind: 'additive',
        segments: [
          { segment: 'a', current: 30, previous: 0 },
          { segment: 'b', current: 10, previous: 0 },
        ],
      },
      change: 40,
      items: [
        ['a', 30, 0.75, 0.75],
        ['b', 10, 0.25, 0.25],
      ],
    },
    {
      name: 'distinct counts are scaled to the total (segments 180 → 150, total 150 → 126)',
      input: {
        kind: 'distinct',
        segments: [
          { segment: 'a', current: 80, previous: 100 },
          { segment: 'b', current: 50, previous: 50 },
          { segment: 'c', current: 20, previous: 30 },
        ],
        total: { current: 126, previous: 150 },
      },
      change: -24,
      items: [
        ['a', -16, 2 / 3, 100 / 180],
        ['b', 0, -0, 50 / 180],
        ['c', -8, 1 / 3, 30 / 180],
      ],
    },
    {
      name: 'distinct counts whose segments cancel out explain nothing',
      input: {
        kind: 'distinct',
        segments: [
          { segment: 'a', current: 60, previous: 50 },
          { segment: 'b', current: 40, previous: 50 },
        ],
        total: { current: 90, previous: 80 },
      },
      change: 10,
      items: [
        ['a', 0, 0, 0.5],
        ['b', -0, -0, 0.5],
      ],
    },
    {
      name: 'a total without a value: no change, no contributions',
      input: {
        kind: 'distinct',
        segments: [{ segment: 'a', current: 60, previous: 50 }],
        total: { current: 60, previous: null },
      },
      change: null,
      items: [['a', 0, 0, 1]],
    },
  ];
  it.each(cases)('$name', ({ input, change, items }) => {
    const result = decomposeChange(input);
    expect(result.change).toBe(change);
    const got = pick(result);
    expect(got.map((row) => row[0])).toEqual(items.map((row) => row[0]));
    got.forEach((row, i) => {
      const want = items[i] ?? [];
      expect(row[1]).toBeCloseTo(want[1] as number, 12);
      expect(row[2]).toBeCloseTo(want[2] as number, 12);
      expect(row[3]).toBeCloseTo(want[3] as number, 12);
    });
  });
});

const ratio = (
  segment: string,
  n: [number | null, number | null],
  d: [number | null, number | null],
): RatioSegment => ({
  segment,
  numerator: { previous: n[0], current: n[1] },
  denominator: { previous: d[0], current: d[1] },
});

describe('decomposeChange: ratio', () => {
  it('blames a mix shift on the segment that grew (AOV 200 → 150)', () => {
    const result = decomposeChange({
      kind: 'ratio',
      segments: [
        ratio('douyin', [100_000, 300_000], [10, 30]),
        ratio('wechat', [300_000, 300_000], [10, 10]),
      ],
    });
    expect([result.previous, result.current, result.change]).toEqual([20_000, 15_000, -5_000]);
    // douyin: ((300000 − 100000) − 20000 × (30 − 10)) / 40 = −5000; wechat: 0.
    expect(result.items).toEqual([
      {
        segment: 'douyin',
        previous: 10_000,
        current: 10_000,
        contribution: -5_000,
        share: 1,
        weight: 0.25,
      },
      {
        segment: 'wechat',
        previous: 30_000,
        current: 30_000,
        contribution: 0,
        share: -0,
        weight: 0.75,
      },
    ]);
  });

  it('splits a rate change between own rate and mix (refund rate 1% → 2.5%)', () => {
    const result = decomposeChange({
      kind: 'ratio',
      segments: [ratio('x', [10, 40], [1000, 500]), ratio('y', [10, 10], [1000, 1500])],
    });
    expect(result.previous).toBe(0.01);
    expect(result.current).toBe(0.025);
    // x: (30 − 0.01 × (−500)) / 2000 = 0.0175; y: (0 − 0.01 × 500) / 2000 = −0.0025.
    const [x, y] = result.items;
    expect(x?.contribution).toBeCloseTo(0.0175, 15);
    expect(y?.contribution).toBeCloseTo(-0.0025, 15);
    expect(x?.share).toBeCloseTo(7 / 6, 12);
    expect(y?.share).toBeCloseTo(-1 / 6, 12);
    expect([x?.current, y?.current]).toEqual([0.08, 10 / 1500]);
  });

  it('handles new and vanished segments and null values', () => {
    const result = decomposeChange({
      kind: 'ratio',
      segments: [
        ratio('x', [100, 100], [2, 2]),
        ratio('new', [null, 300], [null, 2]),
        ratio('gone', [60, null], [3, 0]),
      ],
    });
    // r_p = 160 / 5 = 32, r_c = 400 / 4 = 100, D_c = 4.
    expect(result.change).toBe(68);
    expect(
      result.items.map((item) => [item.segment, item.contribution, item.current, item.previous]),
    ).toEqual([
      ['x', (0 - 32 * 0) / 4, 50, 50],
      ['new', (300 - 32 * 2) / 4, 150, null],
      ['gone', (-60 - 32 * -3) / 4, null, 20],
    ]);
  });

  it('has no change when a denominator is 0 on either side', () => {
    for (const d of [
      [0, 5],
      [5, 0],
    ] as const) {
      const result = decomposeChange({
        kind: 'ratio',
        segments: [ratio('x', [10, 20], [d[0], d[1]])],
      });
      expect(result.change).toBeNull();
      expect(result.items.map((item) => [item.contribution, item.share])).toEqual([[0, 0]]);
    }
  });

  it('scales to a headline total that differs (a distinct-count denominator)', () => {
    const result = decomposeChange({
      kind: 'ratio',
      segments: [ratio('a', [100, 300], [1, 1]), ratio('b', [100, 100], [1, 1])],
      total: { previous: 100, current: 240 },
    });
    // Segments imply 100 → 200 (+100, all from a); the headline moved +140.
    expect(result.change).toBe(140);
    const [a, b] = result.items;
    expect(a?.contribution).toBeCloseTo(140, 12);
    expect(a?.share).toBeCloseTo(1, 12);
    expect([b?.contribution, b?.share]).toEqual([0, 0]);
  });
});

describe('decomposeChange: properties', () => {
  const close = (sum: number, change: number, terms: number[]) => {
    const scale = Math.max(Math.abs(change), ...terms.map(Math.abs), Number.MIN_VALUE);
    return Math.abs(sum - change) <= 1e-9 * scale;
  };
  const amount = fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: null, freq: 8 });

  it('additive contributions sum to the total change, shares to 1', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(amount, amount), { minLength: 1, maxLength: 12 }), (rows) => {
        const segments = rows.map(([previous, current], i) => ({
          segment: `s${i}`,
          previous,
          current,
        }));
        const result = decomposeChange({ kind: 'additive', segments });
        const reference =
          segments.reduce((t, s) => t + (s.current ?? 0), 0) -
          segments.reduce((t, s) => t + (s.previous ?? 0), 0);
        const contributions = result.items.map((item) => item.contribution);
        expect(result.change).toBe(reference);
        expect(
          close(
            contributions.reduce((t, c) => t + c, 0),
            reference,
            contributions,
          ),
        ).toBe(true);
        if (reference !== 0)
          expect(Math.abs(result.items.reduce((t, item) => t + item.share, 0) - 1)).toBeLessThan(
            1e-9,
          );
      }),
    );
  });

  it('ratio contributions sum to N_c/D_c − N_p/D_p, shares to 1', () => {
    const denominator = fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null, freq: 8 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(amount, amount, denominator, denominator), {
          minLength: 1,
          maxLength: 12,
        }),
        (rows) => {
          const segments = rows.map(([np, nc, dp, dc], i) => ratio(`s${i}`, [np, nc], [dp, dc]));
          const sum = (pick: (s: RatioSegment) => number | null) =>
            segments.reduce((t, s) => t + (pick(s) ?? 0), 0);
          const dc = sum((s) => s.denominator.current);
          const dp = sum((s) => s.denominator.previous);
          const result = decomposeChange({ kind: 'ratio', segments });
          if (dc === 0 || dp === 0) {
            expect(result.change).toBeNull();
            return;
          }
          const reference =
            sum((s) => s.numerator.current) / dc - sum((s) => s.numerator.previous) / dp;
          const contributions = result.items.map((item) => item.contribution);
          expect(close(result.change ?? NaN, reference, [reference])).toBe(true);
          expect(
            close(
              contributions.reduce((t, c) => t + c, 0),
              reference,
              contributions,
            ),
          ).toBe(true);
          if (reference !== 0) {
            const shares = result.items.reduce((t, item) => t + item.share, 0);
            expect(close(shares * reference, reference, contributions)).toBe(true);
          }
        },
      ),
    );
  });
});

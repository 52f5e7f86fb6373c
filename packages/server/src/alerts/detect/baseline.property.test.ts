import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BaselineOptions, BaselineResult, SeriesPoint } from './baseline-types.ts';
import { scoreAgainstBaseline } from './score-against-baseline.ts';
import { scoreSeries } from './score-series.ts';

const HOUR_MS = 3_600_000;
// Crosses the end of DST in New York (2026-11-01) with three weeks of history before it.
const START = Date.parse('2026-10-05T00:00:00Z');

/** A shuffled series on a grid, with gaps, low-volume points and repeated instants. */
const seriesArb = fc
  .record({
    bucketHours: fc.constantFrom(1, 6, 24),
    weeks: fc.integer({ min: 2, max: 5 }),
    level: fc.integer({ min: 1, max: 1_000 }),
    noise: fc.array(fc.integer({ min: -40, max: 40 }), { minLength: 840, maxLength: 840 }),
    gaps: fc.array(fc.nat(839), { maxLength: 40 }),
    lowVolume: fc.array(fc.nat(839), { maxLength: 10 }),
    repeats: fc.array(
      fc.record({ index: fc.nat(839), value: fc.integer({ min: 1, max: 2_000 }) }),
      {
        maxLength: 5,
      },
    ),
    order: fc.array(fc.nat(), { minLength: 840, maxLength: 840 }),
  })
  .map(({ bucketHours, weeks, level, noise, gaps, lowVolume, repeats, order }) => {
    const count = Math.min(840, (weeks * 168) / bucketHours);
    const points: SeriesPoint[] = Array.from({ length: count }, (_, i) => ({
      at: START + i * bucketHours * HOUR_MS,
      // A daily shape so seasons matter, plus noise; always ≥ 1.
      value:
        Math.max(1, Math.round(level * (1.5 + Math.sin((i * bucketHours * Math.PI) / 12)))) +
        Math.abs(noise[i] ?? 0),
      volume: 1_000,
    }));
    for (const g of gaps) if (points[g % count]) (points[g % count] as SeriesPoint).value = null;
    for (const l of lowVolume) if (points[l % count]) (points[l % count] as SeriesPoint).volume = 3;
    for (const r of repeats)
      points.push({
        at: (points[r.index % count] as SeriesPoint).at,
        value: r.value,
        volume: 1_000,
      });
    const keyed = points.map((p, i) => ({ p, key: order[i] ?? i }));
    return keyed.sort((a, b) => a.key - b.key).map((k) => k.p);
  });

const optionsArb = fc.record({
  method: fc.constantFrom('seasonal', 'ewma'),
  timeZone: fc.constantFrom('Asia/Shanghai', 'America/New_York'),
  sensitivity: fc.constantFrom(2, 3, 4.5),
  direction: fc.constantFrom('up', 'down', 'both'),
  warmup: fc.integer({ min: 2, max: 20 }),
  minVolume: fc.constantFrom(0, 100),
}) as fc.Arbitrary<BaselineOptions>;

const withValues = (series: readonly SeriesPoint[], map: (v: number) => number) =>
  series.map((p) => ({ ...p, value: p.value === null ? null : map(p.value) }));

describe('baseline properties', () => {
  it('scoreSeries gives each point what scoreAgainstBaseline gives it from the rest', () => {
    fc.assert(
      fc.property(
        seriesArb,
        optionsArb,
        fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
        (series, options, picks) => {
          const all = scoreSeries(series, options);
          expect(all).toHaveLength(series.length);
          for (const pick of picks) {
            const i = pick % series.length;
            const rest = series.filter((_, j) => j !== i);
            expect(all[i]).toEqual(scoreAgainstBaseline(rest, series[i] as SeriesPoint, options));
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keeps its band consistent: scale > 0, lower ≤ expected ≤ upper, flags only past it', () => {
    fc.assert(
      fc.property(seriesArb, optionsArb, (series, options) => {
        const sensitivity = options.sensitivity ?? 3;
        for (const r of scoreSeries(series, options)) {
          if (r.expected === null) {
            expect(r).toMatchObject({ scale: null, score: null, anomalous: false });
            continue;
          }
          expect(r.scale).toBeGreaterThan(0);
          expect(Number.isFinite(r.scale)).toBe(true);
          expect(r.lower).toBeLessThanOrEqual(r.expected);
          expect(r.upper).toBeGreaterThanOrEqual(r.expected);
          expect(r.anomalous).toBe(r.reason === 'anomalous');
          if (r.anomalous) {
            expect(Math.abs(r.score ?? 0)).toBeGreaterThan(sensitivity);
            expect(r.direction).toBe((r.score ?? 0) > 0 ? 'up' : 'down');
            if (options.direction !== 'both') expect(r.direction).toBe(options.direction);
          } else expect(r.direction).toBeNull();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('scores the same when a constant is added to every value (no scale floor)', () => {
    fc.assert(
      fc.property(
        seriesArb,
        optionsArb,
        fc.integer({ min: -5_000, max: 5_000 }),
        (series, options, c) => {
          const unfloored = { ...options, minScaleRatio: 0 };
          const base = scoreSeries(series, unfloored);
          const shifted = scoreSeries(
            withValues(series, (v) => v + c),
            unfloored,
          );
          base.forEach((r, i) => expectSameScore(r, shifted[i] as BaselineResult, c, options));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('scores exactly the same when every value is scaled by a power of two', () => {
    fc.assert(
      fc.property(seriesArb, optionsArb, fc.constantFrom(0.25, 0.5, 2, 8), (series, options, k) => {
        const base = scoreSeries(series, options);
        const scaled = scoreSeries(
          withValues(series, (v) => v * k),
          options,
        );
        base.forEach((r, i) => {
          const s = scaled[i] as BaselineResult;
          expect(s.score).toBe(r.score);
          expect(s.anomalous).toBe(r.anomalous);
          expect(s.expected).toBe(r.expected === null ? null : r.expected * k);
        });
      }),
      { numRuns: 40 },
    );
  });
});

/** Equal up to rounding: EWMA multiplies by alpha, a slot's repeated instants average by 3. */
function expectSameScore(
  a: BaselineResult,
  b: BaselineResult,
  c: number,
  options: BaselineOptions,
) {
  expect(b.reason === 'insufficient_history').toBe(a.reason === 'insufficient_history');
  if (a.expected === null || b.expected === null || a.score === null || b.score === null) return;
  expect(b.expected).toBeCloseTo(a.expected + c, 6);
  if ((a.scale ?? 0) < 1e-3) return; // a 1e-9 scale turns rounding into huge scores
  expect(Math.abs(b.score - a.score)).toBeLessThan(1e-6 * (1 + Math.abs(a.score)));
  const sensitivity = options.sensitivity ?? 3;
  if (Math.abs(Math.abs(a.score) - sensitivity) > 1e-6) expect(b.anomalous).toBe(a.anomalous);
}

import { describe, expect, it } from 'vitest';
import type { SeriesPoint } from './baseline-types.ts';
import { scoreAgainstBaseline } from './score-against-baseline.ts';
import { scoreSeries } from './score-series.ts';

const T0 = Date.parse('2026-11-20T00:00:00Z');
const STEP_MS = 300_000;
const seriesOf = (values: readonly (number | null)[]): SeriesPoint[] =>
  values.map((value, i) => ({ at: T0 + i * STEP_MS, value }));
const EWMA = { method: 'ewma', timeZone: 'UTC', minScaleRatio: 0 } as const;

describe('EWMA baseline, by hand', () => {
  const options = { ...EWMA, warmup: 3, alpha: 0.5, varianceAlpha: 0.5 };

  it('seeds from the median/MAD of the warm-up, updates, and keeps an outlier out', () => {
    // Seed from 10 12 11: mean 11, MAD 1 → variance 1.4826² = 2.19810276.
    // 13: error 2, within 3 × 1.4826 → mean 11 + 0.5·2 = 12, variance 0.5·2.19810276 + 0.5·4.
    // 30: error 18 > 3 × √3.09905138 = 5.28 → not learned.
    const variance = 0.5 * 1.4826 ** 2 + 0.5 * 4;
    expect(variance).toBeCloseTo(3.09905138, 12);
    const history = seriesOf([10, 12, 11, 13, 30]).reverse(); // order does not matter
    const result = scoreAgainstBaseline(history, { at: T0 + 5 * STEP_MS, value: 13 }, options);
    const scale = Math.sqrt(variance);
    expect(result.expected).toBe(12);
    expect(result.scale).toBeCloseTo(1.7604123, 7);
    expect(result.score).toBeCloseTo(1 / scale, 12);
    expect(result.lower).toBeCloseTo(12 - 3 * scale, 12);
    expect(result.upper).toBeCloseTo(12 + 3 * scale, 12);
    expect(result).toMatchObject({ anomalous: false, direction: null, reason: 'ok' });
    expect(
      scoreAgainstBaseline(history, { at: T0 + 5 * STEP_MS, value: 30 }, options),
    ).toMatchObject({ anomalous: true, direction: 'up', reason: 'anomalous' });
  });

  it('needs `warmup` points first', () => {
    const result = scoreAgainstBaseline(
      seriesOf([10, 12]),
      { at: T0 + 2 * STEP_MS, value: 11 },
      options,
    );
    expect(result).toMatchObject({ reason: 'insufficient_history', expected: null, score: null });
  });

  it('is not set by a spike inside the warm-up (median, not mean)', () => {
    // Seed from 10 1000 11: median 11, |deviations| 1 989 0 → MAD 1.
    const result = scoreAgainstBaseline(
      seriesOf([10, 1000, 11]),
      { at: T0 + 3 * STEP_MS, value: 12 },
      options,
    );
    expect(result.expected).toBe(11);
    expect(result.scale).toBeCloseTo(1.4826, 12);
  });

  it('is not moved by a single spike after warm-up', () => {
    const values = [10, 11, 9, 10, 10, 11, 9, 10, 100, 10];
    const results = scoreSeries(seriesOf(values), { ...EWMA, warmup: 4 });
    expect(results[8]?.anomalous).toBe(true);
    expect(results[9]?.expected).toBe(results[8]?.expected);
    expect(results[9]?.scale).toBe(results[8]?.scale);
  });

  it('alerts `warmup` points of a level shift, then takes it as the new normal', () => {
    const values = [10, 11, 9, 10, 10, 11, 9, 10, 50, 51, 49, 50, 50, 51, 49];
    const results = scoreSeries(seriesOf(values), { ...EWMA, warmup: 4 });
    expect(results.map((r) => r.reason)).toEqual([
      ...Array<string>(4).fill('insufficient_history'),
      ...Array<string>(4).fill('ok'),
      ...Array<string>(4).fill('anomalous'),
      ...Array<string>(3).fill('ok'),
    ]);
    // Reseeded from 50 51 49 50: median 50.
    expect(results[12]?.expected).toBe(50);
  });

  it('skips missing and low-volume points, and never flags a low-volume point', () => {
    const points: SeriesPoint[] = [
      ...seriesOf([10, 11, 9, 10, null, 10]).map((p) => ({ ...p, volume: 1000 })),
      { at: T0 + 6 * STEP_MS, value: 80, volume: 3 },
      { at: T0 + 7 * STEP_MS, value: 10, volume: 1000 },
      { at: T0 + 8 * STEP_MS, value: 80, volume: 1000 },
    ];
    const results = scoreSeries(points, { ...EWMA, warmup: 4, minVolume: 100 });
    expect(results.map((r) => r.reason)).toEqual([
      ...Array<string>(4).fill('insufficient_history'),
      'no_data',
      'ok',
      'low_volume',
      'ok',
      'anomalous',
    ]);
    expect(results[6]?.score).toBeGreaterThan(10); // scored for the chart, not flagged
    expect(results[7]?.expected).toBe(results[6]?.expected); // and not learned
  });
});

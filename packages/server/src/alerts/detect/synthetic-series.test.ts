import { describe, expect, it } from 'vitest';
import { createLocalSlotReader } from './local-slot.ts';
import { generateSyntheticSeries, type SyntheticSeriesOptions } from './synthetic-series.ts';

const HOUR_MS = 3_600_000;
const BASE: SyntheticSeriesOptions = {
  seed: 7,
  timeZone: 'Asia/Shanghai',
  start: Date.parse('2026-09-06T16:00:00Z'),
  bucketMs: HOUR_MS,
  buckets: 3 * 168,
  kind: 'count',
  level: 300,
  weekdayFactors: [0.4, 1, 1, 1, 1, 1, 0.45],
};

describe('generateSyntheticSeries', () => {
  it('gives the same series for the same seed, another for another seed', () => {
    const a = generateSyntheticSeries(BASE);
    expect(generateSyntheticSeries(BASE)).toEqual(a);
    expect(generateSyntheticSeries({ ...BASE, seed: 8 }).points).not.toEqual(a.points);
    expect(a.points.map((p) => p.at)).toEqual(
      Array.from({ length: 3 * 168 }, (_, i) => BASE.start + i * HOUR_MS),
    );
  });

  it('plants exactly what was asked, where it was asked, and labels only that', () => {
    const { points, labels } = generateSyntheticSeries({
      ...BASE,
      anomalies: { from: 168, spikes: 3, drops: 2, shifts: 1, shiftLength: 4, weekdayDips: 1 },
    });
    expect(labels.slice(0, 168).some(Boolean)).toBe(false);
    expect(labels.filter(Boolean)).toHaveLength(3 + 2 + 4 + 6);
    const read = createLocalSlotReader(BASE.timeZone);
    const dipStarts = points.filter((p, i) => {
      const slot = read(p.at);
      const weekdayTen = slot.weekday >= 1 && slot.weekday <= 5 && slot.msOfDay === 10 * HOUR_MS;
      return weekdayTen && labels.slice(i, i + 6).every(Boolean);
    });
    expect(dipStarts).toHaveLength(1);
  });

  it('leaves gaps unlabelled, and gives a rate series its volumes', () => {
    const { points, labels } = generateSyntheticSeries({
      ...BASE,
      kind: 'rate',
      level: 0.02,
      volume: 2000,
      lowVolumeRatio: 0.1,
      lowVolume: 5,
      missingRatio: 0.05,
      anomalies: { gaps: 2, gapLength: 5 },
    });
    expect(points.some((p) => p.value === null)).toBe(true);
    expect(labels.some(Boolean)).toBe(false);
    expect(new Set(points.map((p) => p.volume))).toEqual(new Set([2000, 5]));
    for (const p of points) if (p.value !== null) expect(p.value).toBeGreaterThanOrEqual(0);
  });
});

import { describe, expect, it } from 'vitest';
import {
  BASELINE_DEFAULTS,
  baselineOptionsSchema,
  resolveBaselineOptions,
} from './baseline-options.ts';

describe('baseline options', () => {
  it('fills every default', () => {
    expect(resolveBaselineOptions({ method: 'seasonal', timeZone: 'Asia/Shanghai' })).toEqual({
      method: 'seasonal',
      timeZone: 'Asia/Shanghai',
      sensitivity: 3,
      direction: 'both',
      seasons: 4,
      alpha: 0.3,
      varianceAlpha: 0.05,
      warmup: 12,
      minScaleRatio: 0.05,
      minVolume: 0,
    });
    expect(BASELINE_DEFAULTS.sensitivity).toBe(3);
  });

  it('accepts what a rule sends and rejects what would make no sense', () => {
    expect(
      baselineOptionsSchema.parse({ method: 'ewma', timeZone: 'UTC', alpha: 1, warmup: 2 }),
    ).toEqual({ method: 'ewma', timeZone: 'UTC', alpha: 1, warmup: 2 });
    for (const bad of [
      { method: 'holt', timeZone: 'UTC' },
      { method: 'seasonal', timeZone: 'Mars/Olympus_Mons' },
      { method: 'seasonal', timeZone: 'UTC', seasons: 1 },
      { method: 'seasonal', timeZone: 'UTC', seasons: 2.5 },
      { method: 'ewma', timeZone: 'UTC', alpha: 0 },
      { method: 'ewma', timeZone: 'UTC', varianceAlpha: 1.5 },
      { method: 'ewma', timeZone: 'UTC', sensitivity: -1 },
      { method: 'ewma', timeZone: 'UTC', minScaleRatio: -0.1 },
      { method: 'ewma', timeZone: 'UTC', extra: true },
    ])
      expect(baselineOptionsSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});

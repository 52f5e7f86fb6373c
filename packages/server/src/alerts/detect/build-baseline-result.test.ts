import { describe, expect, it } from 'vitest';
import { buildBaselineResult } from './build-baseline-result.ts';

const baseline = { expected: 100, scale: 10 };
const both = { sensitivity: 3, direction: 'both' } as const;

describe('buildBaselineResult', () => {
  it.each([
    // value, baseline, lowVolume, direction → reason, anomalous, direction, score
    [131, baseline, false, 'both', 'anomalous', true, 'up', 3.1],
    [130, baseline, false, 'both', 'ok', false, null, 3], // on the edge is inside
    [69, baseline, false, 'both', 'anomalous', true, 'down', -3.1],
    [69, baseline, false, 'up', 'ok', false, null, -3.1],
    [131, baseline, false, 'down', 'ok', false, null, 3.1],
    [131, baseline, true, 'both', 'low_volume', false, null, 3.1],
    [null, baseline, false, 'both', 'no_data', false, null, null],
    [Number.NaN, baseline, false, 'both', 'no_data', false, null, null],
    [131, null, false, 'both', 'insufficient_history', false, null, null],
    [131, null, true, 'both', 'low_volume', false, null, null],
    [null, null, true, 'both', 'no_data', false, null, null],
  ] as const)(
    'value %s, baseline %j, low volume %s, watching %s → %s',
    (value, base, lowVolume, direction, reason, anomalous, side, score) => {
      const result = buildBaselineResult({
        value,
        baseline: base,
        lowVolume,
        options: { sensitivity: 3, direction },
      });
      expect(result).toMatchObject({ reason, anomalous, direction: side });
      if (score === null) expect(result.score).toBeNull();
      else expect(result.score).toBeCloseTo(score, 12);
    },
  );

  it('draws the band whenever there is a baseline, also through gaps', () => {
    expect(buildBaselineResult({ value: null, baseline, lowVolume: false, options: both })).toEqual(
      {
        expected: 100,
        lower: 70,
        upper: 130,
        score: null,
        scale: 10,
        anomalous: false,
        direction: null,
        reason: 'no_data',
      },
    );
    expect(
      buildBaselineResult({ value: 5, baseline: null, lowVolume: false, options: both }),
    ).toMatchObject({ expected: null, lower: null, upper: null, scale: null });
  });
});

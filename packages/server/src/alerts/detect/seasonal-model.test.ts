import { describe, expect, it } from 'vitest';
import type { SeriesPoint } from './baseline-types.ts';
import { scoreAgainstBaseline } from './score-against-baseline.ts';
import { scoreSeries } from './score-series.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const at = (iso: string) => Date.parse(iso);
const SHANGHAI = { method: 'seasonal', timeZone: 'Asia/Shanghai' } as const;

/** Hand-computed decimals meet floating point: numbers to 9 places, everything else exactly. */
function expectResult(actual: object, expected: Record<string, unknown>) {
  for (const [key, value] of Object.entries(expected)) {
    const got = (actual as Record<string, unknown>)[key];
    if (typeof value === 'number' && typeof got === 'number')
      expect(got, key).toBeCloseTo(value, 9);
    else expect(got, key).toEqual(value);
  }
}
const NEW_YORK = { method: 'seasonal', timeZone: 'America/New_York' } as const;

describe('seasonal baseline, by hand', () => {
  // Monday 10:00 in Shanghai is 02:00 UTC.
  const threeMondays: SeriesPoint[] = [
    { at: at('2026-11-16T02:00:00Z'), value: 100 },
    { at: at('2026-11-02T02:00:00Z'), value: 90 },
    { at: at('2026-11-09T02:00:00Z'), value: 110 },
  ];
  const target = at('2026-11-23T02:00:00Z');

  it('three past Mondays: median 100, scale 1.4826·MAD = 14.826', () => {
    // Weekly values 100 110 90 → median 100, |deviations| 0 10 10 → MAD 10.
    // Forecast errors: only 11-16 has two earlier weeks (median(110, 90) = 100, error 0).
    // Scale = max(14.826, 1.4826·0, 5% of 100) = 14.826; score = 50 / 14.826.
    const result = scoreAgainstBaseline(threeMondays, { at: target, value: 150 }, SHANGHAI);
    expectResult(result, {
      expected: 100,
      lower: 100 - 3 * 14.826,
      upper: 100 + 3 * 14.826,
      score: 50 / 14.826,
      scale: 14.826,
      anomalous: true,
      direction: 'up',
      reason: 'anomalous',
    });
    expect(result.score).toBeCloseTo(3.372454, 6);
  });

  it('stays quiet inside the band and on the side it does not watch', () => {
    expectResult(scoreAgainstBaseline(threeMondays, { at: target, value: 140 }, SHANGHAI), {
      anomalous: false,
      reason: 'ok',
      score: 40 / 14.826,
    });
    const downOnly = { ...SHANGHAI, direction: 'down' } as const;
    expect(scoreAgainstBaseline(threeMondays, { at: target, value: 150 }, downOnly)).toMatchObject({
      anomalous: false,
      direction: null,
      reason: 'ok',
    });
    expect(scoreAgainstBaseline(threeMondays, { at: target, value: 50 }, downOnly)).toMatchObject({
      anomalous: true,
      direction: 'down',
    });
  });

  it('takes the scale from recent forecast errors when the slot itself looks calm', () => {
    // Daily buckets at local midnight (16:00 UTC the day before), Monday 2026-11-02 first.
    // Days 0–13 are 100; days 14–20 are 100 + [4, −4, 8, −8, 2, 0, 6].
    const bumps = [4, -4, 8, -8, 2, 0, 6];
    const start = at('2026-11-01T16:00:00Z');
    const history = Array.from({ length: 21 }, (_, day) => ({
      at: start + day * DAY_MS,
      value: 100 + (day >= 14 ? (bumps[day - 14] ?? 0) : 0),
    }));
    // Target: Monday day 21. Weekly values 104 100 100 → median 100, MAD 0.
    // Days 14–20 were forecast as median(100, 100) = 100: |errors| 4 4 8 8 2 0 6, median 4.
    // Scale = max(0, 1.4826·4 = 5.9304, 5% of 100 = 5) = 5.9304.
    const result = scoreAgainstBaseline(history, { at: start + 21 * DAY_MS, value: 118 }, SHANGHAI);
    expect(result.expected).toBe(100);
    expectResult(result, { scale: 5.9304, score: 18 / 5.9304 });
    expect(result.anomalous).toBe(true);
    const calm = scoreAgainstBaseline(history, { at: start + 21 * DAY_MS, value: 117 }, SHANGHAI);
    expect(calm).toMatchObject({ anomalous: false, reason: 'ok' });
  });

  it('floors the scale of a flat history at 5% of the expected value', () => {
    const flat = threeMondays.map((p) => ({ ...p, value: 100 }));
    const result = scoreAgainstBaseline(flat, { at: target, value: 116 }, SHANGHAI);
    expect(result).toMatchObject({ expected: 100, scale: 5, score: 3.2, anomalous: true });
    expect(scoreAgainstBaseline(flat, { at: target, value: 114 }, SHANGHAI).anomalous).toBe(false);
    const unfloored = { ...SHANGHAI, minScaleRatio: 0 };
    expect(scoreAgainstBaseline(flat, { at: target, value: 100.5 }, unfloored)).toMatchObject({
      scale: 1e-9,
      anomalous: true,
    });
  });

  it('needs two of the past `seasons` weeks, and reports missing data as such', () => {
    const [first, second] = threeMondays as [SeriesPoint, SeriesPoint];
    expect(scoreAgainstBaseline([first], { at: target, value: 100 }, SHANGHAI).reason).toBe(
      'insufficient_history',
    );
    // 11-02 is three weeks back: outside `seasons: 2`.
    const twoSeasons = { ...SHANGHAI, seasons: 2 };
    expect(
      scoreAgainstBaseline([first, second], { at: target, value: 100 }, twoSeasons).reason,
    ).toBe('insufficient_history');
    expect(scoreAgainstBaseline(threeMondays, { at: target, value: null }, SHANGHAI)).toMatchObject(
      { reason: 'no_data', expected: 100, score: null, anomalous: false },
    );
  });

  it('ignores history at or after the point, nulls and NaN', () => {
    const noisy: SeriesPoint[] = [
      ...threeMondays,
      { at: at('2026-10-26T02:00:00Z'), value: null },
      { at: at('2026-10-19T02:00:00Z'), value: Number.NaN },
      { at: target, value: 1_000 },
      { at: at('2026-11-30T02:00:00Z'), value: 1_000 },
    ];
    expect(scoreAgainstBaseline(noisy, { at: target, value: 150 }, SHANGHAI)).toEqual(
      scoreAgainstBaseline(threeMondays, { at: target, value: 150 }, SHANGHAI),
    );
  });
});

describe('seasonal slots are local', () => {
  it('Shanghai: Monday 00:30 local is Sunday 16:30 UTC, and UTC Mondays are ignored', () => {
    const history: SeriesPoint[] = [];
    for (const [day, value] of [
      ['02', 50],
      ['09', 60],
      ['16', 55],
    ] as const) {
      history.push({ at: at(`2026-11-${day}T00:30:00Z`), value: 500 }); // Monday 08:30 local
      history.push({ at: at(`2026-11-${day}T00:30:00Z`) - 8 * HOUR_MS, value }); // Monday 00:30
    }
    const result = scoreAgainstBaseline(
      history,
      { at: at('2026-11-22T16:30:00Z'), value: 55 },
      SHANGHAI,
    );
    expect(result).toMatchObject({ expected: 55, score: 0, reason: 'ok' });
  });

  it('New York: Monday 09:00 after the spring change is compared with Mondays 09:00 before it', () => {
    // Hourly, value = 100 + 10 × the local hour, three weeks before DST starts (2026-03-08).
    const localHour = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      hour: 'numeric',
      hourCycle: 'h23',
    });
    const start = at('2026-02-16T05:00:00Z');
    const end = at('2026-03-09T13:00:00Z'); // Monday 09:00 EDT
    const series: SeriesPoint[] = [];
    for (let t = start; t < end; t += HOUR_MS)
      series.push({ at: t, value: 100 + 10 * Number(localHour.format(t)) });
    const result = scoreAgainstBaseline(series, { at: end, value: 190 }, NEW_YORK);
    // The same instant a week earlier (2026-03-02T13:00Z) was 08:00 EST, worth 180.
    expect(series.find((p) => p.at === end - 7 * DAY_MS)?.value).toBe(180);
    expect(result).toMatchObject({ expected: 190, score: 0, reason: 'ok' });
    // Every point after the change is forecast exactly: the whole day scores 0.
    const day = scoreSeries(
      [...series, ...Array.from({ length: 24 }, (_, h) => ({ at: end + h * HOUR_MS, value: 0 }))],
      NEW_YORK,
    );
    const afterChange = day.slice(series.findIndex((p) => p.at >= at('2026-03-08T07:00:00Z')));
    for (const r of afterChange.slice(0, -24)) expect(r.score).toBe(0);
  });

  it('New York: the hour repeated when DST ends counts once, as the mean of its two values', () => {
    const history: SeriesPoint[] = [
      { at: at('2026-10-18T05:00:00Z'), value: 24 }, // Sunday 01:00 EDT
      { at: at('2026-10-25T05:00:00Z'), value: 16 },
      { at: at('2026-11-01T05:00:00Z'), value: 10 }, // 01:00 EDT
      { at: at('2026-11-01T06:00:00Z'), value: 30 }, // 01:00 EST, the same wall clock
    ];
    // Weekly values: 20 (mean of 10 and 30), 16, 24 → median 20, MAD 4 → 5.9304.
    // Both 11-01 points were forecast as median(16, 24) = 20: |errors| 10 10 → 14.826.
    const result = scoreAgainstBaseline(
      history,
      { at: at('2026-11-08T06:00:00Z'), value: 20 },
      NEW_YORK,
    );
    expectResult(result, { expected: 20, scale: 14.826, score: 0 });
    // The second 01:00 is not compared with the first one of the same night.
    const second = scoreAgainstBaseline(history.slice(0, 3), history[3] as SeriesPoint, NEW_YORK);
    expect(second.expected).toBe(20);
  });
});

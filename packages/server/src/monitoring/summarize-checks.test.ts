import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getPercentile, summarizeChecks } from './summarize-checks.ts';

const WINDOW = { from: 1_000, to: 2_000 };

/** The definition itself: the smallest value with at least p% of all values at or below it. */
function naivePercentile(values: readonly number[], percent: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.find(
    (candidate) => sorted.filter((v) => v <= candidate).length * 100 >= percent * sorted.length,
  ) as number;
}

describe('summarizeChecks', () => {
  it('counts degraded as available and leaves down out of latency', () => {
    const checks = [
      { status: 'up', latencyMs: 40 },
      { status: 'up', latencyMs: 10 },
      { status: 'degraded', latencyMs: 900 },
      { status: 'down', latencyMs: 10_000 },
      { status: 'up', latencyMs: 20 },
      { status: 'up', latencyMs: 30 },
      { status: 'down', latencyMs: 3 },
    ] as const;
    expect(summarizeChecks(checks, WINDOW)).toEqual({
      from: 1_000,
      to: 2_000,
      checks: 7,
      up: 4,
      degraded: 1,
      down: 2,
      uptimePct: 71.43, // 5 / 7
      // Answered: 10 20 30 40 900 → p50 is the 3rd, p95 and p99 the 5th.
      latency: { p50: 30, p95: 900, p99: 900, max: 900 },
    });
  });

  it('has no uptime or latency without checks, and no latency when all were down', () => {
    expect(summarizeChecks([], WINDOW)).toMatchObject({
      checks: 0,
      uptimePct: null,
      latency: null,
    });
    expect(summarizeChecks([{ status: 'down', latencyMs: 5 }], WINDOW)).toMatchObject({
      uptimePct: 0,
      latency: null,
    });
  });

  it('takes nearest-rank percentiles', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([50, 95, 99, 100, 1].map((p) => getPercentile(hundred, p))).toEqual([
      50, 95, 99, 100, 1,
    ]);
    expect(getPercentile([7], 50)).toBe(7);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60_000 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 100 }),
        (values, percent) => {
          const sorted = [...values].sort((a, b) => a - b);
          expect(getPercentile(sorted, percent)).toBe(naivePercentile(values, percent));
        },
      ),
    );
  });
});

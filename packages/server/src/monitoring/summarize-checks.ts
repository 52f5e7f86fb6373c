import type { ProbeStatus } from './probe-schemas.ts';
import type { UptimeSummary } from './target-schemas.ts';

/** Nearest-rank percentile of ascending values: the smallest value with p% at or below it. */
export function getPercentile(sortedAscending: readonly number[], percent: number): number {
  if (sortedAscending.length === 0) return NaN;
  // percent × n first: (7 / 100) × 100 is 7.000000000000001 in floating point.
  const rank = Math.max(1, Math.ceil((percent * sortedAscending.length) / 100));
  return sortedAscending[Math.min(rank, sortedAscending.length) - 1] as number;
}

/**
 * Uptime and latency of a window's checks. Degraded counts as available (it answered, slowly or
 * refusing us); only down counts against uptime. Latency leaves out down checks, whose time is
 * a timeout or a refusal rather than the service's speed.
 */
export function summarizeChecks(
  checks: ReadonlyArray<{ status: ProbeStatus; latencyMs: number }>,
  window: { from: number; to: number },
): UptimeSummary {
  const counts = { up: 0, degraded: 0, down: 0 };
  const answered: number[] = [];
  for (const check of checks) {
    counts[check.status] += 1;
    if (check.status !== 'down') answered.push(check.latencyMs);
  }
  answered.sort((a, b) => a - b);
  const total = checks.length;
  return {
    from: window.from,
    to: window.to,
    checks: total,
    ...counts,
    uptimePct:
      total === 0 ? null : Math.round(((counts.up + counts.degraded) / total) * 10_000) / 100,
    latency:
      answered.length === 0
        ? null
        : {
            p50: getPercentile(answered, 50),
            p95: getPercentile(answered, 95),
            p99: getPercentile(answered, 99),
            max: answered[answered.length - 1] as number,
          },
  };
}

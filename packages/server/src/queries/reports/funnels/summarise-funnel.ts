import { OTHER_GROUP } from '../../series/aggregate-sql.ts';
import { HISTOGRAM_BOUNDS_SECONDS, type StepResult } from './funnel-params.ts';
import type { Attempt } from './walk-funnel.ts';

interface StepTally {
  count: number;
  revenue: number;
  /** Seconds from the previous step done, one per attempt that did this step. */
  seconds: number[];
}

/** Counts, revenue and conversion times per step, for all attempts of one group. */
export type FunnelTally = StepTally[];

/** A funnel's tallies: all attempts, and per breakdown value (null: attempts without one). */
export interface FunnelTallies {
  overall: FunnelTally;
  groups: Map<string | null, FunnelTally>;
}

export function createTally(steps: number): FunnelTally {
  return Array.from({ length: steps }, () => ({ count: 0, revenue: 0, seconds: [] }));
}

/**
 * Adds an attempt. A step's time to convert runs from the moment the steps before it (those the
 * attempt did) were all done to the moment it was: in ordered funnels simply from the previous
 * step's event; in any-order funnels never negative.
 */
export function addAttempt(tally: FunnelTally, attempt: Attempt): void {
  let doneAt: number | null = null;
  attempt.steps.forEach((step, k) => {
    if (!step) return;
    const slot = tally[k] as StepTally;
    slot.count += 1;
    slot.revenue += step.amount;
    const now = doneAt === null ? step.t : Math.max(doneAt, step.t);
    if (doneAt !== null) slot.seconds.push((now - doneAt) / 1000);
    doneAt = now;
  });
}

/** Adds one tally's attempts to another's. */
export function mergeInto(target: FunnelTally, source: FunnelTally): void {
  source.forEach((slot, k) => {
    const into = target[k] as StepTally;
    into.count += slot.count;
    into.revenue += slot.revenue;
    for (const s of slot.seconds) into.seconds.push(s);
  });
}

function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function histogram(seconds: readonly number[]): number[] {
  const bins = new Array<number>(HISTOGRAM_BOUNDS_SECONDS.length + 1).fill(0);
  for (const s of seconds) {
    let bin = 0;
    while (bin < HISTOGRAM_BOUNDS_SECONDS.length && s >= (HISTOGRAM_BOUNDS_SECONDS[bin] as number))
      bin += 1;
    bins[bin] = (bins[bin] as number) + 1;
  }
  return bins;
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

/** The per-step rows of one group, and its overall conversion (last step / first step). */
export function shapeSteps(
  tally: FunnelTally,
  labels: readonly string[],
  required: readonly boolean[],
): { steps: StepResult[]; overallConversion: number | null } {
  const first = tally[0]?.count ?? 0;
  let previousRequired = first;
  const steps = tally.map((slot, k): StepResult => {
    const sorted = [...slot.seconds].sort((a, b) => a - b);
    const sum = sorted.reduce((total, s) => total + s, 0);
    const row: StepResult = {
      step: k + 1,
      label: labels[k] ?? '',
      optional: !required[k],
      count: slot.count,
      conversionFromFirst: ratio(slot.count, first),
      conversionFromPrevious: k === 0 ? null : ratio(slot.count, previousRequired),
      dropOff: k === 0 ? null : previousRequired - slot.count,
      medianSecondsToConvert: k === 0 ? null : median(sorted),
      avgSecondsToConvert: k === 0 || sorted.length === 0 ? null : sum / sorted.length,
      timeToConvertHistogram: k === 0 ? null : histogram(sorted),
      revenue: slot.revenue,
    };
    if (required[k]) previousRequired = slot.count;
    return row;
  });
  return { steps, overallConversion: ratio(tally[tally.length - 1]?.count ?? 0, first) };
}

/**
 * Breakdown groups as shown: the `limit` values with the most first-step counts (ties by value),
 * then OTHER_GROUP with every other value and attempts without one.
 */
export function rankGroups(
  groups: ReadonlyMap<string | null, FunnelTally>,
  limit: number,
  steps: number,
): Array<{ key: string; tally: FunnelTally }> {
  const ranked = [...groups]
    .filter((entry): entry is [string, FunnelTally] => entry[0] !== null)
    .sort(([ka, a], [kb, b]) => (b[0]?.count ?? 0) - (a[0]?.count ?? 0) || (ka < kb ? -1 : 1));
  const kept = ranked.slice(0, limit).map(([key, tally]) => ({ key, tally }));
  const rest = ranked.slice(limit).map(([, tally]) => tally);
  const none = groups.get(null);
  if (none) rest.push(none);
  if (rest.length === 0) return kept;
  const other = createTally(steps);
  for (const tally of rest) mergeInto(other, tally);
  return [...kept, { key: OTHER_GROUP, tally: other }];
}

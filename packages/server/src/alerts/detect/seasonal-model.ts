import type { Baseline } from './baseline-types.ts';
import type { LocalSlot } from './local-slot.ts';
import { MAD_TO_SIGMA, mad } from './mad.ts';
import { median } from './median.ts';
import { floorScale } from './scale-floor.ts';

/** A usable history point placed on the local calendar. */
export interface SeasonalPoint extends LocalSlot {
  value: number;
}

export interface SeasonalModelOptions {
  /** Past weeks of the same slot to look at. */
  seasons: number;
  minScaleRatio: number;
}

export interface SeasonalModel {
  /** The baseline of a slot from the model's points on earlier local days; null if too few. */
  baselineAt(slot: LocalSlot): Baseline | null;
}

/** Fewer past weeks than this and the median is one week's noise. */
const MIN_SEASONS_PRESENT = 2;
/** The forecast errors of this many latest history points are candidates for the scale… */
const RECENT_POINTS = 336;
/** …of which those of the points whose expected value was nearest to the target's are used. */
const NEAREST_ERRORS = 48;

interface SlotEstimate {
  expected: number;
  /** 1.4826 · MAD of the weekly values. */
  spread: number;
}

/**
 * Seasonal-naive baseline with a robust scale.
 *
 * Expected: the median of the same local weekday and wall-clock time in the previous `seasons`
 * weeks (at least 2 present). Scale: the larger of
 *   (a) 1.4826·MAD of those weekly values, and
 *   (b) 1.4826·median |forecast error| of the 48 points, among the latest 336 before the target,
 *       whose own seasonal expectation was nearest to the target's;
 * then floored (`floorScale`). A forecast error is a point's value minus its seasonal expectation.
 *
 * Why: (a) rests on 2–4 values and is near 0 by chance often enough to page on noise. (b) is the
 * error this forecast actually made recently, on 48 values; taking points of a similar level
 * rather than all of them gives quiet nights and busy noons each their own spread (counts are
 * noisier when larger); taking them rather than only the same hour on past days (14 values) cut
 * the false alarms on the synthetic orders series from 35 to 12. The larger of the two keeps the
 * band honest when either is unlucky, and a slot genuinely more volatile than its neighbours still
 * widens it. (b) is measured around 0, not around the errors' median: a bias of the
 * forecast (growth since the past weeks) is error too, and belongs in the band.
 */
export function createSeasonalModel(
  /** Sorted by time. */
  points: readonly SeasonalPoint[],
  options: SeasonalModelOptions,
): SeasonalModel {
  const bySlot = new Map<number, SeasonalPoint[]>();
  for (const p of points) {
    const group = bySlot.get(p.weekKey);
    if (group) group.push(p);
    else bySlot.set(p.weekKey, [p]);
  }
  const required = Math.min(MIN_SEASONS_PRESENT, options.seasons);
  // Each point's own seasonal expectation, computed once: NaN = none, `known` says computed.
  const forecasts = new Float64Array(points.length);
  const known = new Uint8Array(points.length);
  // Scratch buffers reused by every call (scoring 50k minute buckets must not allocate per point).
  const distances = new Float64Array(RECENT_POINTS);
  const errors = new Float64Array(RECENT_POINTS);

  const estimateSlot = (slot: LocalSlot): SlotEstimate | null => {
    // Several points of one week in a slot (the repeated hour when DST ends) count as their mean.
    const weeks = new Map<number, { sum: number; count: number }>();
    for (const p of bySlot.get(slot.weekKey) ?? []) {
      const days = slot.day - p.day;
      if (days <= 0 || days > 7 * options.seasons) continue;
      const week = weeks.get(days) ?? { sum: 0, count: 0 };
      week.sum += p.value;
      week.count += 1;
      weeks.set(days, week);
    }
    if (weeks.size < required) return null;
    const weekly = [...weeks.values()].map((w) => w.sum / w.count);
    return { expected: median(weekly), spread: MAD_TO_SIGMA * mad(weekly) };
  };

  const forecastOf = (index: number): number => {
    if (!known[index]) {
      forecasts[index] = estimateSlot(points[index] as SeasonalPoint)?.expected ?? Number.NaN;
      known[index] = 1;
    }
    return forecasts[index] as number;
  };

  /** 1.4826 · median |error| of the recent points forecast most like this one (0 if none). */
  const typicalErrorNear = (at: number, expected: number): number => {
    const end = countBefore(points, at);
    let count = 0;
    for (let i = Math.max(0, end - RECENT_POINTS); i < end; i += 1) {
      const forecast = forecastOf(i);
      if (Number.isNaN(forecast)) continue;
      distances[count] = Math.abs(forecast - expected);
      errors[count] = Math.abs((points[i] as SeasonalPoint).value - forecast);
      count += 1;
    }
    if (count === 0) return 0;
    // Every point as near as the 48th nearest counts, so ties never depend on order.
    const cutoff = selectSmallest(distances.slice(0, count), Math.min(NEAREST_ERRORS, count));
    let kept = 0;
    for (let i = 0; i < count; i += 1)
      if ((distances[i] as number) <= cutoff) errors[kept++] = errors[i] as number;
    return MAD_TO_SIGMA * median(errors.subarray(0, kept));
  };

  return {
    baselineAt(slot) {
      const estimate = estimateSlot(slot);
      if (!estimate) return null;
      const spread = Math.max(estimate.spread, typicalErrorNear(slot.at, estimate.expected));
      return {
        expected: estimate.expected,
        scale: floorScale(spread, estimate.expected, options.minScaleRatio),
      };
    },
  };
}

/** How many of the points (sorted by time) are strictly before `at`. */
function countBefore(points: readonly SeasonalPoint[], at: number): number {
  let low = 0;
  let high = points.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((points[mid] as SeasonalPoint).at < at) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The k-th smallest value (1-based), by quickselect in place: O(n) where sorting was the cost. */
function selectSmallest(a: Float64Array, k: number): number {
  let low = 0;
  let high = a.length - 1;
  const target = k - 1;
  while (low < high) {
    const pivot = a[(low + high) >> 1] as number;
    let i = low;
    let j = high;
    while (i <= j) {
      while ((a[i] as number) < pivot) i += 1;
      while ((a[j] as number) > pivot) j -= 1;
      if (i <= j) {
        const swap = a[i] as number;
        a[i] = a[j] as number;
        a[j] = swap;
        i += 1;
        j -= 1;
      }
    }
    if (target <= j) high = j;
    else if (target >= i) low = i;
    else break;
  }
  return a[target] as number;
}

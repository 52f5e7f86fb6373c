import type { SegmentContribution } from './decompose-change.ts';

/** The breakdown's group of values outside its top N (the query layer's OTHER_GROUP). */
export const OTHER_SEGMENT = '$other';
/** Rows without a value for the dimension. */
export const NO_VALUE_SEGMENT = '$none';

/** A driver must explain at least this part of the change (Adtributor's per-element bar). */
export const MIN_DRIVER_SHARE = 0.1;
/**
 * …and at least this much more than its size predicts (its weight): a segment that only moved
 * with everything else is not a cause, however big it is.
 */
export const MIN_EXCESS_SHARE = 0.05;
/** What one more driver costs in explained share: a second name must add more than this. */
export const EXTRA_DRIVER_COST = 0.15;

export interface DimensionContributions {
  dimension: string;
  items: readonly SegmentContribution[];
}

export interface DriverChoice {
  /** Null when no dimension has a segment that explains the change. */
  dimension: string | null;
  /** Largest contribution first. */
  drivers: SegmentContribution[];
  /** min(1, Σ driver shares) − EXTRA_DRIVER_COST × (drivers − 1); 0 without drivers. */
  score: number;
}

interface Scored extends DriverChoice {
  dimension: string;
  /** Σ (share − weight) of the drivers: how surprising they are, the tie-breaker. */
  excess: number;
  order: number;
}

/** Segments that may be named: same direction as the change, big enough, out of proportion. */
function listCandidates(items: readonly SegmentContribution[]): SegmentContribution[] {
  return items
    .filter(
      (item) =>
        // "The rest" and "(not set)" are not causes anyone can act on: rows without an agent,
        // say, only mean the change is not about agents.
        item.segment !== OTHER_SEGMENT &&
        item.segment !== NO_VALUE_SEGMENT &&
        item.share >= MIN_DRIVER_SHARE &&
        item.share - item.weight >= MIN_EXCESS_SHARE,
    )
    .sort((a, b) => b.share - a.share || a.segment.localeCompare(b.segment));
}

function scoreDimension(
  entry: DimensionContributions,
  order: number,
  maxDrivers: number,
): Scored | null {
  // A dimension with one value explains nothing: everything is in that value.
  const present = entry.items.filter((item) => item.current || item.previous);
  if (present.length < 2) return null;
  const candidates = listCandidates(entry.items).slice(0, maxDrivers);
  let best: Scored | null = null;
  let covered = 0;
  let excess = 0;
  for (const [i, item] of candidates.entries()) {
    covered += item.share;
    excess += item.share - item.weight;
    const score = Math.min(1, covered) - EXTRA_DRIVER_COST * i;
    // Strictly better only: on a tie the fewer drivers win.
    if (!best || score > best.score)
      best = {
        dimension: entry.dimension,
        drivers: candidates.slice(0, i + 1),
        score,
        excess,
        order,
      };
  }
  return best;
}

/**
 * Picks the dimension that explains the change best, Adtributor-style (Bhagwan et al., NSDI
 * 2014): explanatory power (the drivers' share of the change), surprise (only segments that
 * changed out of proportion to their size qualify) and succinctness (each extra driver costs
 * EXTRA_DRIVER_COST). Within a dimension the drivers are the prefix of its candidates, largest
 * share first, with the best score; across dimensions the best score wins, then the larger
 * excess over the segments' weights, then fewer drivers, then the order given.
 */
export function chooseDrivers(
  dimensions: readonly DimensionContributions[],
  options: { maxDrivers: number },
): DriverChoice {
  const scored = dimensions
    .map((entry, order) => scoreDimension(entry, order, options.maxDrivers))
    .filter((entry): entry is Scored => entry !== null)
    .sort(
      (a, b) =>
        b.score - a.score ||
        b.excess - a.excess ||
        a.drivers.length - b.drivers.length ||
        a.order - b.order,
    );
  const best = scored[0];
  if (!best) return { dimension: null, drivers: [], score: 0 };
  return { dimension: best.dimension, drivers: best.drivers, score: best.score };
}

/**
 * Contribution analysis: how much of a metric's change between two periods each segment of one
 * dimension accounts for. Pure; the numbers come from the query layer (explain-change.ts).
 */

export interface ValuePair {
  current: number | null;
  previous: number | null;
}

/** A segment of an additive or distinct-count metric: its own value in each period. */
export interface ValueSegment extends ValuePair {
  segment: string;
}

/** A segment of a ratio metric: its numerator and denominator in each period. */
export interface RatioSegment {
  segment: string;
  numerator: ValuePair;
  denominator: ValuePair;
}

/**
 * - `additive`: sums and counts; the segments add up to the total.
 * - `ratio`: N / D of two additive metrics (AOV = GMV / orders).
 * - `distinct`: values that do not add up across segments. A distinct count (DAU, paying users)
 *   counts someone in two channels once in the total and once in each channel, so the segment
 *   changes add up to more (or less) than the total change. They are treated as additive and
 *   scaled to the total change, which keeps each segment's part proportional to its own change
 *   and the shares summing to 1; it is an approximation, exact only when no one is in two
 *   segments. The caller gives the total (`total`), as the query layer counts it.
 */
export type DecomposeInput =
  | { kind: 'additive'; segments: readonly ValueSegment[]; total?: ValuePair | undefined }
  | { kind: 'distinct'; segments: readonly ValueSegment[]; total: ValuePair }
  | { kind: 'ratio'; segments: readonly RatioSegment[]; total?: ValuePair | undefined };

export interface SegmentContribution {
  segment: string;
  /** The segment's value (for ratios its own N / D; null when D = 0). */
  current: number | null;
  previous: number | null;
  /** The segment's part of the total change, in the metric's unit. */
  contribution: number;
  /** contribution / total change; 0 when the total did not change or has no value. */
  share: number;
  /**
   * The segment's part of the previous value (of the numerator for ratios): the share of the
   * change it would have if every segment moved alike. A share well above it marks a cause.
   */
  weight: number;
}

export interface DecomposeResult extends ValuePair {
  change: number | null;
  /** In the order of the input segments. */
  items: SegmentContribution[];
}

interface RawDecomposition extends ValuePair {
  items: SegmentContribution[];
}

const sumOf = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0);

/** Each segment's share of a total, by its positive part; all zero when nothing is positive. */
function getWeights(values: readonly number[]): number[] {
  const positive = values.map((value) => Math.max(0, value));
  const total = sumOf(positive);
  return positive.map((value) => (total > 0 ? value / total : 0));
}

function decomposeSum(segments: readonly ValueSegment[]): RawDecomposition {
  const current = segments.map((s) => s.current ?? 0);
  const previous = segments.map((s) => s.previous ?? 0);
  const weights = sumOf(previous) > 0 ? getWeights(previous) : getWeights(current);
  return {
    current: sumOf(current),
    previous: sumOf(previous),
    items: segments.map((s, i) => ({
      segment: s.segment,
      current: s.current,
      previous: s.previous,
      contribution: (current[i] ?? 0) - (previous[i] ?? 0),
      share: 0,
      weight: weights[i] ?? 0,
    })),
  };
}

/**
 * contribution_i = ((N_ci − N_pi) − r_p·(D_ci − D_pi)) / D_c with r_p = N_p / D_p: the segments
 * sum to N_c/D_c − N_p/D_p exactly, and a segment answers both for its own rate and for the
 * weight it gained or lost (mix shift). A segment missing on one side has N = D = 0 there.
 */
function decomposeRatio(segments: readonly RatioSegment[]): RawDecomposition {
  const part = (pair: ValuePair) => ({ c: pair.current ?? 0, p: pair.previous ?? 0 });
  const parts = segments.map((s) => ({ n: part(s.numerator), d: part(s.denominator) }));
  const n = { c: sumOf(parts.map((x) => x.n.c)), p: sumOf(parts.map((x) => x.n.p)) };
  const d = { c: sumOf(parts.map((x) => x.d.c)), p: sumOf(parts.map((x) => x.d.p)) };
  const current = d.c === 0 ? null : n.c / d.c;
  const previous = d.p === 0 ? null : n.p / d.p;
  const weights =
    n.p > 0 ? getWeights(parts.map((x) => x.n.p)) : getWeights(parts.map((x) => x.n.c));
  return {
    current,
    previous,
    items: segments.map((s, i) => {
      const x = parts[i] ?? { n: { c: 0, p: 0 }, d: { c: 0, p: 0 } };
      const contribution =
        previous === null || d.c === 0 ? 0 : (x.n.c - x.n.p - previous * (x.d.c - x.d.p)) / d.c;
      return {
        segment: s.segment,
        current: x.d.c === 0 ? null : x.n.c / x.d.c,
        previous: x.d.p === 0 ? null : x.n.p / x.d.p,
        contribution,
        share: 0,
        weight: weights[i] ?? 0,
      };
    }),
  };
}

/**
 * Splits the change of a metric between two periods across the segments of one dimension.
 * With `total` given, the change is total.current − total.previous and the segments' parts are
 * scaled to it (a no-op when the segments already add up to it, as sums and counts do).
 */
export function decomposeChange(input: DecomposeInput): DecomposeResult {
  const raw =
    input.kind === 'ratio' ? decomposeRatio(input.segments) : decomposeSum(input.segments);
  const total = input.total ?? { current: raw.current, previous: raw.previous };
  const change =
    total.current === null || total.previous === null ? null : total.current - total.previous;
  const implied = raw.current === null || raw.previous === null ? null : raw.current - raw.previous;
  // Segments whose changes cancel out cannot be scaled to a change: they explain none of it.
  const scale =
    change === null || implied === null
      ? 0
      : implied === change
        ? 1
        : implied === 0
          ? 0
          : change / implied;
  return {
    current: total.current,
    previous: total.previous,
    change,
    items: raw.items.map((item) => {
      const contribution = item.contribution * scale;
      return { ...item, contribution, share: change ? contribution / change : 0 };
    }),
  };
}

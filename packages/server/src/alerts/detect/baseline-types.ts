/** One bucket of a metric's series. */
export interface SeriesPoint {
  /** Epoch ms of the bucket's start. */
  at: number;
  /** The metric's value; null = no data (NaN and ±Infinity are treated the same way). */
  value: number | null;
  /**
   * The count behind the value (a ratio's denominator, the requests behind a latency). Only read
   * when `minVolume` is set; absent or null = enough volume.
   */
  volume?: number | null;
}

export type BaselineMethod = 'seasonal' | 'ewma';

export interface BaselineOptions {
  method: BaselineMethod;
  /** How many robust standard deviations count as anomalous; default 3. */
  sensitivity?: number;
  /** Which side of the band alerts; default 'both'. */
  direction?: 'up' | 'down' | 'both';
  /** Hour-of-week slots are local to this IANA zone (DST-safe via Intl). */
  timeZone: string;
  /** seasonal: how many past weeks of the same local slot to use (default 4; 2 must be present). */
  seasons?: number;
  /** ewma: smoothing factor of the mean, 0 < alpha <= 1 (default 0.3). */
  alpha?: number;
  /**
   * ewma: smoothing factor of the variance of one-step errors, 0 < varianceAlpha <= 1
   * (default 0.05). Slower than `alpha`: a spread from ~6 points (0.3) jitters and gave 5× the
   * false flags on the synthetic error rate.
   */
  varianceAlpha?: number;
  /**
   * ewma: how many points seed the state (median/MAD), and how many anomalous points in a row
   * reseed it (default 12).
   */
  warmup?: number;
  /**
   * Floor of the scale as a share of |expected| (never below 1e-9), so a flat history does not
   * page on every wiggle (default 0.05).
   */
  minScaleRatio?: number;
  /** Points whose `volume` is below this are neither scored nor learned from (default 0 = off). */
  minVolume?: number;
}

export type BaselineReason =
  | 'ok'
  | 'anomalous'
  | 'insufficient_history'
  | 'no_data'
  /** The point's volume is below `minVolume`: scored for display, never anomalous. */
  | 'low_volume';

export interface BaselineResult {
  expected: number | null;
  lower: number | null;
  upper: number | null;
  /** Robust z: (value - expected) / scale. */
  score: number | null;
  /** The robust standard deviation the score divides by; never 0 when present. */
  scale: number | null;
  anomalous: boolean;
  /** The side of the band the value left, when anomalous. */
  direction: 'up' | 'down' | null;
  reason: BaselineReason;
}

/** A baseline for one point: what was expected and how far from it is normal. */
export interface Baseline {
  expected: number;
  /** Already floored (see `floorScale`), so > 0. */
  scale: number;
}

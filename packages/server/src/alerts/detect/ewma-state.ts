import type { Baseline } from './baseline-types.ts';
import { MAD_TO_SIGMA, mad } from './mad.ts';
import { median } from './median.ts';
import { floorScale } from './scale-floor.ts';

export interface EwmaStateOptions {
  alpha: number;
  varianceAlpha: number;
  warmup: number;
  sensitivity: number;
  minScaleRatio: number;
}

export interface EwmaState {
  /** The baseline for the next point; null until `warmup` points were seen. */
  baseline(): Baseline | null;
  /** Learns from the next point in time order. */
  update(value: number): void;
}

/** Within this many scales of the mean a point always feeds the state, whatever the sensitivity. */
const MIN_GATE = 3;

/**
 * Exponentially weighted mean and variance of one-step forecast errors:
 *   error = x − mean;  mean += alpha·error;
 *   variance = (1 − varianceAlpha)·variance + varianceAlpha·error²
 * The variance is that of `error` (what the score divides by), so it includes the lag of the mean.
 *
 * Robustness: the state starts at the median and (1.4826·MAD)² of the first `warmup` points, so a
 * spike in the warm-up does not set it. Afterwards a point further than max(sensitivity, 3)
 * scales from the mean stays out of the state, so one outlier neither drags the mean nor widens
 * the band. If `warmup` such points come in a row the metric has moved: the state restarts from
 * them (a level shift alerts for `warmup` points, then it is the new normal).
 */
export function createEwmaState(options: EwmaStateOptions): EwmaState {
  const gate = Math.max(options.sensitivity, MIN_GATE);
  let mean = 0;
  let variance = 0;
  let ready = false;
  /** The warm-up points, or later the current run of out-of-gate points. */
  let pending: number[] = [];

  const scale = () => floorScale(Math.sqrt(variance), mean, options.minScaleRatio);
  const seed = (values: readonly number[]) => {
    mean = median(values);
    variance = (MAD_TO_SIGMA * mad(values)) ** 2;
    ready = true;
    pending = [];
  };

  return {
    baseline: () => (ready ? { expected: mean, scale: scale() } : null),
    update(value) {
      if (ready && Math.abs(value - mean) <= gate * scale()) {
        pending = [];
        const error = value - mean;
        mean += options.alpha * error;
        variance = (1 - options.varianceAlpha) * variance + options.varianceAlpha * error * error;
        return;
      }
      pending.push(value);
      if (pending.length >= options.warmup) seed(pending);
    },
  };
}

export {
  BASELINE_DEFAULTS,
  baselineOptionsSchema,
  resolveBaselineOptions,
  type ResolvedBaselineOptions,
} from './baseline-options.ts';
export type {
  Baseline,
  BaselineMethod,
  BaselineOptions,
  BaselineReason,
  BaselineResult,
  SeriesPoint,
} from './baseline-types.ts';
export { isMofN } from './is-m-of-n.ts';
export { createLocalSlotReader, type LocalSlot, type LocalSlotReader } from './local-slot.ts';
export { MAD_TO_SIGMA, mad } from './mad.ts';
export { median } from './median.ts';
export { scoreAgainstBaseline } from './score-against-baseline.ts';
export { scoreSeries } from './score-series.ts';
export { isLowVolume } from './usable-point.ts';

import type { SeriesPoint } from './baseline-types.ts';

/** A finite value; null, NaN and ±Infinity all mean "no data". */
export function isUsableValue(value: number | null): value is number {
  return value !== null && Number.isFinite(value);
}

/** True when the guard is on and the point's known volume is below it (unknown volume passes). */
export function isLowVolume(point: SeriesPoint, minVolume: number): boolean {
  return minVolume > 0 && point.volume != null && point.volume < minVolume;
}

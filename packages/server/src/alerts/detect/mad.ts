import { median } from './median.ts';

/** MAD × this estimates the standard deviation of normally distributed values. */
export const MAD_TO_SIGMA = 1.4826;

/** Median absolute deviation from the median, unscaled (multiply by MAD_TO_SIGMA); NaN for none. */
export function mad(values: readonly number[]): number {
  const center = median(values);
  return median(values.map((value) => Math.abs(value - center)));
}

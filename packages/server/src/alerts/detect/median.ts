/** The median (mean of the two middle values for an even count); NaN for no values. */
export function median(values: readonly number[] | Float64Array): number {
  if (values.length === 0) return Number.NaN;
  // A typed array sorts numerically without a comparator, several times faster.
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

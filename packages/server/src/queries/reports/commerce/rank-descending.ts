/**
 * Competition ranks (1, 2, 2, 4) of values already sorted from highest to lowest: equal values
 * share the rank of the first of them.
 */
export function rankDescending(sortedValues: readonly number[]): number[] {
  const ranks: number[] = [];
  sortedValues.forEach((value, index) => {
    const previous = sortedValues[index - 1];
    ranks.push(index > 0 && previous === value ? (ranks[index - 1] ?? index + 1) : index + 1);
  });
  return ranks;
}

import { describe, expect, it } from 'vitest';
import { MAD_TO_SIGMA, mad } from './mad.ts';

describe('mad', () => {
  it.each([
    // median 3; |deviations| 2 1 0 1 97 → sorted 0 1 1 2 97 → 1
    [[1, 2, 3, 4, 100], 1],
    // median 4.5; |deviations| 2.5 0.5 0.5 0.5 0.5 0.5 2.5 4.5 → middle two 0.5 0.5
    [[2, 4, 4, 4, 5, 5, 7, 9], 0.5],
    // median 100; |deviations| 10 0 10 → 10
    [[90, 100, 110], 10],
    [[7], 0],
    [[], Number.NaN],
  ])('mad(%j) = %s', (values, expected) => {
    expect(mad(values)).toBe(expected);
  });

  it('is not moved by one wild value, unlike the standard deviation', () => {
    expect(mad([10, 11, 9, 10, 1e9])).toBe(mad([10, 11, 9, 10, 12]));
  });

  it('scales to a standard deviation for normal data', () => {
    expect(MAD_TO_SIGMA).toBe(1.4826);
  });
});

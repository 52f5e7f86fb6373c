import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMofN } from './is-m-of-n.ts';

describe('isMofN', () => {
  it.each([
    [[true, false, true], 2, 3, true],
    [[true, false, false, true], 2, 3, false], // the last three are false false true
    [[true, true, false, false, false], 2, 3, false],
    [[true, true], 2, 3, true], // fewer flags than n: count those there are
    [[true], 2, 3, false],
    [[], 1, 1, false],
    [[false, true], 1, 1, true],
    [[true, true, true], 4, 3, false], // m > n can never hold
  ])('%j, %i of %i → %s', (flags, m, n, expected) => {
    expect(isMofN(flags, m, n)).toBe(expected);
  });

  it('agrees with counting the trues of the last n', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { maxLength: 40 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 10 }),
        (flags, m, n) => {
          const naive = flags.slice(Math.max(0, flags.length - n)).filter(Boolean).length >= m;
          expect(isMofN(flags, m, n)).toBe(naive);
        },
      ),
    );
  });
});

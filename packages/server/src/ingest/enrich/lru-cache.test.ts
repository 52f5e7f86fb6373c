import { describe, expect, it } from 'vitest';
import { createLruCache } from './lru-cache.ts';

describe('createLruCache', () => {
  it('returns stored values and misses absent keys', () => {
    const cache = createLruCache<string, number>(3);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    expect(cache.get('b')).toBe(2);
    expect(cache.get('c')).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('evicts the least recently set entry when full', () => {
    const cache = createLruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe(2);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('treats a get as a use, so the other entry is evicted', () => {
    const cache = createLruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('a')).toBe(1);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toBe(3);
  });

  it('replaces the value of an existing key without evicting and marks it recent', () => {
    const cache = createLruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 10);
    expect(cache.size).toBe(2);
    cache.set('c', 3);
    expect(cache.get('a')).toBe(10);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toBe(3);
  });

  it('stores nothing when maxEntries is 0', () => {
    const cache = createLruCache<string, number>(0);
    cache.set('a', 1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps exactly one entry when maxEntries is 1', () => {
    const cache = createLruCache<number, string>(1);
    cache.set(1, 'one');
    cache.set(2, 'two');
    expect(cache.get(1)).toBeUndefined();
    expect(cache.get(2)).toBe('two');
    expect(cache.size).toBe(1);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects maxEntries %s', (max) => {
    expect(() => createLruCache(max)).toThrow(RangeError);
  });

  it.each([
    [1, 3],
    [5, 9],
    [100, 300],
  ])('matches a naive reference with %i entries over %i keys', (maxEntries, keyCount) => {
    const cache = createLruCache<number, number>(maxEntries);
    // Reference: an array ordered least → most recently used.
    const reference: Array<[number, number]> = [];
    const mismatches: string[] = [];
    let seed = 42;
    const nextRandom = (): number => {
      // 32-bit LCG (Numerical Recipes); the low bits cycle fast, so use the high ones.
      seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
      return seed >>> 8;
    };
    for (let step = 0; step < 20_000; step++) {
      const key = nextRandom() % keyCount;
      const index = reference.findIndex(([k]) => k === key);
      if (nextRandom() % 2 === 0) {
        const expected = index === -1 ? undefined : reference.splice(index, 1)[0];
        if (expected !== undefined) reference.push(expected);
        const actual = cache.get(key);
        if (actual !== expected?.[1]) mismatches.push(`step ${step}: get(${key}) = ${actual}`);
      } else {
        if (index !== -1) reference.splice(index, 1);
        else if (reference.length === maxEntries) reference.shift();
        reference.push([key, step]);
        cache.set(key, step);
      }
      if (cache.size !== reference.length) mismatches.push(`step ${step}: size ${cache.size}`);
    }
    expect(mismatches).toEqual([]);
  });
});

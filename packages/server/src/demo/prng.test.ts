import { describe, expect, it } from 'vitest';
import { createPrng, createWeightedPicker, deriveSeed } from './prng.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function draw(seed: number, count: number): number[] {
  const rng = createPrng(seed);
  return Array.from({ length: count }, () => rng.next());
}

describe('createPrng', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    expect(draw(7, 50)).toEqual(draw(7, 50));
    expect(draw(7, 50)).not.toEqual(draw(8, 50));
  });

  it('keeps draws inside their ranges', () => {
    const rng = createPrng(1);
    const ints = new Set<number>();
    let min = 1;
    let max = 0;
    let floatOutside = 0;
    for (let i = 0; i < 10_000; i += 1) {
      const value = rng.next();
      min = Math.min(min, value);
      max = Math.max(max, value);
      ints.add(rng.int(3, 5));
      const float = rng.float(-2, 2);
      if (float < -2 || float >= 2) floatOutside += 1;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect([...ints].sort()).toEqual([3, 4, 5]);
    expect(floatOutside).toBe(0);
  });

  it('draws v4-shaped UUIDs and hex strings of the asked length', () => {
    const rng = createPrng(2);
    const ids = new Set<string>();
    for (let i = 0; i < 1_000; i += 1) {
      const id = rng.uuid();
      expect(id).toMatch(UUID_V4);
      ids.add(id);
    }
    expect(ids.size).toBe(1_000);
    expect(rng.hex(12)).toMatch(/^[0-9a-f]{12}$/);
    expect(rng.hex(5)).toMatch(/^[0-9a-f]{5}$/);
  });

  it('matches the requested means of its distributions', () => {
    const rng = createPrng(3);
    const n = 20_000;
    let normal = 0;
    let poisson = 0;
    let bigPoisson = 0;
    const logNormals: number[] = [];
    for (let i = 0; i < n; i += 1) {
      normal += rng.normal(10, 2);
      poisson += rng.poisson(3);
      bigPoisson += rng.poisson(200);
      logNormals.push(rng.logNormal(100, 0.5));
    }
    logNormals.sort((a, b) => a - b);
    expect(normal / n).toBeCloseTo(10, 1);
    expect(poisson / n).toBeCloseTo(3, 1);
    expect(bigPoisson / n).toBeGreaterThan(199);
    expect(bigPoisson / n).toBeLessThan(201);
    expect(logNormals[n / 2]).toBeGreaterThan(97);
    expect(logNormals[n / 2]).toBeLessThan(103);
  });

  it('picks by weight, never a zero-weight item', () => {
    const rng = createPrng(4);
    const pick = createWeightedPicker(['a', 'b', 'c'] as const, [1, 3, 0]);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 8_000; i += 1) {
      counts[pick(rng.next)] += 1;
      counts[rng.weightedPick(['a', 'b', 'c'] as const, [1, 3, 0])] += 1;
    }
    expect(counts.c).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(2.7);
    expect(counts.b / counts.a).toBeLessThan(3.3);
    expect(() => createWeightedPicker([], [])).toThrow(RangeError);
  });

  it('derives different seeds from different parts', () => {
    expect(deriveSeed(1, 2)).not.toBe(deriveSeed(2, 1));
    expect(deriveSeed(1, 2)).toBe(deriveSeed(1, 2));
    expect(deriveSeed(2 ** 40)).not.toBe(deriveSeed(0));
  });
});

/**
 * A small seeded PRNG (mulberry32) with the distributions the demo needs. Math.random cannot be
 * seeded, and the demo must give byte-identical output for the same options.
 */
export interface Prng {
  /** Uniform in [0, 1). */
  next: () => number;
  /** Uniform in [min, max). */
  float: (min: number, max: number) => number;
  /** Uniform integer in [min, max], both inclusive. */
  int: (min: number, max: number) => number;
  chance: (probability: number) => boolean;
  pick: <T>(items: readonly T[]) => T;
  weightedPick: <T>(items: readonly T[], weights: readonly number[]) => T;
  normal: (mean: number, sd: number) => number;
  /** Log-normal with the given median and sigma of the underlying normal. */
  logNormal: (median: number, sigma: number) => number;
  /** Poisson-distributed count (normal approximation above a mean of 30). */
  poisson: (mean: number) => number;
  /** A v4-shaped UUID drawn from this generator. */
  uuid: () => string;
  /** `length` lowercase hex characters. */
  hex: (length: number) => string;
}

const UINT32_RANGE = 4_294_967_296;
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const toHex16 = (value: number): string =>
  (HEX_BYTES[value >>> 8] ?? '00') + (HEX_BYTES[value & 0xff] ?? '00');

/** Mixes numbers into one 32-bit seed (murmur3 finaliser), so derived streams do not overlap. */
export function deriveSeed(...parts: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x01000193);
    h = Math.imul(h ^ Math.floor(part / UINT32_RANGE), 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

export function createPrng(seed: number): Prng {
  let state = deriveSeed(seed);
  let spareNormal: number | undefined;

  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / UINT32_RANGE;
  };

  const standardNormal = (): number => {
    if (spareNormal !== undefined) {
      const value = spareNormal;
      spareNormal = undefined;
      return value;
    }
    // Box-Muller; 1 - next() keeps the logarithm's argument in (0, 1].
    const radius = Math.sqrt(-2 * Math.log(1 - next()));
    const angle = 2 * Math.PI * next();
    spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };

  // Table lookups and join(): ids are drawn for every event, and toString/padStart and string
  // ropes from `+=` showed up in profiles.
  const hex = (length: number): string => {
    const parts: string[] = [];
    for (let chars = 0; chars < length; chars += 4) {
      parts.push(toHex16(Math.floor(next() * 65_536)));
    }
    const out = parts.join('');
    return out.length === length ? out : out.slice(0, length);
  };

  return {
    next,
    float: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick<T>(items: readonly T[]): T {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new RangeError('pick from an empty list');
      return item;
    },
    weightedPick<T>(items: readonly T[], weights: readonly number[]): T {
      // A linear scan without allocation; long lists picked often use createWeightedPicker.
      let total = 0;
      for (const weight of weights) total += Math.max(0, weight);
      let target = next() * total;
      for (let i = 0; i < items.length; i += 1) {
        const item = items[i];
        target -= Math.max(0, weights[i] ?? 0);
        if (target < 0 && item !== undefined) return item;
      }
      const last = items[items.length - 1];
      if (last === undefined || total <= 0) throw new RangeError('weighted pick needs weights');
      return last;
    },
    normal: (mean, sd) => mean + sd * standardNormal(),
    logNormal: (median, sigma) => median * Math.exp(sigma * standardNormal()),
    poisson(mean: number): number {
      if (mean <= 0) return 0;
      if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * standardNormal()));
      // Knuth: multiply uniforms until the product drops below e^-mean.
      const limit = Math.exp(-mean);
      let count = 0;
      let product = next();
      while (product > limit) {
        count += 1;
        product *= next();
      }
      return count;
    },
    uuid(): string {
      const a = Math.floor(next() * UINT32_RANGE);
      const b = Math.floor(next() * UINT32_RANGE);
      // Version nibble 4 and variant bits 10xx, as RFC 9562 §5.4 requires.
      const c = ((Math.floor(next() * UINT32_RANGE) & 0x3fffffff) | 0x80000000) >>> 0;
      const d = Math.floor(next() * UINT32_RANGE);
      // join() builds one flat string; `+` would keep a rope of 11 pieces alive per id.
      return [
        toHex16(a >>> 16),
        toHex16(a & 0xffff),
        '-',
        toHex16(b >>> 16),
        '-4',
        toHex16(b & 0x0fff).slice(1),
        '-',
        toHex16(c >>> 16),
        '-',
        toHex16(c & 0xffff),
        toHex16(d >>> 16),
        toHex16(d & 0xffff),
      ].join('');
    },
    hex,
  };
}

/**
 * Precomputes cumulative weights once, for lists picked from thousands of times a day (hours,
 * products, channels). Returns a picker that takes the uniform source to draw from.
 */
export function createWeightedPicker<T>(
  items: readonly T[],
  weights: readonly number[],
): (next: () => number) => T {
  if (items.length === 0 || items.length !== weights.length) {
    throw new RangeError('weighted pick needs one weight per item and at least one item');
  }
  const cumulative: number[] = [];
  let total = 0;
  for (const weight of weights) {
    total += Math.max(0, weight);
    cumulative.push(total);
  }
  if (total <= 0) throw new RangeError('weighted pick needs a positive total weight');
  return (next) => {
    const target = next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((cumulative[mid] ?? total) > target) high = mid;
      else low = mid + 1;
    }
    const item = items[low];
    if (item === undefined) throw new RangeError('weighted pick out of range');
    return item;
  };
}

import type { Clock } from './clock.ts';

export interface RateLimiterOptions {
  /** Sustained requests per second per key. */
  ratePerSec: number;
  /** Requests a key may make at once after being idle. */
  burst: number;
  clock: Clock;
  /** Keys tracked at most; the least recently seen are forgotten first (bounded memory). */
  maxKeys?: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSec: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets per key (write key, client IP). Written here rather than taken from a plugin
 * because ingest applies two limits to one request and needs a fake clock in tests.
 */
export function createRateLimiter(options: RateLimiterOptions) {
  const { ratePerSec, burst, clock } = options;
  const maxKeys = options.maxKeys ?? 100_000;
  const buckets = new Map<string, Bucket>();

  return {
    take(key: string, cost = 1): RateDecision {
      const now = clock.now();
      let bucket = buckets.get(key);
      if (bucket) {
        buckets.delete(key);
        bucket.tokens = Math.min(
          burst,
          bucket.tokens + ((now - bucket.updatedAt) / 1000) * ratePerSec,
        );
        bucket.updatedAt = now;
      } else {
        bucket = { tokens: burst, updatedAt: now };
        if (buckets.size >= maxKeys) {
          const oldest = buckets.keys().next().value;
          if (oldest !== undefined) buckets.delete(oldest);
        }
      }
      buckets.set(key, bucket);
      if (bucket.tokens >= cost) {
        bucket.tokens -= cost;
        return { ok: true };
      }
      return {
        ok: false,
        retryAfterSec: Math.max(1, Math.ceil((cost - bucket.tokens) / ratePerSec)),
      };
    },
    size: () => buckets.size,
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;

import { describe, expect, it } from 'vitest';
import { createFakeClock } from './clock.ts';
import { createRateLimiter } from './rate-limiter.ts';

describe('rate limiter', () => {
  it('allows the burst, then refills at the rate', () => {
    const clock = createFakeClock(0);
    const limiter = createRateLimiter({ ratePerSec: 2, burst: 3, clock });
    expect([1, 2, 3].map(() => limiter.take('k').ok)).toEqual([true, true, true]);
    expect(limiter.take('k')).toEqual({ ok: false, retryAfterSec: 1 });
    clock.advance(500); // one token back
    expect(limiter.take('k').ok).toBe(true);
    expect(limiter.take('k').ok).toBe(false);
    expect(limiter.take('other').ok).toBe(true);
  });

  it('says how long to wait for a costly request', () => {
    const clock = createFakeClock(0);
    const limiter = createRateLimiter({ ratePerSec: 10, burst: 10, clock });
    expect(limiter.take('k', 10).ok).toBe(true);
    expect(limiter.take('k', 30)).toEqual({ ok: false, retryAfterSec: 3 });
  });

  it('forgets the least recently used keys beyond maxKeys', () => {
    const clock = createFakeClock(0);
    const limiter = createRateLimiter({ ratePerSec: 1, burst: 1, clock, maxKeys: 2 });
    limiter.take('a');
    limiter.take('b');
    limiter.take('a');
    limiter.take('c'); // evicts b
    expect(limiter.size()).toBe(2);
    expect(limiter.take('a').ok).toBe(false);
    expect(limiter.take('b').ok).toBe(true); // fresh bucket
  });
});

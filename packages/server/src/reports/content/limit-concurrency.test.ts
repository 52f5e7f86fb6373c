import { describe, expect, it } from 'vitest';
import { createConcurrencyLimiter } from './limit-concurrency.ts';

describe('createConcurrencyLimiter', () => {
  it('runs at most n tasks at once, in the order they came', async () => {
    const limit = createConcurrencyLimiter(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const gates: Array<() => void> = [];
    const tasks = [0, 1, 2, 3, 4].map((i) =>
      limit(async () => {
        started.push(i);
        running += 1;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => gates.push(resolve));
        running -= 1;
        return i * 10;
      }),
    );
    // Let the first tasks start, then release them one by one.
    const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
    await settle();
    expect(started).toEqual([0, 1]);
    while (gates.length > 0) {
      gates.shift()?.();
      await settle();
    }
    expect(await Promise.all(tasks)).toEqual([0, 10, 20, 30, 40]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });

  it('frees the slot of a task that failed', async () => {
    const limit = createConcurrencyLimiter(1);
    await expect(limit(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limit(() => Promise.resolve('next'))).toBe('next');
  });

  it('refuses a limit below one', () => {
    expect(() => createConcurrencyLimiter(0)).toThrow(RangeError);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createTaskQueue,
  TaskQueueStoppedError,
  TaskTimeoutError,
  type TaskQueueProgress,
} from './task-queue.ts';

/** A task that resolves with `value` after `ms`, recording when it started. */
function after<T>(ms: number, value: T, starts: number[] = []) {
  return () => {
    starts.push(Date.now());
    return new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
  };
}

describe('task queue', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it('runs at most maxConcurrent tasks, starting them requestInterval apart', async () => {
    const queue = createTaskQueue({ maxConcurrent: 2, requestInterval: 100 });
    const starts: number[] = [];
    const results = Promise.all([1, 2, 3, 4].map((n) => queue.add(after(1_000, n, starts))));
    await vi.runAllTimersAsync();
    expect(await results).toEqual([1, 2, 3, 4]);
    // Two at once (0 and 100 ms); the next ones as the first two finish (1000, 1100).
    expect(starts).toEqual([0, 100, 1_000, 1_100]);
  });

  it('starts the highest priority first, then the oldest', async () => {
    const queue = createTaskQueue({ maxConcurrent: 1, requestInterval: 0 });
    const order: string[] = [];
    const task = (name: string) => () => {
      order.push(name);
      return Promise.resolve(name);
    };
    queue.pause();
    void queue.add(task('low'), { priority: 0 });
    void queue.add(task('high-1'), { priority: 5 });
    void queue.add(task('high-2'), { priority: 5 });
    void queue.add(task('mid'), { priority: 1 });
    queue.resume();
    await vi.runAllTimersAsync();
    await queue.onIdle();
    expect(order).toEqual(['high-1', 'high-2', 'mid', 'low']);
  });

  it('retries with exponential backoff and jitter, then gives up with the last error', async () => {
    const queue = createTaskQueue({
      requestInterval: 0,
      maxRetries: 3,
      retryDelay: 1_000,
      jitter: 0.5,
      random: () => 1, // the full jitter share: waits of exactly retryDelay × 2^(n−1)
    });
    const attempts: number[] = [];
    const outcome = queue
      .add((_signal, attempt) => {
        attempts.push(Date.now());
        return Promise.reject(new Error(`failure ${attempt}`));
      })
      .catch((error: Error) => error.message);
    await vi.runAllTimersAsync();
    expect(await outcome).toBe('failure 4');
    expect(attempts).toEqual([0, 1_000, 3_000, 7_000]);
    expect(queue.progress()).toMatchObject({ added: 1, failed: 1, retries: 3, waiting: 0 });
  });

  it('draws the jittered share of each backoff at random', async () => {
    const queue = createTaskQueue({ requestInterval: 0, retryDelay: 1_000, random: () => 0 });
    const attempts: number[] = [];
    const outcome = queue.add((_signal, attempt) => {
      attempts.push(Date.now());
      return attempt < 2 ? Promise.reject(new Error('once')) : Promise.resolve('ok');
    });
    await vi.runAllTimersAsync();
    expect(await outcome).toBe('ok');
    // random() = 0 leaves half of the 1000 ms backoff (jitter 0.5 by default).
    expect(attempts).toEqual([0, 500]);
  });

  it('follows retryAfter: no retry, or a server-given delay', async () => {
    const queue = createTaskQueue({
      requestInterval: 0,
      retryAfter: (error) => {
        const status = (error as { status: number }).status;
        if (status === 429) return 30_000;
        if (status >= 400 && status < 500) return false;
        return undefined;
      },
    });
    const tries: Record<string, number[]> = { bad: [], limited: [] };
    const bad = queue
      .add(() => {
        tries.bad?.push(Date.now());
        return Promise.reject(Object.assign(new Error('bad request'), { status: 400 }));
      })
      .catch(() => 'gave up');
    const limited = queue.add((_signal, attempt) => {
      tries.limited?.push(Date.now());
      return attempt === 1
        ? Promise.reject(Object.assign(new Error('slow down'), { status: 429 }))
        : Promise.resolve('delivered');
    });
    await vi.runAllTimersAsync();
    expect(await bad).toBe('gave up');
    expect(tries.bad).toEqual([0]);
    expect(await limited).toBe('delivered');
    expect(tries.limited).toEqual([0, 30_000]);
  });

  it('aborts an attempt that exceeds its timeout and retries it', async () => {
    const queue = createTaskQueue({ requestInterval: 0, timeout: 2_000, retryDelay: 100 });
    const signals: AbortSignal[] = [];
    const outcome = queue.add(
      (signal, attempt) => {
        signals.push(signal);
        return attempt === 1 ? new Promise<string>(() => undefined) : Promise.resolve('second');
      },
      { maxRetries: 1 },
    );
    await vi.runAllTimersAsync();
    expect(await outcome).toBe('second');
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[1]?.aborted).toBe(false);

    const never = queue
      .add(() => new Promise(() => undefined), { maxRetries: 0, timeout: 50 })
      .catch((error: unknown) => error);
    await vi.runAllTimersAsync();
    expect(await never).toBeInstanceOf(TaskTimeoutError);
  });

  it('pauses and resumes without losing tasks, and stop rejects what is left', async () => {
    const queue = createTaskQueue({ maxConcurrent: 1, requestInterval: 0 });
    const done: number[] = [];
    const settled: Array<Promise<unknown>> = [];
    for (const n of [1, 2, 3])
      settled.push(
        queue.add(after(100, n)).then(
          (value) => done.push(value),
          (error: unknown) => error,
        ),
      );
    await vi.advanceTimersByTimeAsync(100); // task 1 finishes, task 2 starts
    queue.pause();
    await vi.advanceTimersByTimeAsync(1_000); // task 2 finishes; task 3 waits
    expect(done).toEqual([1, 2]);
    expect(queue.progress()).toMatchObject({ running: 0, waiting: 1 });
    queue.resume();
    await vi.advanceTimersByTimeAsync(100);
    expect(done).toEqual([1, 2, 3]);

    const stopping = queue.add(after(1_000, 4)).catch((error: unknown) => error);
    const queued = queue.add(after(1_000, 5)).catch((error: unknown) => error);
    queue.stop();
    expect(await stopping).toBeInstanceOf(TaskQueueStoppedError);
    expect(await queued).toBeInstanceOf(TaskQueueStoppedError);
    await expect(queue.add(after(1, 6))).rejects.toBeInstanceOf(TaskQueueStoppedError);
    expect(queue.progress()).toMatchObject({ succeeded: 3, failed: 2, running: 0, waiting: 0 });
    await Promise.all(settled);
  });

  it('reports progress to listeners and resolves onIdle when all is done', async () => {
    const queue = createTaskQueue({ maxConcurrent: 2, requestInterval: 0 });
    const seen: TaskQueueProgress[] = [];
    const unsubscribe = queue.onProgress((p) => seen.push(p));
    void queue.add(after(10, 'a'));
    void queue.add(() => Promise.reject(new Error('no')), { maxRetries: 0 }).catch(() => null);
    const idle = queue.onIdle();
    await vi.runAllTimersAsync();
    await idle;
    expect(seen.at(-1)).toEqual({
      added: 2,
      succeeded: 1,
      failed: 1,
      running: 0,
      waiting: 0,
      retries: 0,
    });
    unsubscribe();
    void queue.add(after(10, 'b'));
    await vi.runAllTimersAsync();
    expect(seen.at(-1)?.added).toBe(2);
  });

  it('turns a task that throws synchronously into a failed attempt', async () => {
    const queue = createTaskQueue({ requestInterval: 0, maxRetries: 0 });
    const outcome = queue
      .add(() => {
        throw new Error('sync');
      })
      .catch((error: Error) => error.message);
    await vi.runAllTimersAsync();
    expect(await outcome).toBe('sync');
  });

  it('retries at once when asked (the network came back) instead of waiting out the backoff', async () => {
    const queue = createTaskQueue({ requestInterval: 0, retryDelay: 60_000, random: () => 1 });
    const attempts: number[] = [];
    const outcome = queue.add((_signal, attempt) => {
      attempts.push(Date.now());
      return attempt === 1 ? Promise.reject(new Error('offline')) : Promise.resolve('sent');
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(attempts).toEqual([0]);
    queue.retryNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(await outcome).toBe('sent');
    expect(attempts).toEqual([0, 1_000]);
  });
});

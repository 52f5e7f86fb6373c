/**
 * A small task queue for delivery work (seed 004 §9): priorities, bounded concurrency, a
 * minimum interval between starts, a timeout per attempt, retries with exponential backoff and
 * jitter, pause / resume / stop and progress events. The browser SDK's transport and the server
 * SDK send their batches through it; it has no dependencies, so it costs little in a bundle.
 */

export interface TaskQueueOptions {
  /** Tasks running at once. Default 2. */
  maxConcurrent?: number;
  /** Minimum ms between two task starts (spreads load off the host page). Default 200. */
  requestInterval?: number;
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** Backoff base in ms: attempt n waits about retryDelay × 2^(n−1). Default 1500. */
  retryDelay?: number;
  /** Longest backoff in ms. Default 60 000. */
  maxRetryDelay?: number;
  /** Ms an attempt may take before it is aborted and counted as failed. Default 10 000. */
  timeout?: number;
  /** Share of each backoff drawn at random (0 none, 1 full jitter). Default 0.5. */
  jitter?: number;
  /**
   * Decides after a failed attempt: false to give up now, a number of ms to wait (a server's
   * Retry-After), undefined for the usual backoff. Default: always retry with backoff.
   */
  retryAfter?: (error: unknown, attempt: number) => false | number | undefined;
  /** Source of randomness for jitter (tests pass a fixed one). Default Math.random. */
  random?: () => number;
}

export interface TaskOptions {
  /** Higher runs first; equal priorities run in the order added. Default 0. */
  priority?: number;
  maxRetries?: number;
  timeout?: number;
  retryDelay?: number;
}

/** A unit of work; `signal` aborts when its attempt times out or the queue stops. */
export type Task<T> = (signal: AbortSignal, attempt: number) => Promise<T>;

export interface TaskQueueProgress {
  /** Tasks added since the queue was created. */
  added: number;
  succeeded: number;
  failed: number;
  running: number;
  /** Waiting to start, including those waiting for a retry. */
  waiting: number;
  /** Attempts that failed and were retried. */
  retries: number;
}

export interface TaskQueue {
  add<T>(task: Task<T>, options?: TaskOptions): Promise<T>;
  /** Starts nothing new until resume(); running tasks finish. */
  pause(): void;
  resume(): void;
  /** Retries waiting for their backoff start as soon as allowed (the network is back). */
  retryNow(): void;
  /** Aborts running tasks and rejects every task not finished with a TaskQueueStoppedError. */
  stop(): void;
  /** Resolves when nothing runs or waits (at once if so already). */
  onIdle(): Promise<void>;
  /** Called after every change; returns a function that unsubscribes. */
  onProgress(listener: (progress: TaskQueueProgress) => void): () => void;
  progress(): TaskQueueProgress;
}

export class TaskTimeoutError extends Error {
  constructor(ms: number) {
    super(`task timed out after ${ms} ms`);
    this.name = 'TaskTimeoutError';
  }
}

export class TaskQueueStoppedError extends Error {
  constructor() {
    super('task queue stopped');
    this.name = 'TaskQueueStoppedError';
  }
}

interface Entry {
  run: Task<unknown>;
  priority: number;
  order: number;
  attempt: number;
  /** Not before this time (ms, Date.now clock): a retry's backoff. */
  notBefore: number;
  maxRetries: number;
  timeout: number;
  retryDelay: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  abort?: AbortController;
}

export function createTaskQueue(options: TaskQueueOptions = {}): TaskQueue {
  const maxConcurrent = Math.max(1, options.maxConcurrent ?? 2);
  const interval = Math.max(0, options.requestInterval ?? 200);
  const maxRetryDelay = options.maxRetryDelay ?? 60_000;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
  const random = options.random ?? Math.random;
  const waiting: Entry[] = [];
  const running = new Set<Entry>();
  const listeners = new Set<(progress: TaskQueueProgress) => void>();
  let idleWaiters: Array<() => void> = [];
  const counts = { added: 0, succeeded: 0, failed: 0, retries: 0 };
  let order = 0;
  let paused = false;
  let stopped = false;
  let lastStart = -Infinity;
  let wake: ReturnType<typeof setTimeout> | null = null;

  const progress = (): TaskQueueProgress => ({
    ...counts,
    running: running.size,
    waiting: waiting.length,
  });

  function changed(): void {
    const snapshot = progress();
    for (const listener of listeners) {
      try {
        listener(snapshot);
      } catch {
        // A listener's error is its own; the queue keeps going.
      }
    }
    if (running.size === 0 && waiting.length === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  function backoff(entry: Entry): number {
    const base = Math.min(maxRetryDelay, entry.retryDelay * 2 ** (entry.attempt - 1));
    return base * (1 - jitter) + base * jitter * random();
  }

  /** The next entry allowed to start now: highest priority, then oldest, among the due ones. */
  function nextDue(now: number): Entry | null {
    let best: Entry | null = null;
    for (const entry of waiting)
      if (
        entry.notBefore <= now &&
        (!best ||
          entry.priority > best.priority ||
          (entry.priority === best.priority && entry.order < best.order))
      )
        best = entry;
    return best;
  }

  function schedule(delay: number): void {
    if (wake !== null) clearTimeout(wake);
    wake = setTimeout(() => {
      wake = null;
      pump();
    }, delay);
  }

  function pump(): void {
    if (paused || stopped) return;
    while (running.size < maxConcurrent && waiting.length > 0) {
      const now = Date.now();
      const gap = lastStart + interval - now;
      if (gap > 0) return schedule(gap);
      const entry = nextDue(now);
      if (!entry) {
        const soonest = Math.min(...waiting.map((e) => e.notBefore));
        return schedule(Math.max(0, soonest - now));
      }
      waiting.splice(waiting.indexOf(entry), 1);
      lastStart = now;
      start(entry);
    }
  }

  function start(entry: Entry): void {
    entry.attempt += 1;
    running.add(entry);
    const abort = new AbortController();
    entry.abort = abort;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new TaskTimeoutError(entry.timeout));
      }, entry.timeout);
    });
    // A task that throws instead of rejecting fails the same way.
    const attempt = new Promise((resolve) => resolve(entry.run(abort.signal, entry.attempt)));
    Promise.race([attempt, timedOut]).then(
      (value) =>
        finish(entry, timer, () => {
          counts.succeeded += 1;
          entry.resolve(value);
        }),
      (error: unknown) => finish(entry, timer, () => retryOrFail(entry, error)),
    );
    changed();
  }

  function finish(entry: Entry, timer: ReturnType<typeof setTimeout> | null, then: () => void) {
    if (timer !== null) clearTimeout(timer);
    if (!running.delete(entry)) return; // stopped meanwhile: already rejected
    then();
    changed();
    pump();
  }

  function retryOrFail(entry: Entry, error: unknown): void {
    const decision =
      entry.attempt <= entry.maxRetries ? options.retryAfter?.(error, entry.attempt) : false;
    if (decision === false || entry.attempt > entry.maxRetries) {
      counts.failed += 1;
      entry.reject(error);
      return;
    }
    counts.retries += 1;
    entry.notBefore = Date.now() + (typeof decision === 'number' ? decision : backoff(entry));
    waiting.push(entry);
  }

  return {
    add<T>(task: Task<T>, taskOptions: TaskOptions = {}): Promise<T> {
      if (stopped) return Promise.reject(new TaskQueueStoppedError());
      return new Promise<T>((resolve, reject) => {
        waiting.push({
          run: task,
          priority: taskOptions.priority ?? 0,
          order: order++,
          attempt: 0,
          notBefore: 0,
          maxRetries: taskOptions.maxRetries ?? options.maxRetries ?? 3,
          timeout: taskOptions.timeout ?? options.timeout ?? 10_000,
          retryDelay: taskOptions.retryDelay ?? options.retryDelay ?? 1_500,
          resolve: resolve as (value: unknown) => void,
          reject,
        });
        counts.added += 1;
        changed();
        pump();
      });
    },
    pause() {
      paused = true;
    },
    resume() {
      if (!paused) return;
      paused = false;
      pump();
    },
    retryNow() {
      for (const entry of waiting) entry.notBefore = 0;
      pump();
    },
    stop() {
      stopped = true;
      if (wake !== null) clearTimeout(wake);
      const error = new TaskQueueStoppedError();
      const unfinished = [...running, ...waiting.splice(0)];
      running.clear();
      for (const entry of unfinished) {
        entry.abort?.abort();
        entry.reject(error);
      }
      counts.failed += unfinished.length;
      changed();
    },
    onIdle() {
      if (running.size === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    onProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    progress,
  };
}

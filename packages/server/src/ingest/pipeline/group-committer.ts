import type { EventStore, IngestStatRow, WriteBatch } from '../../store/index.ts';
import { createWriteBatch } from '../../store/index.ts';

export interface GroupCommitterOptions {
  store: EventStore;
  /** Events waiting for commit before submit() refuses more (bounds memory under overload). */
  maxQueueEvents: number;
  /** Longest wait to gather concurrent submissions into one commit. */
  flushMs: number;
  /** Events per commit at most. */
  maxBatchEvents: number;
  onCommitError?: (error: unknown, events: number) => void;
  onCommit?: (info: { events: number; submissions: number; ms: number }) => void;
}

/** Per submission: which of its events were stored now (the rest were stored before). */
export interface SubmitResult {
  inserted: boolean[];
}

export class QueueFullError extends Error {
  constructor() {
    super('ingest queue full');
  }
}

interface Pending {
  batch: WriteBatch;
  events: number;
  resolve: (result: SubmitResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: concurrent requests are merged into one transaction, and each request is answered
 * only after that transaction is durable. While one commit runs the next group gathers, so the
 * store sees few large transactions under load and a request waits about one commit at most.
 */
export function createGroupCommitter(options: GroupCommitterOptions) {
  const queue: Pending[] = [];
  let queuedEvents = 0;
  let pendingStats: IngestStatRow[] = [];
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let idleWaiters: Array<() => void> = [];

  function schedule(): void {
    if (running || timer) return;
    if (queue.length === 0 && pendingStats.length === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const wake of waiters) wake();
      return;
    }
    timer = setTimeout(() => {
      timer = null;
      void flush();
    }, options.flushMs);
  }

  function takeGroup(): Pending[] {
    const group: Pending[] = [];
    let events = 0;
    while (queue.length > 0) {
      const next = queue[0] as Pending;
      if (group.length > 0 && events + next.events > options.maxBatchEvents) break;
      group.push(next);
      events += next.events;
      queue.shift();
    }
    queuedEvents -= events;
    return group;
  }

  async function flush(): Promise<void> {
    running = true;
    try {
      while (queue.length > 0 || pendingStats.length > 0) {
        const group = takeGroup();
        const merged = mergeBatches(group.map((item) => item.batch));
        for (const row of pendingStats) merged.stats.push(row);
        pendingStats = [];
        const events = merged.events.length;
        const started = performance.now();
        try {
          const { insertedEventIds } = await options.store.commit(merged);
          options.onCommit?.({
            events,
            submissions: group.length,
            ms: performance.now() - started,
          });
          const claimed = new Set<string>();
          for (const item of group) {
            const inserted = item.batch.events.map((event) => {
              const isNew = insertedEventIds.has(event.eventId) && !claimed.has(event.eventId);
              if (isNew) claimed.add(event.eventId);
              return isNew;
            });
            item.resolve({ inserted });
          }
        } catch (error) {
          options.onCommitError?.(error, events);
          for (const item of group) item.reject(error);
        }
      }
    } finally {
      running = false;
      schedule();
    }
  }

  return {
    /** Resolves once the batch is durably committed; rejects with QueueFullError when full. */
    submit(batch: WriteBatch): Promise<SubmitResult> {
      const events = batch.events.length;
      if (queuedEvents + events > options.maxQueueEvents)
        return Promise.reject(new QueueFullError());
      return new Promise<SubmitResult>((resolve, reject) => {
        queue.push({ batch, events, resolve, reject });
        queuedEvents += events;
        schedule();
      });
    },
    /** Counters that ride along with the next commit; nobody waits for them. */
    addStats(rows: readonly IngestStatRow[]): void {
      for (const row of rows) pendingStats.push(row);
      schedule();
    },
    depth: () => queuedEvents,
    /** Resolves when everything submitted so far is committed (graceful shutdown). */
    drain(): Promise<void> {
      if (!running && !timer && queue.length === 0 && pendingStats.length === 0)
        return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}

export type GroupCommitter = ReturnType<typeof createGroupCommitter>;

function mergeBatches(batches: readonly WriteBatch[]): WriteBatch {
  if (batches.length === 1 && batches[0]) return { ...batches[0], stats: [...batches[0].stats] };
  const merged = createWriteBatch();
  for (const batch of batches) {
    for (const key of Object.keys(merged) as (keyof WriteBatch)[]) {
      // A loop, not push(...rows): spreading tens of thousands of rows overflows the call stack.
      const target = merged[key] as unknown[];
      for (const row of batch[key]) target.push(row);
    }
  }
  return merged;
}

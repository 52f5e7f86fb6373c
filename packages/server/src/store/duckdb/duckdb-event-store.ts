import { Worker } from 'node:worker_threads';
import { ERR_STORE_UNAVAILABLE, SightlineError } from '@sightline/shared';
import type {
  EventStore,
  EventStoreHealth,
  SqlStatement,
  SqlValue,
  StoreColumns,
  StoreRow,
} from '../event-store.ts';
import type { CommitResult, WriteBatch } from '../rows.ts';
import type { DuckDbEventStoreOptions } from './duckdb-engine.ts';
import { createBatchEncoder, type BatchEncoder } from './encode-batch.ts';
import type { WorkerCall, WorkerReply, WorkerStartup } from './duckdb-worker.ts';

export type { DuckDbEventStoreOptions } from './duckdb-engine.ts';

/**
 * The worker's young generation is capped well below V8's default (up to 48 MB per thread on
 * 64-bit). What the worker allocates dies young (encoded batches on their way into the log,
 * result texts on their way to the caller), and a young generation that has grown is kept
 * committed. Measured on the reference machine: a one-million-row export in a running server
 * peaked at ~325 MB resident uncapped, ~320 MB at 16 MB and ~307 MB at 8 MB, and sustained
 * ingest ran at the same rate and CPU per event either way (npm run bench:ingest, in pairs).
 */
const WORKER_YOUNG_GENERATION_MB = 8;

interface PendingCall {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * EventStore on an embedded DuckDB file, run in a worker thread. A commit is several statements;
 * on the main thread each would wait its turn behind HTTP parsing, so a busy server committed
 * slowly exactly when it needed to commit fast. In its own thread the statements run back to
 * back. Batches are checked and encoded here (encode-batch.ts): rows become JSON text once, on
 * this thread, and cross to the worker as strings, which is much cheaper than copying objects.
 */
export async function createDuckDbEventStore(
  options: DuckDbEventStoreOptions,
): Promise<EventStore> {
  const worker = new Worker(new URL('./duckdb-worker-entry.js', import.meta.url), {
    workerData: options,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  const pending = new Map<number, PendingCall>();
  let nextId = 1;
  let exited = false;

  await new Promise<void>((resolve, reject) => {
    worker.once('message', (startup: WorkerStartup) =>
      startup.ready
        ? resolve()
        : reject(new Error(`cannot open ${options.path}: ${startup.message}`)),
    );
    worker.once('error', reject);
  });
  worker.on('message', (reply: WorkerReply) => {
    const call = pending.get(reply.id);
    if (!call) return;
    pending.delete(reply.id);
    if (reply.ok) call.resolve(reply.value);
    else if (reply.code === ERR_STORE_UNAVAILABLE.code)
      call.reject(new SightlineError(ERR_STORE_UNAVAILABLE));
    else call.reject(new Error(reply.message));
  });
  worker.on('exit', () => {
    exited = true;
    for (const call of pending.values()) call.reject(new SightlineError(ERR_STORE_UNAVAILABLE));
    pending.clear();
  });
  worker.on('error', () => undefined); // surfaced through 'exit' and the pending calls

  let closing: Promise<void> | null = null;
  /** Calls not answered yet: closing waits for their answers before it stops the worker. */
  const unanswered = new Set<Promise<unknown>>();
  function call<T>(method: WorkerCall['method'], ...args: unknown[]): Promise<T> {
    if (exited) return Promise.reject(new SightlineError(ERR_STORE_UNAVAILABLE));
    const id = nextId++;
    const answer = new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, method, args } satisfies WorkerCall);
    });
    unanswered.add(answer);
    const forget = () => unanswered.delete(answer);
    answer.then(forget, forget);
    return answer;
  }

  // Every write passes through this proxy (DuckDB allows one writing process), so counting them
  // here is complete. Bumped when a write settles, successful or not: a failed commit may have
  // been partly applied by the time it is reported.
  let version = 0;
  const counted = <T>(promise: Promise<T>): Promise<T> => {
    version += 1;
    return promise.finally(() => {
      version += 1;
    });
  };

  let encode: BatchEncoder | null = null;

  return {
    engine: 'duckdb',
    migrate: () =>
      counted(
        (async () => {
          const applied = await call<number>('migrate');
          encode = createBatchEncoder(new Set(await call<string[]>('requiredColumns')));
          return applied;
        })(),
      ),
    commit: (batch: WriteBatch) =>
      counted(
        Promise.resolve().then(() => {
          if (!encode) throw new Error('event store not recovered yet');
          return call<CommitResult>('commitEncoded', encode(batch));
        }),
      ),
    dataVersion: () => version,
    query: (sql: string, params: readonly SqlValue[] = []) =>
      call<StoreRow[]>('query', sql, params),
    queryColumns: (sql: string, params: readonly SqlValue[] = []) =>
      call<StoreColumns>('queryColumns', sql, params),
    execute: (sql: string, params: readonly SqlValue[] = []) =>
      counted(call<number>('execute', sql, params)),
    executeInTransaction: (statements: readonly SqlStatement[]) =>
      counted(call<number[]>('executeInTransaction', statements)),
    async health(): Promise<EventStoreHealth> {
      if (exited) return { ok: false, sizeBytes: null, error: 'event store worker stopped' };
      return call<EventStoreHealth>('health');
    },
    close(): Promise<void> {
      // Once: a second caller waits for the same close rather than stopping the worker under it.
      closing ??= (async () => {
        if (exited) return;
        await call('close');
        // The engine closes once the reads under way are done; their answers may come after
        // its own, and stopping the worker first would lose them.
        await Promise.allSettled([...unanswered]);
        await worker.terminate();
      })();
      return closing;
    },
  };
}

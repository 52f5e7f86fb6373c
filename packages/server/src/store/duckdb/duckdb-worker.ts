import { parentPort, workerData } from 'node:worker_threads';
import { isSightlineError } from '@sightline/shared';
import {
  createDuckDbEngine,
  type DuckDbEngine,
  type DuckDbEventStoreOptions,
} from './duckdb-engine.ts';
import type { StoreColumns } from '../event-store.ts';
import { buffersOf } from './result-columns.ts';

/** A call from the owning thread: one EventStore method and its arguments. */
export interface WorkerCall {
  id: number;
  method:
    | 'migrate'
    | 'commitEncoded'
    | 'requiredColumns'
    | 'query'
    | 'queryColumns'
    | 'execute'
    | 'executeInTransaction'
    | 'health'
    | 'close';
  args: unknown[];
}

export type WorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; message: string; code?: string };

export type WorkerStartup = { ready: true } | { ready: false; message: string };

const port = parentPort;
if (!port) throw new Error('duckdb-worker must run in a worker thread');

let engine: DuckDbEngine;
try {
  engine = await createDuckDbEngine(workerData as DuckDbEventStoreOptions);
  port.postMessage({ ready: true } satisfies WorkerStartup);
} catch (error) {
  port.postMessage({ ready: false, message: (error as Error).message } satisfies WorkerStartup);
  process.exit(1);
}

port.on('message', (call: WorkerCall) => {
  // Each EventStore method is a closure over its engine, so calling it unbound is safe.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const method = engine[call.method] as (...args: unknown[]) => Promise<unknown>;
  method(...call.args)
    .then((value) => {
      const reply = { id: call.id, ok: true, value } satisfies WorkerReply;
      // Columns move to the owning thread without a copy of their arrays.
      if (call.method === 'queryColumns') port.postMessage(reply, buffersOf(value as StoreColumns));
      else port.postMessage(reply);
    })
    .catch((error: unknown) => {
      const reply: WorkerReply = {
        id: call.id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
        ...(isSightlineError(error) ? { code: error.code } : {}),
      };
      port.postMessage(reply);
    });
});

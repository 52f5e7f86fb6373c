import { statSync } from 'node:fs';
import {
  DuckDBInstance,
  type DuckDBConnection,
  type DuckDBResultReader,
  type DuckDBPreparedStatement,
  type DuckDBValue,
} from '@duckdb/node-api';
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
import { createBatchWriter } from './duckdb-batch-writer.ts';
import type { EncodedBatch } from './encode-batch.ts';
import { openDedupeIndex } from './dedupe-index.ts';
import { openIngestLog, type IngestLog } from './ingest-log.ts';
import { DUCKDB_MIGRATIONS } from './duckdb-migrations.ts';
import { columnsOf } from './result-columns.ts';

export interface DuckDbEventStoreOptions {
  /** Database file; ':memory:' for throwaway stores. */
  path: string;
  /** DuckDB threads; defaults to the engine's choice (all cores). */
  threads?: number;
  /** Memory limit such as '2GB'. */
  memoryLimit?: string;
}

/**
 * WAL size that triggers DuckDB's automatic checkpoint. Every acknowledged event is already in
 * the synced ingest log, so the WAL is a second copy; checkpointing it in fewer, larger steps
 * halves the cost per event against the 16 MB default (which re-compresses the same partly
 * filled row groups over and over). Costs a longer WAL replay after a crash.
 */
const CHECKPOINT_THRESHOLD = '256MB';
/** Acknowledged events waiting for DuckDB before acknowledging waits too. */
const MAX_APPLY_BACKLOG_EVENTS = 50_000;
/** A background apply starts without waiting for its interval once this many are waiting. */
const APPLY_EARLY_EVENTS = MAX_APPLY_BACKLOG_EVENTS / 2;
/**
 * Least time between the end of one background apply and the start of the next. An apply's cost
 * in DuckDB is largely per statement (the rollups each scan the commit's events, the commit
 * writes its WAL), not per event: under sustained load, applying every 500 ms instead of back to
 * back (about 7,000 events each) cut the server's CPU per event from ~38 to ~28–31 µs. Reads never
 * wait for it: they apply what is pending first (afterApplied).
 */
const APPLY_INTERVAL_MS = 500;
/** After a failed apply (disk full, …) it is retried this much later; nothing is lost meanwhile. */
const APPLY_RETRY_MS = 1_000;
/**
 * Read connections. A connection runs one statement at a time; a dashboard asks many small
 * questions at once (each KPI card is two or three queries of a few milliseconds, mostly fixed
 * cost), so several readers let them overlap while DuckDB's threads share the cores.
 */
const READERS = 4;
/** Prepared statements each reader keeps (see preparedBy). */
const PREPARED_PER_READER = 200;

/** The engine, plus what lets another thread check and encode batches for it. */
export interface DuckDbEngine extends EventStore {
  /** Commits a batch encoded by `createBatchEncoder(new Set(requiredColumns()))`. */
  commitEncoded(batch: EncodedBatch): Promise<CommitResult>;
  /** NOT NULL `table.column` names; known once migrate() has run. */
  requiredColumns(): Promise<string[]>;
}

/**
 * The DuckDB engine itself, on the calling thread (the server runs it in a worker thread,
 * duckdb-event-store.ts). A commit is acknowledged once it is in the ingest log (synced), and
 * applied to DuckDB in the background, many commits per transaction (APPLY_INTERVAL_MS), on the
 * writer connection; other connections read.
 * Reads and maintenance first wait for everything acknowledged to be applied, so callers always
 * see their own writes.
 */
export async function createDuckDbEngine(options: DuckDbEventStoreOptions): Promise<DuckDbEngine> {
  const config: Record<string, string> = { checkpoint_threshold: CHECKPOINT_THRESHOLD };
  if (options.threads) config.threads = String(options.threads);
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  const instance = await DuckDBInstance.create(options.path, config);
  const writer = await instance.connect();
  const readers: DuckDBConnection[] = [];
  for (let i = 0; i < READERS; i += 1) readers.push(await instance.connect());
  for (const connection of [writer, ...readers]) await connection.run(`SET TimeZone = 'UTC'`);
  const readerPool = createPool(readers);
  /**
   * Each reader's prepared statements by SQL text, the last PREPARED_PER_READER used: dashboards ask the same
   * statements again and again with other values, and preparing costs ~0.3–1 ms of a statement
   * that often runs in 2–5 (on 10M events the KPI question went from ~42 to ~39 ms). DuckDB
   * prepares a statement again by itself when the tables it reads have changed.
   */
  const preparedBy = new Map<DuckDBConnection, Map<string, DuckDBPreparedStatement>>();
  const inMemory = options.path === ':memory:';
  const dedupe = openDedupeIndex(inMemory ? ':memory:' : `${options.path}.ids.sqlite`);
  const log = inMemory ? createMemoryLog() : openIngestLog(`${options.path}.log`);
  const batches = createBatchWriter({
    connection: writer,
    dedupe,
    log,
    maxBacklogEvents: MAX_APPLY_BACKLOG_EVENTS,
  });
  const serialise = createChain();
  const serialiseAcks = createChain();
  let closing = false;
  let closed = false;
  let applyScheduled = false;
  let lastApplyEnded = Number.NEGATIVE_INFINITY;
  let applyTimer: NodeJS.Timeout | null = null;
  let applyError: Error | null = null;
  /** See EventStore.dataVersion; the worker's proxy keeps its own count for the main thread. */
  let version = 0;

  /**
   * Applies acknowledged batches in the background, APPLY_INTERVAL_MS after the previous apply
   * ended, or at once when half the backlog allowance is waiting, so under load each apply
   * carries thousands of events.
   */
  function scheduleApply(): void {
    if (closed) return;
    const due = batches.backlogEvents() >= APPLY_EARLY_EVENTS;
    if (applyTimer && due) {
      clearTimeout(applyTimer);
      applyTimer = null;
      applyScheduled = false;
    }
    if (applyScheduled) return;
    applyScheduled = true;
    const wait = due ? 0 : lastApplyEnded + APPLY_INTERVAL_MS - performance.now();
    if (wait <= 0) runScheduledApply();
    else
      applyTimer = setTimeout(() => {
        applyTimer = null;
        runScheduledApply();
      }, wait);
  }

  function runScheduledApply(): void {
    void serialise(async () => {
      applyScheduled = false;
      if (closed) return;
      try {
        await batches.applyPending(false);
        applyError = null;
        lastApplyEnded = performance.now();
        if (!batches.isCaughtUp()) scheduleApply();
      } catch (error) {
        applyError = error as Error;
        setTimeout(scheduleApply, APPLY_RETRY_MS).unref();
      }
    });
  }

  /** Runs on the writer chain after everything acknowledged so far is in DuckDB. */
  function afterApplied<T>(work: () => Promise<T>): Promise<T> {
    return serialise(async () => {
      await batches.applyPending();
      return work();
    });
  }

  async function commitEncoded(encoded: () => EncodedBatch): Promise<CommitResult> {
    ensureOpen();
    version += 1;
    const batch = encoded();
    const result = await serialiseAcks(() => batches.acknowledge(batch));
    scheduleApply();
    return result;
  }

  /** Refuses work once close() has begun; work accepted before it is finished first. */
  function ensureOpen(): void {
    if (closing) throw new SightlineError(ERR_STORE_UNAVAILABLE);
  }

  /**
   * Runs a read on a reader once the log is applied, with its prepared statement cached, and
   * converts its result while the reader is still held (close waits for held readers).
   */
  async function read<T>(
    sql: string,
    params: readonly SqlValue[],
    convert: (result: DuckDBResultReader) => T,
  ): Promise<T> {
    ensureOpen();
    if (!batches.isCaughtUp()) await afterApplied(() => Promise.resolve());
    return readerPool.use(async (reader) => {
      let cache = preparedBy.get(reader);
      if (!cache) preparedBy.set(reader, (cache = new Map<string, DuckDBPreparedStatement>()));
      let statement = cache.get(sql);
      if (statement) cache.delete(sql);
      else statement = await reader.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > PREPARED_PER_READER) {
        const oldest = cache.keys().next().value as string;
        cache.get(oldest)?.destroySync();
        cache.delete(oldest);
      }
      statement.bind(toDuckValues(params));
      return convert(await statement.runAndReadAll());
    });
  }

  return {
    engine: 'duckdb',

    migrate: () =>
      serialise(async () => {
        const applied = await applyMigrations(writer);
        await batches.recover();
        return applied;
      }),

    dataVersion: () => version,

    commit(batch: WriteBatch): Promise<CommitResult> {
      return commitEncoded(() => batches.encode(batch));
    },

    commitEncoded(batch: EncodedBatch): Promise<CommitResult> {
      return commitEncoded(() => batch);
    },

    requiredColumns: () => Promise.resolve(batches.requiredColumns()),

    async query(sql: string, params: readonly SqlValue[] = []): Promise<StoreRow[]> {
      return read(sql, params, (result) => result.getRowObjectsJS().map(normaliseRow));
    },

    async queryColumns(sql: string, params: readonly SqlValue[] = []): Promise<StoreColumns> {
      return read(sql, params, columnsOf);
    },

    execute(sql: string, params: readonly SqlValue[] = []): Promise<number> {
      ensureOpen();
      version += 1;
      return afterApplied(async () => {
        const result = await writer.run(sql, toDuckValues(params));
        return Number(result.rowsChanged);
      });
    },

    executeInTransaction(statements: readonly SqlStatement[]): Promise<number[]> {
      ensureOpen();
      version += 1;
      return afterApplied(() => runInTransaction(writer, statements));
    },

    async health(): Promise<EventStoreHealth> {
      if (closing) return { ok: false, sizeBytes: null, error: 'closed' };
      if (applyError)
        return { ok: false, sizeBytes: null, error: `apply failing: ${applyError.message}` };
      try {
        await readerPool.use((reader) => reader.run('SELECT 1'));
        return {
          ok: true,
          sizeBytes: fileSize(options.path),
          applyBacklogEvents: batches.backlogEvents(),
        };
      } catch (error) {
        return { ok: false, sizeBytes: null, error: (error as Error).message };
      }
    },

    async close(): Promise<void> {
      if (closing) return;
      closing = true;
      await serialiseAcks(() => Promise.resolve());
      await afterApplied(async () => {
        closed = true;
        if (applyTimer) clearTimeout(applyTimer);
        await writer.run('CHECKPOINT');
      });
      // Reads accepted before close() began finish first: running, or waiting for a reader.
      await readerPool.idle();
      for (const cache of preparedBy.values())
        for (const statement of cache.values()) statement.destroySync();
      preparedBy.clear();
      for (const reader of readers) reader.closeSync();
      writer.closeSync();
      instance.closeSync();
      dedupe.close();
      log.close();
    },
  };
}

/** Runs async work one after another, whatever happened to the previous one. */
function createChain() {
  let chain: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work, work);
    chain = next.catch(() => undefined);
    return next;
  };
}

/**
 * Lends out one free item at a time; callers beyond the pool's size wait their turn. `idle()`
 * resolves once every item is back and no one waits: closing a connection while DuckDB runs a
 * statement on it aborts the process.
 */
function createPool<T>(items: readonly T[]) {
  const free = [...items];
  const waiting: Array<(item: T) => void> = [];
  let onIdle: Array<() => void> = [];
  return {
    async use<R>(work: (item: T) => Promise<R>): Promise<R> {
      const item = free.pop() ?? (await new Promise<T>((resolve) => waiting.push(resolve)));
      try {
        return await work(item);
      } finally {
        const next = waiting.shift();
        if (next) next(item);
        else free.push(item);
        if (free.length === items.length) {
          for (const resolve of onIdle) resolve();
          onIdle = [];
        }
      }
    },
    idle(): Promise<void> {
      if (free.length === items.length) return Promise.resolve();
      return new Promise((resolve) => onIdle.push(resolve));
    },
  };
}

/** For ':memory:' stores: nothing survives the process anyway. */
function createMemoryLog(): IngestLog {
  return {
    append: () => undefined,
    readAfter: () => [],
    seal: () => [],
    remove: () => undefined,
    dropUpTo: () => undefined,
    quarantine: () => undefined,
    close: () => undefined,
  };
}

async function applyMigrations(connection: DuckDBConnection): Promise<number> {
  await connection.run(
    `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
  );
  const done = await connection.runAndReadAll('SELECT version FROM schema_migrations');
  const applied = new Set(done.getRowsJS().map((row) => Number(row[0])));
  let count = 0;
  for (const migration of DUCKDB_MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    await connection.run('BEGIN TRANSACTION');
    try {
      for (const statement of migration.statements) await connection.run(statement);
      await connection.run('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      await connection.run('COMMIT');
      count += 1;
    } catch (error) {
      await connection.run('ROLLBACK');
      throw error;
    }
  }
  return count;
}

async function runInTransaction(
  connection: DuckDBConnection,
  statements: readonly SqlStatement[],
): Promise<number[]> {
  await connection.run('BEGIN TRANSACTION');
  try {
    const counts: number[] = [];
    for (const statement of statements) {
      const result = await connection.run(statement.sql, toDuckValues(statement.params ?? []));
      counts.push(Number(result.rowsChanged));
    }
    await connection.run('COMMIT');
    return counts;
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

function toDuckValues(params: readonly SqlValue[]): DuckDBValue[] {
  return params.map((value) => (value instanceof Date ? value.toISOString() : value));
}

function normaliseRow(row: Record<string, unknown>): StoreRow {
  for (const key of Object.keys(row)) {
    const value = row[key];
    if (
      typeof value === 'bigint' &&
      value <= BigInt(Number.MAX_SAFE_INTEGER) &&
      value >= BigInt(Number.MIN_SAFE_INTEGER)
    ) {
      row[key] = Number(value);
    }
  }
  return row;
}

function fileSize(path: string): number | null {
  if (path === ':memory:') return null;
  let total = 0;
  for (const file of [path, `${path}.wal`]) {
    try {
      total += statSync(file).size;
    } catch {
      // no WAL right after a checkpoint
    }
  }
  return total;
}

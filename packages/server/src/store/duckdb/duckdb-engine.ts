import { statSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { ERR_STORE_UNAVAILABLE, SightlineError } from '@sightline/shared';
import type {
  EventStore,
  EventStoreHealth,
  SqlStatement,
  SqlValue,
  StoreRow,
} from '../event-store.ts';
import type { CommitResult, WriteBatch } from '../rows.ts';
import { createBatchWriter } from './duckdb-batch-writer.ts';
import { openDedupeIndex } from './dedupe-index.ts';
import { DUCKDB_MIGRATIONS } from './duckdb-migrations.ts';

export interface DuckDbEventStoreOptions {
  /** Database file; ':memory:' for throwaway stores. */
  path: string;
  /** DuckDB threads; defaults to the engine's choice (all cores). */
  threads?: number;
  /** Memory limit such as '2GB'. */
  memoryLimit?: string;
}

/**
 * The DuckDB engine itself, on the calling thread. One connection writes (commits are
 * serialised through a promise chain), another reads, so queries keep answering during ingest.
 * DuckDB syncs its WAL on commit, which is what makes an acknowledged event survive kill -9 and
 * power loss. The server runs it inside a worker thread (duckdb-event-store.ts).
 */
export async function createDuckDbEngine(options: DuckDbEventStoreOptions): Promise<EventStore> {
  const config: Record<string, string> = {};
  if (options.threads) config.threads = String(options.threads);
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  const instance = await DuckDBInstance.create(options.path, config);
  const writer = await instance.connect();
  const reader = await instance.connect();
  for (const connection of [writer, reader]) await connection.run(`SET TimeZone = 'UTC'`);
  const dedupe = openDedupeIndex(
    options.path === ':memory:' ? ':memory:' : `${options.path}.ids.sqlite`,
  );
  const batches = createBatchWriter(writer, dedupe);
  let writeChain: Promise<unknown> = Promise.resolve();
  let closed = false;

  function serialise<T>(work: () => Promise<T>): Promise<T> {
    const next = writeChain.then(work, work);
    writeChain = next.catch(() => undefined);
    return next;
  }

  function ensureOpen(): void {
    if (closed) throw new SightlineError(ERR_STORE_UNAVAILABLE);
  }

  return {
    engine: 'duckdb',

    migrate: () =>
      serialise(async () => {
        const applied = await applyMigrations(writer);
        await batches.catchUp();
        return applied;
      }),

    commit(batch: WriteBatch): Promise<CommitResult> {
      ensureOpen();
      return serialise(() => batches.commit(batch));
    },

    async query(sql: string, params: readonly SqlValue[] = []): Promise<StoreRow[]> {
      ensureOpen();
      const reader_ = await reader.runAndReadAll(sql, toDuckValues(params));
      return reader_.getRowObjectsJS().map(normaliseRow);
    },

    execute(sql: string, params: readonly SqlValue[] = []): Promise<number> {
      ensureOpen();
      return serialise(async () => {
        const result = await writer.run(sql, toDuckValues(params));
        return Number(result.rowsChanged);
      });
    },

    executeInTransaction(statements: readonly SqlStatement[]): Promise<number[]> {
      ensureOpen();
      return serialise(() => runInTransaction(writer, statements));
    },

    async health(): Promise<EventStoreHealth> {
      if (closed) return { ok: false, sizeBytes: null, error: 'closed' };
      try {
        await reader.run('SELECT 1');
        return { ok: true, sizeBytes: fileSize(options.path) };
      } catch (error) {
        return { ok: false, sizeBytes: null, error: (error as Error).message };
      }
    },

    async close(): Promise<void> {
      if (closed) return;
      await serialise(async () => {
        closed = true;
        await writer.run('CHECKPOINT');
      });
      reader.closeSync();
      writer.closeSync();
      instance.closeSync();
      dedupe.close();
    },
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

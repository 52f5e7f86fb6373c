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
import {
  buildJsonInsertSql,
  EVENT_COLUMNS,
  IDENTITY_COLUMNS,
  INVENTORY_COLUMNS,
  ORDER_COLUMNS,
  ORDER_ITEM_COLUMNS,
  PRODUCT_COLUMNS,
  REFUND_COLUMNS,
  serializeRows,
  STAT_COLUMNS,
} from '../row-columns.ts';
import type { CommitResult, EventRow, IngestStatRow, WriteBatch } from '../rows.ts';
import { DUCKDB_MIGRATIONS } from './duckdb-migrations.ts';

const HOUR_MS = 3_600_000;

const SQL_DELETE_ORDER_ITEMS =
  `DELETE FROM order_items WHERE (project_id, order_id) IN ` +
  `(SELECT (k[1], k[2]) FROM (SELECT unnest(from_json($1::VARCHAR, '[["VARCHAR"]]')) AS k))`;

const SQL = {
  eventsPlain: buildJsonInsertSql('events', EVENT_COLUMNS, ''),
  events: buildJsonInsertSql(
    'events',
    EVENT_COLUMNS,
    'OR IGNORE',
    'RETURNING event_id::VARCHAR AS id',
  ),
  identities: buildJsonInsertSql('identities', IDENTITY_COLUMNS, 'OR IGNORE'),
  orders: buildJsonInsertSql('orders', ORDER_COLUMNS, 'OR REPLACE'),
  orderItems: buildJsonInsertSql('order_items', ORDER_ITEM_COLUMNS, 'OR REPLACE'),
  refunds: buildJsonInsertSql('refunds', REFUND_COLUMNS, 'OR REPLACE'),
  products: buildJsonInsertSql('products', PRODUCT_COLUMNS, 'OR REPLACE'),
  inventory: buildJsonInsertSql('inventory_snapshots', INVENTORY_COLUMNS, 'OR REPLACE'),
  stats: buildJsonInsertSql(
    'ingest_stats',
    STAT_COLUMNS,
    '',
    'ON CONFLICT DO UPDATE SET count = ingest_stats.count + excluded.count',
  ),
};

export interface DuckDbEventStoreOptions {
  /** Database file; ':memory:' for throwaway stores. */
  path: string;
  /** DuckDB threads; defaults to the engine's choice (all cores). */
  threads?: number;
  /** Memory limit such as '2GB'. */
  memoryLimit?: string;
}

/**
 * EventStore on an embedded DuckDB file. One connection writes (commits are serialised through a
 * promise chain), another reads, so dashboards keep answering during ingest. DuckDB syncs its WAL
 * on commit, which is what makes an acknowledged event survive kill -9 and power loss.
 */
export async function createDuckDbEventStore(
  options: DuckDbEventStoreOptions,
): Promise<EventStore> {
  const config: Record<string, string> = {};
  if (options.threads) config.threads = String(options.threads);
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  const instance = await DuckDBInstance.create(options.path, config);
  const writer = await instance.connect();
  const reader = await instance.connect();
  for (const connection of [writer, reader]) await connection.run(`SET TimeZone = 'UTC'`);
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

    migrate: () => serialise(() => applyMigrations(writer)),

    commit(batch: WriteBatch): Promise<CommitResult> {
      ensureOpen();
      return serialise(() => commitBatch(writer, batch));
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

/** DuckDB's message when an insert hits an existing primary key. */
const DUPLICATE_KEY_ERROR = /duplicate key|violates primary key/i;

/**
 * Events are first inserted plainly: the primary key still rejects any stored id, and a plain
 * insert costs a third of INSERT OR IGNORE. Only when that fails on a duplicate (a replayed
 * batch) is the whole commit redone with OR IGNORE … RETURNING to learn which ids are new.
 */
async function commitBatch(connection: DuckDBConnection, batch: WriteBatch): Promise<CommitResult> {
  const unique = dropRepeatedEvents(batch.events);
  const eventsJson = unique.length > 0 ? serializeRows(unique) : null;
  try {
    return await writeTransaction(connection, batch, eventsJson, async (json) => {
      await connection.run(SQL.eventsPlain, [json]);
      return new Set(unique.map((event) => event.eventId));
    });
  } catch (error) {
    if (!eventsJson || !DUPLICATE_KEY_ERROR.test((error as Error).message)) throw error;
  }
  return writeTransaction(connection, batch, eventsJson, async (json) => {
    const result = await connection.runAndReadAll(SQL.events, [json]);
    return new Set(result.getRowObjectsJS().map((row) => row.id as string));
  });
}

async function writeTransaction(
  connection: DuckDBConnection,
  batch: WriteBatch,
  eventsJson: string | null,
  insertEvents: (json: string) => Promise<Set<string>>,
): Promise<CommitResult> {
  await connection.run('BEGIN TRANSACTION');
  try {
    const inserted = eventsJson ? await insertEvents(eventsJson) : new Set<string>();
    await insertJson(connection, SQL.identities, batch.identities);
    if (batch.orders.length > 0) {
      // An order's lines are replaced as a whole, so a re-import with fewer lines leaves none behind.
      await connection.run(SQL_DELETE_ORDER_ITEMS, [
        JSON.stringify(batch.orders.map((order) => [order.projectId, order.orderId])),
      ]);
    }
    await insertJson(connection, SQL.orders, batch.orders);
    await insertJson(connection, SQL.orderItems, batch.orderItems);
    await insertJson(connection, SQL.refunds, batch.refunds);
    await insertJson(connection, SQL.products, batch.products);
    await insertJson(connection, SQL.inventory, batch.inventory);
    const stats = mergeStats(batch.stats, batch.events, inserted);
    await insertJson(connection, SQL.stats, stats);
    await connection.run('COMMIT');
    return { insertedEventIds: inserted };
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
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

async function insertJson(connection: DuckDBConnection, sql: string, rows: readonly object[]) {
  if (rows.length > 0) await connection.run(sql, [serializeRows(rows)]);
}

/** The first occurrence of an id within one batch wins; DuckDB rejects repeats in one insert. */
function dropRepeatedEvents(events: readonly EventRow[]): EventRow[] {
  const seen = new Set<string>();
  return events.filter((event) => !seen.has(event.eventId) && seen.add(event.eventId));
}

/** Counts accepted and duplicate events per project and hour of receipt, plus the batch's own stats. */
function mergeStats(
  given: readonly IngestStatRow[],
  events: readonly EventRow[],
  inserted: ReadonlySet<string>,
): IngestStatRow[] {
  const byKey = new Map<string, IngestStatRow>();
  const add = (row: IngestStatRow) => {
    const key = `${row.projectId}\u0000${row.hour}\u0000${row.outcome}\u0000${row.code}`;
    const existing = byKey.get(key);
    if (existing) existing.count += row.count;
    else byKey.set(key, { ...row });
  };
  for (const row of given) add(row);
  const counted = new Set<string>();
  for (const event of events) {
    const hour = Math.floor(event.receivedAt / HOUR_MS) * HOUR_MS;
    // Only the first occurrence of an inserted id is "accepted"; every other copy is a duplicate.
    const accepted = inserted.has(event.eventId) && !counted.has(event.eventId);
    if (accepted) counted.add(event.eventId);
    add({
      projectId: event.projectId,
      hour,
      outcome: accepted ? 'accepted' : 'duplicate',
      code: '',
      count: 1,
    });
  }
  return [...byKey.values()];
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

import type { CommitResult, WriteBatch } from './rows.ts';

/** A bound SQL value. Identifiers never travel as values: they come from allowlists. */
export type SqlValue = string | number | boolean | null | bigint | Date;

/** One statement of a transaction: SQL with positional parameters ($1, $2, …). */
export interface SqlStatement {
  sql: string;
  params?: readonly SqlValue[];
}

/** A row as returned by the store: BIGINT as number when safe, timestamps as Date. */
export type StoreRow = Record<string, unknown>;

/**
 * One column of queryColumns: numbers (any integer or floating type, as doubles) and booleans
 * in typed arrays, texts as codes into a dictionary of the distinct values. `nulls` (1: NULL)
 * is present only when the column has a NULL; a text NULL is also code -1.
 */
export type StoreColumn =
  | { kind: 'number'; values: Float64Array; nulls: Uint8Array | null }
  | { kind: 'boolean'; values: Uint8Array; nulls: Uint8Array | null }
  | { kind: 'text'; codes: Int32Array; dictionary: string[] };

/** A read's rows by column (queryColumns). */
export interface StoreColumns {
  rowCount: number;
  columns: Record<string, StoreColumn>;
}

export interface EventStoreHealth {
  ok: boolean;
  /** Bytes of the database file (and WAL), when the engine has a file. */
  sizeBytes: number | null;
  /**
   * Acknowledged events not yet in the engine's tables (durable in the ingest log; a query
   * applies them before it reads). Stays near zero except under sustained ingest.
   */
  applyBacklogEvents?: number;
  error?: string;
}

/**
 * The narrow interface every analytics backend implements: DuckDB file by default, ClickHouse
 * later. Writes arrive as whole batches (one atomic commit each); reads are SQL with bound
 * parameters, built by the metrics/query layer through the engine's dialect.
 */
export interface EventStore {
  readonly engine: 'duckdb';
  /** Applies pending migrations; safe to call on every start. */
  migrate(): Promise<number>;
  /** Writes the batch atomically and durably; duplicate event ids are skipped, not stored twice. */
  commit(batch: WriteBatch): Promise<CommitResult>;
  /** Runs a read query with positional parameters ($1, $2, …). */
  query(sql: string, params?: readonly SqlValue[]): Promise<StoreRow[]>;
  /**
   * Runs a read query whose columns are numbers, booleans or texts, and returns them by column:
   * for reads of many rows, which would cost far more as one object per row. Other column
   * types are refused.
   */
  queryColumns(sql: string, params?: readonly SqlValue[]): Promise<StoreColumns>;
  /** Runs a maintenance statement (deletes, checkpoints) and returns the affected row count. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Runs maintenance statements in one transaction, in order: all of them take effect or none
   * does. Returns each statement's affected row count.
   */
  executeInTransaction(statements: readonly SqlStatement[]): Promise<number[]>;
  health(): Promise<EventStoreHealth>;
  /**
   * A number that changes whenever stored data may have changed (commits, deletes, imports):
   * result caches compare it to know whether a cached answer is still exact.
   */
  dataVersion(): number;
  /** Flushes and closes; after this every call fails. */
  close(): Promise<void>;
}

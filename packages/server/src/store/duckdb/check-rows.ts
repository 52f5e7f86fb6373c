import type { DuckDBConnection } from '@duckdb/node-api';
import {
  IDENTITY_COLUMNS,
  INVENTORY_COLUMNS,
  ORDER_COLUMNS,
  ORDER_ITEM_COLUMNS,
  PRODUCT_COLUMNS,
  REFUND_COLUMNS,
  STAT_COLUMNS,
  type ColumnSpec,
} from '../row-columns.ts';
import type { WriteBatch } from '../rows.ts';

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A batch's rows other than its events (encode-batch.ts checks events as it encodes them). */
export type BatchFacts = Omit<WriteBatch, 'events'>;

const TABLES: ReadonlyArray<[keyof BatchFacts, string, readonly ColumnSpec[]]> = [
  ['identities', 'identities', IDENTITY_COLUMNS],
  ['orders', 'orders', ORDER_COLUMNS],
  ['orderItems', 'order_items', ORDER_ITEM_COLUMNS],
  ['refunds', 'refunds', REFUND_COLUMNS],
  ['products', 'products', PRODUCT_COLUMNS],
  ['inventory', 'inventory_snapshots', INVENTORY_COLUMNS],
  ['stats', 'ingest_stats', STAT_COLUMNS],
];

export type RowChecker = (facts: BatchFacts) => string | null;

/** `table.column` names DuckDB's catalogue marks NOT NULL (the migrations stay the one source). */
export async function readRequiredColumns(connection: DuckDBConnection): Promise<string[]> {
  const result = await connection.runAndReadAll(
    `SELECT table_name || '.' || column_name AS name FROM information_schema.columns WHERE is_nullable = 'NO'`,
  );
  return result.getRowObjectsJS().map((row) => row.name as string);
}

/**
 * A batch is acknowledged before DuckDB applies it, so anything DuckDB would refuse has to be
 * refused here. Required columns come from DuckDB's own catalogue (readRequiredColumns); kinds
 * come from row-columns.ts. Events are checked by the same rules (checkValue) while encoded.
 */
export function createRowChecker(required: ReadonlySet<string>): RowChecker {
  const checks = TABLES.map(([key, table, columns]) => ({
    key,
    table,
    columns: columns.map(([column, field, kind]) => ({
      column,
      field,
      kind,
      required: required.has(`${table}.${column}`),
    })),
  }));

  return (facts) => {
    for (const { key, table, columns } of checks) {
      const rows = facts[key] as unknown as ReadonlyArray<Record<string, unknown>>;
      for (let i = 0; i < rows.length; i += 1) {
        const row = rows[i] as Record<string, unknown>;
        for (const { column, field, kind, required: isRequired } of columns) {
          const value = row[field];
          if (value === null || value === undefined) {
            if (isRequired) return `${table}[${i}].${column} is required`;
            continue;
          }
          const problem = checkValue(kind, value);
          if (problem) return `${table}[${i}].${column} ${problem}`;
        }
      }
    }
    return null;
  };
}

export function checkValue(kind: ColumnSpec[2], value: unknown): string | null {
  switch (kind) {
    case 'uuid':
      return typeof value === 'string' && UUID_PATTERN.test(value) ? null : 'must be a UUID';
    case 'text':
      return typeof value === 'string' ? null : 'must be text';
    case 'bool':
      return typeof value === 'boolean' ? null : 'must be a boolean';
    case 'int':
      return Number.isInteger(value) && Math.abs(value as number) < 2 ** 31
        ? null
        : 'must be a 32-bit integer';
    case 'bigint':
    case 'time':
      return Number.isSafeInteger(value) ? null : 'must be an integer';
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a finite number';
  }
}

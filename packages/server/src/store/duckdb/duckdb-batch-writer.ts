import type { DuckDBConnection } from '@duckdb/node-api';
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
import type { DedupeIndex } from './dedupe-index.ts';

const HOUR_MS = 3_600_000;
/** Commits whose ids are re-read per query during catch-up (bounded memory). */
const CATCH_UP_COMMITS = 50;

const SQL = {
  events: buildJsonInsertSql('events', EVENT_COLUMNS, '', '', ['commit_seq']),
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
  deleteOrderItems:
    `DELETE FROM order_items WHERE (project_id, order_id) IN ` +
    `(SELECT (k[1], k[2]) FROM (SELECT unnest(from_json($1::VARCHAR, '[["VARCHAR"]]')) AS k))`,
};

/**
 * Applies write batches on the writer connection: new event ids are claimed in the dedupe index,
 * then everything is written in one DuckDB transaction, and the claim is kept only if that
 * transaction committed.
 */
export function createBatchWriter(connection: DuckDBConnection, dedupe: DedupeIndex) {
  let nextSeq = 1;
  /** Set when DuckDB committed but the index could not record it: later commits would miss ids. */
  let indexBehind = false;

  return {
    /** Brings the dedupe index up to date with DuckDB (after a crash, or when it was deleted). */
    async catchUp(): Promise<number> {
      const [maxRow] = (
        await connection.runAndReadAll('SELECT max(commit_seq) AS m FROM events')
      ).getRowObjectsJS();
      const last = Number(maxRow?.m ?? 0);
      nextSeq = last + 1;
      let added = 0;
      for (let from = dedupe.watermark(); from < last; from += CATCH_UP_COMMITS) {
        const to = Math.min(last, from + CATCH_UP_COMMITS);
        const rows = await connection.runAndReadAll(
          'SELECT event_id::VARCHAR AS id FROM events WHERE commit_seq > $1 AND commit_seq <= $2',
          [from, to],
        );
        const ids = rows.getRowObjectsJS().map((row) => row.id as string);
        dedupe.recordStored(ids, to);
        added += ids.length;
      }
      return added;
    },

    async commit(batch: WriteBatch): Promise<CommitResult> {
      if (indexBehind)
        throw new Error('dedupe index is behind the event store; restart to rebuild it');
      const unique = dropRepeatedEvents(batch.events);
      const isNew = dedupe.claim(unique.map((event) => event.eventId));
      const fresh = unique.filter((_, index) => isNew[index]);
      const inserted = new Set(fresh.map((event) => event.eventId));
      const seq = nextSeq;
      await connection.run('BEGIN TRANSACTION');
      try {
        if (fresh.length > 0) await connection.run(SQL.events, [serializeRows(fresh), seq]);
        await insertJson(connection, SQL.identities, batch.identities);
        if (batch.orders.length > 0) {
          // An order's lines are replaced as a whole, so a re-import with fewer lines leaves none.
          await connection.run(SQL.deleteOrderItems, [
            JSON.stringify(batch.orders.map((order) => [order.projectId, order.orderId])),
          ]);
        }
        await insertJson(connection, SQL.orders, batch.orders);
        await insertJson(connection, SQL.orderItems, batch.orderItems);
        await insertJson(connection, SQL.refunds, batch.refunds);
        await insertJson(connection, SQL.products, batch.products);
        await insertJson(connection, SQL.inventory, batch.inventory);
        await insertJson(connection, SQL.stats, mergeStats(batch.stats, batch.events, inserted));
        await connection.run('COMMIT');
      } catch (error) {
        await connection.run('ROLLBACK').catch(() => undefined);
        dedupe.abort();
        throw error;
      }
      nextSeq += 1;
      try {
        dedupe.commit(seq);
      } catch {
        indexBehind = true; // the events are committed; the next open rebuilds the index
      }
      return { insertedEventIds: inserted };
    },
  };
}

async function insertJson(connection: DuckDBConnection, sql: string, rows: readonly object[]) {
  if (rows.length > 0) await connection.run(sql, [serializeRows(rows)]);
}

/** The first occurrence of an id within one batch wins; later ones are duplicates. */
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

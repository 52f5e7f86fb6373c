import type { DuckDBConnection } from '@duckdb/node-api';
import {
  buildJsonInsertSql,
  IDENTITY_COLUMNS,
  INVENTORY_COLUMNS,
  ORDER_COLUMNS,
  ORDER_ITEM_COLUMNS,
  PRODUCT_COLUMNS,
  REFUND_COLUMNS,
  serializeRows,
  STAT_COLUMNS,
} from '../row-columns.ts';
import type { CommitResult, IngestStatRow, WriteBatch } from '../rows.ts';
import type { DedupeIndex } from './dedupe-index.ts';
import type { IngestLog, LogRecord, SealedSegment } from './ingest-log.ts';
import { appendEvents } from './event-appender.ts';
import { eventsFromSegmentSql } from './segment-events-sql.ts';
import { readRequiredColumns } from './check-rows.ts';
import {
  createBatchEncoder,
  decodeEvents,
  type BatchEncoder,
  type BatchFacts,
  type EncodedBatch,
} from './encode-batch.ts';
import {
  linkPeopleRollup,
  PEOPLE_ROLLUP_EVENTS,
  ROLLUP_FIRST_EVENTS_OF_COMMIT,
  rollupPeopleOf,
} from './people-rollups.ts';
import { rollupTasksOf } from './task-rollup.ts';

/** Commits whose ids are re-read per query during catch-up (bounded memory). */
const CATCH_UP_COMMITS = 50;

const SQL = {
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
  markApplied: `INSERT OR REPLACE INTO applied_seq (id, seq) VALUES (1, $1)`,
  // Rollups of the events this commit added (they all carry its commit_seq); migrations 3–8.
  rollupCounts:
    `INSERT INTO rollup_event_counts SELECT project_id, date_trunc('minute', event_time), type, ` +
    `name, is_bot, coalesce(status, -1), coalesce(json_extract_string(props, '$.timeout') = 'true', false), ` +
    `count(*) FROM events WHERE commit_seq = $1 GROUP BY ALL ` +
    `ON CONFLICT DO UPDATE SET events = rollup_event_counts.events + excluded.events`,
  rollupTasks: rollupTasksOf('commit_seq = $1'),
  deleteOrderItems:
    `DELETE FROM order_items WHERE (project_id, order_id) IN ` +
    `(SELECT (k[1], k[2]) FROM (SELECT unnest(from_json($1::VARCHAR, '[["VARCHAR"]]')) AS k))`,
};

/** Each people rollup: its rows of a commit ($1: commit_seq), and its earlier rows newly linked. */
const PEOPLE_ROLLUPS = Object.entries(PEOPLE_ROLLUP_EVENTS).map(([table, where]) => ({
  write: rollupPeopleOf(table, `e.commit_seq = $1 AND ${where}`),
  link: linkPeopleRollup(table),
}));

export interface BatchWriterOptions {
  /** Writer connection; only the apply stage and its caller's serialised work use it. */
  connection: DuckDBConnection;
  dedupe: DedupeIndex;
  log: IngestLog;
  /** Acknowledged events not yet in DuckDB before acknowledging waits (bounds memory). */
  maxBacklogEvents: number;
  /** Told about records DuckDB refused and that were set aside (they are in the log's rejected/). */
  onQuarantine?: (seq: number, reason: string) => void;
}

/**
 * Events per apply transaction at most. Serialising rows for DuckDB runs on this thread, which
 * also acknowledges incoming batches; smaller groups let acknowledgements in between.
 */
const APPLY_GROUP_EVENTS = 5_000;

/** DuckDB errors that retrying the same rows cannot fix (unlike I/O or memory errors). */
const PERMANENT_ERROR = /^(Constraint|Conversion|Invalid Input|Binder|Parser) Error/;

/**
 * Two stages. Acknowledge: claim new event ids in the dedupe index, append the batch to the
 * ingest log and sync it, keep the claim — the batch is durable and the caller is answered.
 * Apply: everything acknowledged so far goes into DuckDB in one transaction stamped with the
 * highest log sequence; the log drops what DuckDB holds. On open, log records past DuckDB's
 * highest `commit_seq` are applied again, and the dedupe index catches up from DuckDB.
 */
export function createBatchWriter(options: BatchWriterOptions) {
  const { connection, dedupe, log } = options;
  let nextSeq = 1;
  let appliedSeq = 0;
  let pending: LogRecord[] = [];
  let pendingEvents = 0;
  let backlogWaiters: Array<() => void> = [];
  let encoder: BatchEncoder | null = null;
  let requiredColumns: string[] = [];
  /** Log segments closed for applying, oldest first. */
  let sealed: SealedSegment[] = [];

  /**
   * Applies records in one transaction. Given the sealed log segment that holds exactly these
   * records, DuckDB reads their events from the file itself (no JavaScript work per event);
   * otherwise the events are appended from memory.
   */
  async function applyRecords(
    records: readonly LogRecord[],
    segment: SealedSegment | null = null,
  ): Promise<void> {
    if (records.length === 0) return;
    const seq = (records[records.length - 1] as LogRecord).seq;
    const merged = mergeFacts(records);
    await connection.run('BEGIN TRANSACTION');
    try {
      if (segment) await connection.run(eventsFromSegmentSql(segment.path), [appliedSeq, seq]);
      else await appendEvents(connection, decodeEvents(records.flatMap((r) => r.events)), seq);
      // Identities first: the people rollups link this commit's rows as they write them, then
      // earlier rows of the anonymous ids it linked.
      await insertJson(connection, SQL.identities, merged.identities);
      await connection.run(SQL.rollupCounts, [seq]);
      await connection.run(SQL.rollupTasks, [seq]);
      for (const rollup of PEOPLE_ROLLUPS) await connection.run(rollup.write, [seq]);
      if (merged.identities.length > 0) {
        const links = JSON.stringify(merged.identities.map((i) => [i.projectId, i.anonymousId]));
        for (const rollup of PEOPLE_ROLLUPS) await connection.run(rollup.link, [links]);
      }
      await connection.run(ROLLUP_FIRST_EVENTS_OF_COMMIT, [seq]);
      if (merged.orders.length > 0) {
        // An order's lines are replaced as a whole, so a re-import with fewer lines leaves none.
        await connection.run(SQL.deleteOrderItems, [
          JSON.stringify(merged.orders.map((order) => [order.projectId, order.orderId])),
        ]);
      }
      await insertJson(connection, SQL.orders, merged.orders);
      await insertJson(connection, SQL.orderItems, merged.orderItems);
      await insertJson(connection, SQL.refunds, merged.refunds);
      await insertJson(connection, SQL.products, merged.products);
      await insertJson(connection, SQL.inventory, merged.inventory);
      await insertJson(connection, SQL.stats, merged.stats);
      // Recovery replays records past this mark; counters must not be applied twice.
      await connection.run(SQL.markApplied, [seq]);
      await connection.run('COMMIT');
    } catch (error) {
      await connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
    appliedSeq = seq;
  }

  /**
   * Applies a group; if DuckDB refuses it for good (a constraint the checks missed), applies the
   * records one by one and sets aside the ones it refuses, so one bad record cannot stop ingest.
   */
  async function applyOrQuarantine(
    records: readonly LogRecord[],
    segment: SealedSegment | null = null,
  ): Promise<void> {
    try {
      await applyRecords(records, segment);
      return;
    } catch (error) {
      if (!PERMANENT_ERROR.test((error as Error).message)) throw error;
    }
    for (const record of records) {
      try {
        await applyRecords([record]);
      } catch (error) {
        const reason = (error as Error).message;
        if (!PERMANENT_ERROR.test(reason)) throw error;
        log.quarantine(record, reason);
        options.onQuarantine?.(record.seq, reason);
        appliedSeq = record.seq;
      }
    }
  }

  return {
    /** Replays acknowledged records DuckDB lacks, then brings the dedupe index up to date. */
    async recover(): Promise<{ replayed: number; recorded: number }> {
      requiredColumns = await readRequiredColumns(connection);
      encoder = createBatchEncoder(new Set(requiredColumns));
      const stored = await maxSeq(connection);
      appliedSeq = stored;
      const records = log.readAfter(stored);
      await applyOrQuarantine(records);
      nextSeq = Math.max(stored, records.at(-1)?.seq ?? 0) + 1;
      log.dropUpTo(appliedSeq);
      let recorded = 0;
      for (let from = dedupe.watermark(); from < appliedSeq; from += CATCH_UP_COMMITS) {
        const to = Math.min(appliedSeq, from + CATCH_UP_COMMITS);
        const rows = await connection.runAndReadAll(
          'SELECT event_id::VARCHAR AS id FROM events WHERE commit_seq > $1 AND commit_seq <= $2',
          [from, to],
        );
        const ids = rows.getRowObjectsJS().map((row) => row.id as string);
        dedupe.recordStored(ids, to);
        recorded += ids.length;
      }
      return { replayed: records.length, recorded };
    },

    /** NOT NULL columns per DuckDB's catalogue, for encoders on other threads (after recover). */
    requiredColumns: () => requiredColumns,

    /** Checks and encodes a batch for acknowledge(); throws BatchRefusedError for bad rows. */
    encode(batch: WriteBatch): EncodedBatch {
      if (!encoder) throw new Error('event store not recovered yet');
      return encoder(batch);
    },

    /** The acknowledge stage: when this resolves, the batch is durable. */
    async acknowledge(batch: EncodedBatch): Promise<CommitResult> {
      while (pendingEvents > options.maxBacklogEvents) {
        await new Promise<void>((resolve) => backlogWaiters.push(resolve));
      }
      if (!encoder) throw new Error('event store not recovered yet');
      const unique = firstOccurrences(batch.eventIds);
      const isNew = dedupe.claim(unique.map((index) => batch.eventIds[index] as string));
      const fresh = unique.filter((_, k) => isNew[k]);
      const inserted = new Set(fresh.map((index) => batch.eventIds[index] as string));
      const record: LogRecord = {
        seq: nextSeq,
        events: fresh.map((index) => batch.events[index] as string),
        facts: { ...batch.facts, stats: mergeStats(batch, inserted) },
      };
      try {
        log.append(record);
      } catch (error) {
        dedupe.abort();
        throw error;
      }
      dedupe.commit(record.seq);
      nextSeq += 1;
      pending.push(record);
      pendingEvents += record.events.length;
      return { insertedEventIds: inserted };
    },

    /**
     * The apply stage, run on the serialised writer: everything acknowledged before the call,
     * and with `untilCaughtUp` also what arrives meanwhile, until none is left.
     */
    async applyPending(untilCaughtUp = true): Promise<void> {
      const target = nextSeq - 1;
      while (pending.length > 0 && (untilCaughtUp || (pending[0] as LogRecord).seq <= target)) {
        // Segments sealed earlier but not applied yet (a failed apply) come first.
        if (sealed.length === 0) sealed = log.seal();
        const segment = sealed[0] ?? null;
        let take = 0;
        let events = 0;
        if (segment) {
          while (take < pending.length && (pending[take] as LogRecord).seq <= segment.lastSeq)
            take += 1;
        } else {
          while (take < pending.length && (take === 0 || events < APPLY_GROUP_EVENTS)) {
            events += (pending[take] as LogRecord).events.length;
            take += 1;
          }
        }
        const records = pending.slice(0, take);
        pending = pending.slice(take);
        try {
          await applyOrQuarantine(records, segment);
        } catch (error) {
          pending = [...records, ...pending]; // kept in the log and here; retried next time
          throw error;
        }
        pendingEvents -= records.reduce((sum, record) => sum + record.events.length, 0);
        if (segment) {
          log.remove(segment);
          sealed.shift();
        }
        log.dropUpTo(appliedSeq);
        const waiters = backlogWaiters;
        backlogWaiters = [];
        for (const wake of waiters) wake();
        // Let acknowledgements queued meanwhile run before the next group.
        await new Promise((resolve) => setImmediate(resolve));
      }
    },

    /** Acknowledged events not yet in DuckDB. */
    backlogEvents: () => pendingEvents,

    /** Everything acknowledged so far is in DuckDB (none queued, none being applied). */
    isCaughtUp: () => appliedSeq >= nextSeq - 1,
  };
}

export type BatchWriter = ReturnType<typeof createBatchWriter>;

async function maxSeq(connection: DuckDBConnection): Promise<number> {
  const rows = await connection.runAndReadAll(
    'SELECT greatest(coalesce((SELECT max(commit_seq) FROM events), 0), coalesce((SELECT max(seq) FROM applied_seq), 0)) AS m',
  );
  return Number(rows.getRowObjectsJS()[0]?.m ?? 0);
}

async function insertJson(connection: DuckDBConnection, sql: string, rows: readonly object[]) {
  if (rows.length > 0) await connection.run(sql, [serializeRows(rows)]);
}

/** Merges the non-event rows of records applied together. */
function mergeFacts(records: readonly LogRecord[]): BatchFacts {
  const merged: BatchFacts = {
    identities: [],
    orders: [],
    orderItems: [],
    refunds: [],
    products: [],
    inventory: [],
    stats: [],
  };
  for (const { facts } of records) {
    for (const key of Object.keys(merged) as (keyof BatchFacts)[]) {
      // A loop, not push(...rows): spreading tens of thousands of rows overflows the call stack.
      const target = merged[key] as unknown[];
      for (const row of facts[key]) target.push(row);
    }
  }
  return merged;
}

/** Indices of each id's first occurrence within one batch; later ones are duplicates. */
function firstOccurrences(ids: readonly string[]): number[] {
  const seen = new Set<string>();
  const indices: number[] = [];
  for (let i = 0; i < ids.length; i += 1) {
    const id = ids[i] as string;
    if (seen.has(id)) continue;
    seen.add(id);
    indices.push(i);
  }
  return indices;
}

/** Counts accepted and duplicate events per project and hour of receipt, plus the batch's own stats. */
function mergeStats(batch: EncodedBatch, inserted: ReadonlySet<string>): IngestStatRow[] {
  const byKey = new Map<string, IngestStatRow>();
  const add = (projectId: string, hour: number, outcome: string, code: string, count: number) => {
    const key = `${projectId}\u0000${hour}\u0000${outcome}\u0000${code}`;
    const existing = byKey.get(key);
    if (existing) existing.count += count;
    else byKey.set(key, { projectId, hour, outcome, code, count });
  };
  for (const row of batch.facts.stats)
    add(row.projectId, row.hour, row.outcome, row.code, row.count);
  const counted = new Set<string>();
  for (let i = 0; i < batch.eventIds.length; i += 1) {
    const id = batch.eventIds[i] as string;
    const group = batch.groups[batch.eventGroups[i] as number] as EncodedBatch['groups'][number];
    // Only the first occurrence of an inserted id is "accepted"; every other copy is a duplicate.
    const accepted = inserted.has(id) && !counted.has(id);
    if (accepted) counted.add(id);
    add(group.projectId, group.hour, accepted ? 'accepted' : 'duplicate', '', 1);
  }
  return [...byKey.values()];
}

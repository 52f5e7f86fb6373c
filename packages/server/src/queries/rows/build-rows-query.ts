import type { EventType } from '@sightline/shared';
import type { QueryContext } from '../context/query-context.ts';
import { scopeConditions } from '../context/scope-conditions.ts';
import { openSource, type SourceQuery } from '../context/sources.ts';
import { SqlParams } from '../sql/sql-params.ts';
import { selectRowColumns, type RowColumn, type RowSource } from './row-columns.ts';

/** What to read: a source, its columns (an allowlist) and, for events, the event types. */
export interface RowSourceParams {
  source: RowSource;
  /** Columns in this order; the source's default columns when absent or empty. */
  columns?: readonly string[] | undefined;
  /** Events only: keep these event types. */
  eventTypes?: readonly EventType[] | undefined;
  /** Rows per page, default DEFAULT_ROW_PAGE_SIZE (tests use small pages to hit the edges). */
  pageSize?: number | undefined;
}

/** The position after the last row read: its exact time (as the engine prints it) and id. */
export interface RowCursor {
  time: string;
  id: string;
}

export interface RowsQuery {
  sql: string;
  values: SqlParams['values'];
  columns: RowColumn[];
}

/** The unique key rows are ordered and paged by: the row's time, then its id. */
function keyOf(source: SourceQuery): { time: string; id: string } {
  return source.id === 'events'
    ? { time: source.time, id: `CAST(${source.alias}.event_id AS VARCHAR)` }
    : { time: source.time, id: `${source.alias}.order_id` };
}

/** Integers beyond 2^53 travel as text: JSON numbers would round them. */
const MAX_EXACT = '9007199254740991';

function openRowSource(ctx: QueryContext, params: RowSourceParams, sql: SqlParams) {
  const source = openSource(params.source, ctx, sql);
  const columns = selectRowColumns(params.source, params.columns);
  const cells = columns.map((column) => {
    const field = source.field(column.name);
    if (!field) throw new Error(`row column ${params.source}.${column.name} has no field`);
    if (column.kind === 'time') return ctx.dialect.epochMs(field.sql);
    if (column.kind === 'uuid') return `CAST(${field.sql} AS VARCHAR)`;
    if (column.kind === 'number')
      return (
        `CASE WHEN ${field.sql} BETWEEN -${MAX_EXACT} AND ${MAX_EXACT} THEN to_json(${field.sql}) ` +
        `ELSE to_json(CAST(${field.sql} AS VARCHAR)) END`
      );
    return field.sql;
  });
  const where = scopeConditions(ctx, source, sql);
  if (params.source === 'events' && params.eventTypes && params.eventTypes.length > 0) {
    const types = params.eventTypes.map((type) => sql.add(type));
    where.push(`${source.alias}.type IN (${types.join(', ')})`);
  }
  return { source, columns, cells, where };
}

/** `(time, id)` after the cursor, and up to the bound when one is given. */
function keyConditions(
  ctx: QueryContext,
  key: { time: string; id: string },
  sql: SqlParams,
  after: RowCursor | null,
  upTo: RowCursor | null,
): string[] {
  const conditions: string[] = [];
  if (after) {
    const time = ctx.dialect.instant(sql.add(after.time));
    const id = sql.add(after.id);
    // The first condition alone lets the engine skip blocks by their time ranges.
    conditions.push(`${key.time} >= ${time}`, `(${key.time} > ${time} OR ${key.id} > ${id})`);
  }
  if (upTo) {
    const time = ctx.dialect.instant(sql.add(upTo.time));
    const id = sql.add(upTo.id);
    conditions.push(`${key.time} <= ${time}`, `(${key.time} < ${time} OR ${key.id} <= ${id})`);
  }
  return conditions;
}

export interface PageBoundParams {
  /** Rows after this key; from the start when null. */
  after: RowCursor | null;
  /** Rows in the page at most. */
  limit: number;
  /** Only rows before this instant (epoch ms), to keep the sort to a window; null for none. */
  before: number | null;
}

/**
 * Where the next page ends: how many rows follow the cursor (at most `limit`), the key of the
 * last of them and its time in epoch ms. Only the key is sorted; sorting whole rows to keep a
 * page would build every remaining row's cells for each page. The key's time goes out and
 * back as the engine's own text, so comparisons are exact to the engine's precision (a
 * millisecond rounding would repeat or skip rows that share a millisecond).
 */
export function buildPageBoundQuery(
  ctx: QueryContext,
  params: RowSourceParams,
  bound: PageBoundParams,
): RowsQuery {
  const sql = new SqlParams();
  const { source, columns, where } = openRowSource(ctx, params, sql);
  const key = keyOf(source);
  where.push(...keyConditions(ctx, key, sql, bound.after, null));
  if (bound.before !== null)
    where.push(
      `${key.time} < ${ctx.dialect.instant(sql.add(new Date(bound.before).toISOString()))}`,
    );
  const keys =
    `SELECT ${key.time} AS k_ts, ${key.id} AS k_id FROM ${source.from()} ` +
    `WHERE ${where.join(' AND ')} ORDER BY ${key.time}, ${key.id} ` +
    `LIMIT ${Math.trunc(bound.limit)}`;
  const text =
    `SELECT count(*) AS n, CAST(last(k_ts ORDER BY k_ts, k_id) AS VARCHAR) AS k_time, ` +
    `last(k_id ORDER BY k_ts, k_id) AS k_id, ` +
    `${ctx.dialect.epochMs('last(k_ts ORDER BY k_ts, k_id)')} AS k_ms FROM (${keys}) page`;
  return { sql: text, values: sql.values, columns };
}

/** Rows per JSON text: a few tens of KB, which the engine's client and V8 handle cheaply. */
export const ROWS_PER_CHUNK = 200;

/**
 * The rows after `after` up to `upTo` (both keys), in key order, as JSON texts of up to
 * ROWS_PER_CHUNK rows each (`rows`: an array of row arrays; chunks ordered by `chunk`). A value
 * per cell would cost ~4 µs each in the engine's client (minutes for a million rows); one text
 * per page would be megabytes that each thread keeps until a full garbage collection.
 */
export function buildRowPageQuery(
  ctx: QueryContext,
  params: RowSourceParams,
  after: RowCursor | null,
  upTo: RowCursor,
): RowsQuery {
  const sql = new SqlParams();
  const { source, columns, cells, where } = openRowSource(ctx, params, sql);
  const key = keyOf(source);
  where.push(...keyConditions(ctx, key, sql, after, upTo));
  const order = `${key.time}, ${key.id}`;
  const rows =
    `SELECT CAST(json_array(${cells.join(', ')}) AS VARCHAR) AS r, ` +
    `(row_number() OVER (ORDER BY ${order}) - 1) // ${ROWS_PER_CHUNK} AS chunk, ` +
    `row_number() OVER (ORDER BY ${order}) AS pos ` +
    `FROM ${source.from()} WHERE ${where.join(' AND ')}`;
  const text =
    `SELECT chunk, '[' || string_agg(r, ',' ORDER BY pos) || ']' AS rows ` +
    `FROM (${rows}) page GROUP BY chunk ORDER BY chunk`;
  return { sql: text, values: sql.values, columns };
}

/** How many rows the same read returns in all. */
export function buildRowCountQuery(ctx: QueryContext, params: RowSourceParams): RowsQuery {
  const sql = new SqlParams();
  const { source, columns, where } = openRowSource(ctx, params, sql);
  const text = `SELECT count(*) AS n FROM ${source.from()} WHERE ${where.join(' AND ')}`;
  return { sql: text, values: sql.values, columns };
}

/**
 * Builds a read without running it: throws what the read would (a filter or row-level scope on
 * a dimension the source lacks, an unknown column), so a request fails before any work starts.
 */
export function checkRowSource(ctx: QueryContext, params: RowSourceParams): void {
  buildPageBoundQuery(ctx, params, { after: null, limit: 1, before: null });
}

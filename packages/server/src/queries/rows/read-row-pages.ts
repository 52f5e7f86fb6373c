import type { QueryContext } from '../context/query-context.ts';
import { runQuery } from '../sql/run-query.ts';
import {
  buildPageBoundQuery,
  buildRowPageQuery,
  type RowCursor,
  type RowSourceParams,
} from './build-rows-query.ts';
import { createZonedInstantFormatter } from './format-zoned-instant.ts';
import { selectRowColumns, type RowColumn } from './row-columns.ts';

/**
 * Measured on a million events (bench/reports, 2 cores, when the server still ran from source):
 * pages of 2,000 rows took ~14 s with the process at ~355 MB at its peak; 5,000 were faster
 * (~10 s) but ~435 MB, 20,000 ~620 MB (what each page leaves behind outlives the young
 * generation of both threads, and the heaps grow with it); 1,000 saved no memory and took
 * ~22 s. From the bundle, 2,000 take 8.5–10 s at a ~268 MB peak; 1,000 again saved nothing.
 */
export const DEFAULT_ROW_PAGE_SIZE = 2_000;
export const MAX_ROW_PAGE_SIZE = 100_000;

const INITIAL_WINDOWS = 64;
const MIN_WINDOW_MS = 1_000;
const WINDOW_PAGES = 2;
const WINDOW_GROWTH = 4;

export type RowValue = string | number | boolean | null;

/** One page of rows: the same columns on every page (a ResultTable's shape). */
export interface RowPage {
  columns: string[];
  rows: RowValue[][];
}

function toValue(value: unknown, column: RowColumn, formatTime: (ms: number) => string): RowValue {
  if (value === null || value === undefined) return null;
  if (column.kind === 'time') return formatTime(Number(value));
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string')
    return value;
  return JSON.stringify(value);
}

interface FetchedPage {
  count: number;
  upTo: RowCursor;
  /** Epoch ms of the last row (its time, to the millisecond below). */
  endMs: number;
  /** JSON texts of row arrays, in order. */
  chunks: string[];
}

/**
 * Raw rows of a source (events or orders) under the context's range, filter bar, row-level
 * scope and segment, in pages, ordered by time then id. Pages are read by key (each page asks
 * for rows after the last key read), so memory stays about two pages whatever the total, and
 * a row is never read twice nor skipped, even where many rows share a timestamp. The next
 * page is fetched while the caller handles this one: the engine works on its own thread, so
 * reading and writing overlap on two cores.
 */
export async function* readRowPages(
  ctx: QueryContext,
  params: RowSourceParams,
): AsyncGenerator<RowPage> {
  const pageSize = Math.min(
    Math.max(1, Math.trunc(params.pageSize ?? DEFAULT_ROW_PAGE_SIZE)),
    MAX_ROW_PAGE_SIZE,
  );
  const formatTime = createZonedInstantFormatter(ctx.timeZone);
  const kinds = selectRowColumns(params.source, params.columns);
  const names = kinds.map((column) => column.name);

  // The sort that finds a page's end looks at a window of time after the cursor, sized to hold
  // about two pages at the density seen so far: without it each page sorts every row left,
  // and a million rows in pages of a few thousand would sort hundreds of millions of keys.
  let windowMs = Math.max(MIN_WINDOW_MS, Math.ceil((ctx.to - ctx.from) / INITIAL_WINDOWS));

  async function findEnd(after: RowCursor | null, fromMs: number) {
    for (;;) {
      const before = fromMs + windowMs < ctx.to ? fromMs + windowMs : null;
      const bound = buildPageBoundQuery(ctx, params, { after, limit: pageSize, before });
      const [end] = await runQuery(ctx, bound.sql, bound.values);
      const count = Number(end?.n ?? 0);
      if (count === pageSize || before === null) return { end, count };
      // Too few rows in the window: it may just be too narrow. Widen and look again.
      windowMs *= WINDOW_GROWTH;
    }
  }

  async function fetchPage(after: RowCursor | null, fromMs: number): Promise<FetchedPage | null> {
    const { end, count } = await findEnd(after, fromMs);
    if (!end || count === 0) return null;
    const upTo = { time: String(end.k_time), id: String(end.k_id) };
    const endMs = Number(end.k_ms);
    if (count === pageSize) windowMs = Math.max(MIN_WINDOW_MS, WINDOW_PAGES * (endMs - fromMs));
    const query = buildRowPageQuery(ctx, params, after, upTo);
    const chunks = await runQuery(ctx, query.sql, query.values);
    return {
      count,
      upTo,
      endMs,
      chunks: chunks.map((chunk) => String(chunk.rows as string)),
    };
  }

  let next = fetchPage(null, ctx.from);
  for (;;) {
    const fetched = await next;
    if (!fetched) return;
    // Started before this page is handed out; a failure surfaces when it is awaited.
    next =
      fetched.count < pageSize ? Promise.resolve(null) : fetchPage(fetched.upTo, fetched.endMs);
    next.catch(() => undefined);
    // Converted in place: a second array per row would double what the page leaves to collect.
    const rows: RowValue[][] = [];
    for (const chunk of fetched.chunks)
      for (const row of JSON.parse(chunk) as RowValue[][]) {
        for (let index = 0; index < kinds.length; index += 1)
          row[index] = toValue(row[index], kinds[index] as RowColumn, formatTime);
        rows.push(row);
      }
    yield { columns: names, rows };
  }
}

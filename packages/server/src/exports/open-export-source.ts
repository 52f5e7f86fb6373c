import type { Filter, QueryRequest } from '@sightline/shared';
import {
  countRows,
  createQueryContext,
  duckDbDialect,
  findReport,
  readRowPages,
  runReport,
  selectRowColumns,
  type QueryCache,
  type RowValue,
} from '../queries/index.ts';
import type { EventStore } from '../store/index.ts';
import type { StoredExportSource } from './export-schema.ts';

/** A report's table is written in slices this big, so progress moves and the loop breathes. */
const REPORT_SLICE_ROWS = 5_000;

/** The rows of an export: its header, how many rows there are, and the rows in pages. */
export interface ExportRows {
  columns: string[];
  total: number;
  pages: AsyncIterable<RowValue[][]> | Iterable<RowValue[][]>;
}

export interface OpenExportSourceParams {
  store: EventStore;
  queryCache: QueryCache;
  project: { id: string; timeZone: string };
  source: StoredExportSource;
  rowScope: readonly Filter[];
  /** Epoch ms the request was made: presets resolve to the range it asked for. */
  requestedAt: number;
  /** Rows per page of a rows export (default: the query layer's). */
  pageSize?: number | undefined;
}

function* sliceRows(rows: RowValue[][]): Generator<RowValue[][]> {
  for (let start = 0; start < rows.length; start += REPORT_SLICE_ROWS)
    yield rows.slice(start, start + REPORT_SLICE_ROWS);
}

async function* pagesOf(pages: AsyncIterable<{ rows: RowValue[][] }>) {
  for await (const page of pages) yield page.rows;
}

/**
 * Opens the rows behind an export through the query layer, with the creator's row-level scope:
 * raw rows are read page by page (bounded memory); a report runs once (its result is small)
 * and is laid out by its own toTable.
 */
export async function openExportSource(params: OpenExportSourceParams): Promise<ExportRows> {
  const { source, project, rowScope } = params;
  if (source.kind === 'rows') {
    const ctx = createQueryContext({
      store: params.store,
      dialect: duckDbDialect,
      projectId: project.id,
      timeZone: project.timeZone,
      from: Date.parse(source.resolved.from),
      to: Date.parse(source.resolved.to),
      filters: source.filters ?? [],
      rowScope,
      segmentId: source.segmentId ?? null,
      now: params.requestedAt,
    });
    const rowParams = {
      source: source.source,
      columns: source.columns,
      eventTypes: source.eventTypes,
      pageSize: params.pageSize,
    };
    return {
      columns: selectRowColumns(source.source, source.columns).map((column) => column.name),
      total: await countRows(ctx, rowParams),
      pages: pagesOf(readRowPages(ctx, rowParams)),
    };
  }
  const report = findReport(source.report);
  if (!report) throw new Error(`export of unknown report ${source.report}`);
  const request = source.request as QueryRequest & Record<string, unknown>;
  const run = await runReport(
    { eventStore: params.store, cache: params.queryCache, now: params.requestedAt },
    report,
    project,
    request,
    rowScope,
  );
  const table = report.toTable(run.result, report.params.parse(request));
  return { columns: table.columns, total: table.rows.length, pages: sliceRows(table.rows) };
}

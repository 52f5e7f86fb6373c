import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ERR_EXPORT_TOO_LARGE, SightlineError, type Filter } from '@sightline/shared';
import type { Clock } from '../platform/index.ts';
import type { QueryCache } from '../queries/index.ts';
import type { EventStore } from '../store/index.ts';
import type { ExportJobStore } from './export-job-store.ts';
import type { ExportJobsTable, StoredExportSource } from './export-schema.ts';
import { openCsvWriter } from './open-csv-writer.ts';
import { openExportSource } from './open-export-source.ts';
import { openXlsxWriter } from './open-xlsx-writer.ts';
import type { TableFileWriter } from './table-file-writer.ts';

export interface RunExportJobOptions {
  job: ExportJobsTable;
  project: { id: string; name: string; timeZone: string };
  dir: string;
  store: EventStore;
  queryCache: QueryCache;
  jobs: ExportJobStore;
  clock: Clock;
  /** Aborted on cancel or shutdown: the job stops after the page under way. */
  signal: AbortSignal;
  maxRows: number;
  retentionMs: number;
  progressIntervalMs: number;
  pageSize?: number | undefined;
  rowsPerSheet?: number | undefined;
}

/** The file of a job, relative to the exports directory. */
export const exportFileOf = (job: Pick<ExportJobsTable, 'id' | 'format'>) =>
  `${job.id}.${job.format}`;
/** Written under this name and renamed when complete, so no one downloads half a file. */
export const PARTIAL_SUFFIX = '.part';

/**
 * Runs one export: opens its rows through the query layer, streams them into the file, records
 * progress, and marks the job done with the file's size. Throws on failure or abort (the file
 * is removed); the caller records why.
 */
export async function runExportJob(options: RunExportJobOptions): Promise<void> {
  const { job, jobs, clock, signal } = options;
  const source = JSON.parse(job.source) as StoredExportSource;
  const rowScope = JSON.parse(job.row_scope) as Filter[];
  const rows = await openExportSource({
    store: options.store,
    queryCache: options.queryCache,
    project: options.project,
    source,
    rowScope,
    requestedAt: job.created_at,
    pageSize: options.pageSize,
  });
  if (rows.total > options.maxRows)
    throw new SightlineError(ERR_EXPORT_TOO_LARGE, { rows: rows.total, max: options.maxRows });
  signal.throwIfAborted();
  await jobs.progress(job.id, 0, rows.total);

  const file = exportFileOf(job);
  const partial = join(options.dir, `${file}${PARTIAL_SUFFIX}`);
  const fileOptions = {
    path: partial,
    columns: rows.columns,
    watermark: job.watermark,
    about: [
      ['Exported by', `${job.actor_label} (${job.actor})`],
      ['Exported at', new Date(job.created_at).toISOString()],
      ['Project', `${options.project.name} (${options.project.id})`],
      ['Time zone', options.project.timeZone],
      ['Source', source.kind === 'rows' ? `${source.source} rows` : `report ${source.report}`],
      ['Range', `${source.resolved.from} … ${source.resolved.to}`],
      ['Request', JSON.stringify(source)],
      ['Row scope', rowScope.length > 0 ? JSON.stringify(rowScope) : 'none'],
      ['Watermark', job.watermark],
    ] as const,
    author: job.actor_label,
    createdAt: new Date(job.created_at),
    title: `Sightline export · ${options.project.name}`,
  };
  const writer: TableFileWriter =
    job.format === 'xlsx'
      ? await openXlsxWriter({ ...fileOptions, rowsPerSheet: options.rowsPerSheet })
      : await openCsvWriter(fileOptions);
  try {
    let written = 0;
    let reportedAt = clock.now();
    for await (const page of rows.pages) {
      signal.throwIfAborted();
      written += page.length;
      await writer.writeRows(page);
      const now = clock.now();
      if (now - reportedAt >= options.progressIntervalMs) {
        reportedAt = now;
        await jobs.progress(job.id, written, Math.max(rows.total, written));
      }
    }
    signal.throwIfAborted();
    const bytes = await writer.finish();
    await rename(partial, join(options.dir, file));
    const at = clock.now();
    const done = await jobs.finish(job.id, {
      rowsWritten: written,
      bytes,
      filePath: file,
      at,
      expiresAt: at + options.retentionMs,
    });
    // Canceled between the last page and now: the job says so, the file goes.
    if (!done) await rm(join(options.dir, file), { force: true });
  } catch (error) {
    await writer.abort();
    await rm(partial, { force: true });
    throw error;
  }
}

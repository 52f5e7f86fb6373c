import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ERR_EXPORT_FAILED,
  ERR_EXPORT_INTERRUPTED,
  ERR_EXPORT_NOT_CANCELABLE,
  ERR_EXPORT_NOT_FOUND,
  ERR_EXPORT_QUEUE_FULL,
  ERR_SERVER_SHUTTING_DOWN,
  isSightlineError,
  SightlineError,
} from '@sightline/shared';
import type { AuditLog } from '../audit/index.ts';
import { describeActor, type Principal } from '../auth/index.ts';
import type { Clock } from '../platform/index.ts';
import type { ProjectService } from '../projects/index.ts';
import type { QueryCache } from '../queries/index.ts';
import type { EventStore, MetaDb } from '../store/index.ts';
import { createExportQueue } from './create-export-queue.ts';
import { createExportDownloads, type ExportDownloads } from './export-downloads.ts';
import { createExportJobStore, toExportJob } from './export-job-store.ts';
import type {
  CreateExportInput,
  ExportJob,
  ExportJobsTable,
  ExportTables,
} from './export-schema.ts';
import type { ExportsLogger } from './exports-logger.ts';
import { recordExportJob } from './record-export-job.ts';
import { sweepExportFiles } from './sweep-export-files.ts';
import { PARTIAL_SUFFIX, runExportJob } from './run-export-job.ts';

export const DEFAULT_EXPORT_RETENTION_HOURS = 72;
export const DEFAULT_MAX_QUEUED_EXPORTS = 20;
export const DEFAULT_MAX_QUEUED_EXPORTS_PER_PROJECT = 5;
export const DEFAULT_MAX_EXPORT_ROWS = 10_000_000;
/** What a refused caller is told to wait: about one export of a million rows. */
export const QUEUE_RETRY_AFTER_SEC = 30;
const PROGRESS_INTERVAL_MS = 250;
const SWEEP_INTERVAL_MS = 10 * 60_000;
const MAX_LISTED = 200;
const ENDED_STATUSES: ReadonlySet<string> = new Set(['done', 'failed', 'canceled']);

export interface CreateExportsOptions {
  /** The metadata store's database, migrated with 0011_exports. */
  db: MetaDb;
  store: EventStore;
  clock: Clock;
  logger: ExportsLogger;
  audit: AuditLog;
  projects: Pick<ProjectService, 'get'>;
  /** Where files are written (created on start), e.g. <dataDir>/exports. */
  dir: string;
  queryCache: QueryCache;
  /** Waiting jobs on this server at most; default DEFAULT_MAX_QUEUED_EXPORTS. */
  maxQueued?: number;
  /** Waiting jobs per project at most; default DEFAULT_MAX_QUEUED_EXPORTS_PER_PROJECT. */
  maxQueuedPerProject?: number;
  /** Files, jobs and links expire this long after the job finished; default 72. */
  retentionHours?: number;
  /** Rows per export at most; default DEFAULT_MAX_EXPORT_ROWS. */
  maxRows?: number;
  /** Rows per page of a rows export; default the query layer's (tests use a few). */
  pageSize?: number;
  /** XLSX data rows per sheet; default a million (tests use a few). */
  rowsPerSheet?: number;
  /** How often the retention sweep runs while started; default 10 minutes, 0 = never. */
  sweepIntervalMs?: number;
  /**
   * Told when a job that ran has ended, with the seconds from the request to the end (queue
   * wait included: what the person waiting sees). Feeds sightline_export_duration_seconds.
   */
  onEnded?: (ended: ExportEnded) => void;
}

export interface ExportEnded {
  format: string;
  status: 'done' | 'failed' | 'canceled';
  seconds: number;
}

export interface Exports extends ExportDownloads {
  /** Queues an export of the caller's data (their row scope applies); audited. */
  create(principal: Principal, projectId: string, input: CreateExportInput): Promise<ExportJob>;
  /** Newest first: the caller's own, every job of the project for admins. */
  list(principal: Principal, projectId: string): Promise<ExportJob[]>;
  get(principal: Principal, projectId: string, exportId: string): Promise<ExportJob>;
  /** Stops a queued or running job; its partial file is removed. */
  cancel(principal: Principal, projectId: string, exportId: string): Promise<ExportJob>;
  /** Cancels the job if active, deletes its file, links and record; audited. */
  remove(principal: Principal, projectId: string, exportId: string): Promise<void>;
  /** Deletes files of jobs past their time (marked expired) and files no job owns. */
  sweep(): Promise<{ expired: number; orphans: number }>;
  /** Fails jobs a previous process left queued or running, then runs the queue. */
  start(): Promise<void>;
  /** Cancels the running job (marked interrupted) and the queue; waits until it stopped. */
  stop(): Promise<void>;
  /** Resolves when nothing is queued or running (tests, benchmarks). */
  settled(): Promise<void>;
}

/** Background CSV / XLSX exports: one job at a time, so exports never starve ingest. */
export function createExports(options: CreateExportsOptions): Exports {
  const { clock, audit, projects, dir } = options;
  const jobs = createExportJobStore(options.db.withTables<ExportTables>());
  const retentionMs = (options.retentionHours ?? DEFAULT_EXPORT_RETENTION_HOURS) * 3_600_000;
  const maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED_EXPORTS;
  const maxPerProject = options.maxQueuedPerProject ?? DEFAULT_MAX_QUEUED_EXPORTS_PER_PROJECT;
  const queue = createExportQueue({ run: runOne, logger: options.logger });
  let state: 'idle' | 'started' | 'stopped' = 'idle';
  let sweeper: NodeJS.Timeout | null = null;
  const downloads = createExportDownloads({ jobs, audit, clock, dir, find: findOwn });

  async function findOwn(principal: Principal, projectId: string, exportId: string) {
    const row = await jobs.find(projectId, exportId);
    if (!row || (principal.role !== 'admin' && row.actor !== describeActor(principal)))
      throw new SightlineError(ERR_EXPORT_NOT_FOUND, { exportId, projectId });
    return row;
  }

  const interrupt = (id: string, status: string) =>
    jobs.end(id, 'failed', clock.now(), {
      code: ERR_EXPORT_INTERRUPTED.code,
      message: new SightlineError(ERR_EXPORT_INTERRUPTED, { status }).message,
    });

  async function runOne(id: string, signal: AbortSignal): Promise<void> {
    const job = await jobs.findById(id);
    if (!job || !(await jobs.start(id, clock.now()))) return;
    await runStarted(id, job, signal);
    if (!options.onEnded) return;
    const ended = await jobs.findById(id);
    if (ended?.finished_at && ENDED_STATUSES.has(ended.status))
      options.onEnded({
        format: ended.format,
        status: ended.status as ExportEnded['status'],
        seconds: Math.max(0, ended.finished_at - ended.created_at) / 1000,
      });
  }

  async function runStarted(id: string, job: ExportJobsTable, signal: AbortSignal): Promise<void> {
    try {
      await runExportJob({
        job,
        project: await projects.get(job.project_id),
        dir,
        store: options.store,
        queryCache: options.queryCache,
        jobs,
        clock,
        signal,
        maxRows: options.maxRows ?? DEFAULT_MAX_EXPORT_ROWS,
        retentionMs,
        progressIntervalMs: PROGRESS_INTERVAL_MS,
        pageSize: options.pageSize,
        rowsPerSheet: options.rowsPerSheet,
      });
    } catch (error) {
      // Cancel and stop record why before aborting; the conditional update then changes nothing.
      if (isSightlineError(error)) {
        await jobs.end(id, 'failed', clock.now(), { code: error.code, message: error.message });
        return;
      }
      if (!signal.aborted) options.logger.error({ err: error, exportId: id }, 'export failed');
      await jobs.end(id, 'failed', clock.now(), {
        code: ERR_EXPORT_FAILED.code,
        message: new SightlineError(ERR_EXPORT_FAILED, { exportId: id }).message,
      });
    }
  }

  // Requests still being checked count as queued, so a burst of them cannot overshoot the caps.
  const pending: string[] = [];

  /** Holds a place in the queue (429 when full); the returned function gives it back. */
  function reservePlace(projectId: string): () => void {
    const inProject = queue.waiting(projectId) + pending.filter((id) => id === projectId).length;
    const total = queue.waiting() + pending.length;
    const full =
      inProject >= maxPerProject
        ? { queued: inProject, scope: 'in this project' }
        : total >= maxQueued
          ? { queued: total, scope: 'on this server' }
          : null;
    if (full)
      throw new SightlineError(ERR_EXPORT_QUEUE_FULL, {
        ...full,
        retryAfterSec: QUEUE_RETRY_AFTER_SEC,
      });
    pending.push(projectId);
    return () => pending.splice(pending.indexOf(projectId), 1);
  }

  const sweep = () =>
    sweepExportFiles({ jobs, dir, now: clock.now(), runningId: queue.runningId() });

  return {
    ...downloads,
    sweep,

    async create(principal, projectId, input) {
      if (state === 'stopped') throw new SightlineError(ERR_SERVER_SHUTTING_DOWN);
      const release = reservePlace(projectId);
      try {
        const id = await recordExportJob(
          { projects, jobs, audit, clock, store: options.store, retentionMs },
          { principal, projectId, input },
        );
        // Read before queueing: the answer is the job as created, not as the runner moves it.
        const created = toExportJob((await jobs.findById(id)) as ExportJobsTable);
        queue.push({ id, projectId });
        return created;
      } finally {
        release();
      }
    },

    async list(principal, projectId) {
      const actor = principal.role === 'admin' ? null : describeActor(principal);
      return (await jobs.list(projectId, actor, MAX_LISTED)).map(toExportJob);
    },

    async get(principal, projectId, exportId) {
      return toExportJob(await findOwn(principal, projectId, exportId));
    },

    async cancel(principal, projectId, exportId) {
      const row = await findOwn(principal, projectId, exportId);
      if (!(await jobs.end(row.id, 'canceled', clock.now(), null)))
        throw new SightlineError(ERR_EXPORT_NOT_CANCELABLE, {
          exportId,
          status: row.status,
          projectId,
        });
      await queue.drop(row.id);
      await audit.record({
        actor: describeActor(principal),
        action: 'data.export.cancel',
        projectId,
        target: exportId,
      });
      return toExportJob((await jobs.findById(exportId)) as ExportJobsTable);
    },

    async remove(principal, projectId, exportId) {
      const row = await findOwn(principal, projectId, exportId);
      await jobs.end(row.id, 'canceled', clock.now(), null);
      await queue.drop(row.id);
      if (row.file_path) await rm(join(dir, row.file_path), { force: true });
      await jobs.remove(exportId);
      await audit.record({
        actor: describeActor(principal),
        action: 'data.export.delete',
        projectId,
        target: exportId,
        details: { status: row.status, fileName: row.file_name },
      });
    },

    async start() {
      if (state !== 'idle') return;
      await mkdir(dir, { recursive: true });
      for (const row of await jobs.listActive())
        if (!queue.has(row.id)) await interrupt(row.id, row.status);
      for (const name of await readdir(dir))
        if (name.endsWith(PARTIAL_SUFFIX)) await rm(join(dir, name), { force: true });
      state = 'started';
      const every = options.sweepIntervalMs ?? SWEEP_INTERVAL_MS;
      if (every > 0) {
        sweeper = setInterval(() => {
          sweep().catch((error: unknown) =>
            options.logger.error({ err: error }, 'export sweep failed'),
          );
        }, every);
        sweeper.unref();
      }
      queue.start();
    },

    async stop() {
      if (sweeper) clearInterval(sweeper);
      sweeper = null;
      state = 'stopped';
      const running = queue.runningId();
      if (running) await interrupt(running, 'running');
      for (const job of await queue.stop()) await interrupt(job.id, 'queued');
    },

    settled: () => queue.settled(),
  };
}

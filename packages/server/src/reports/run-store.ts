import type { Selectable } from 'kysely';
import { ERR_REPORT_RUN_NOT_FOUND, SightlineError } from '@sightline/shared';
import { createId, type Clock } from '../platform/index.ts';
import type { MetaDb } from '../store/index.ts';
import type { ReportKind, ReportKpi, ReportLocale, ReportPeriod } from './report-document.ts';
import type {
  ReportFormat,
  ReportRunStatus,
  ReportRunsTable,
  ReportTables,
  ReportTrigger,
} from './report-schema.ts';

export interface ReportFile {
  format: ReportFormat;
  /** Relative to the reports directory. */
  file: string;
  bytes: number;
}

/** One generated (or generating) report in the archive. */
export interface ReportRun {
  id: string;
  projectId: string;
  kind: ReportKind;
  periodStart: string;
  periodEnd: string;
  locale: ReportLocale;
  trigger: ReportTrigger;
  requestedBy: string;
  deliver: boolean;
  status: ReportRunStatus;
  /** What a running generation is doing now (content, explanations, files, delivery). */
  stage: string | null;
  error: string | null;
  headline: ReportKpi[] | null;
  files: ReportFile[];
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  durationMs: number | null;
  /** A later run of the same period replaced this one (late data). */
  supersededBy: string | null;
}

function toRun(row: Selectable<ReportRunsTable>): ReportRun {
  return {
    id: row.id,
    projectId: row.project_id,
    kind: row.kind as ReportKind,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    locale: row.locale as ReportLocale,
    trigger: row.trigger as ReportTrigger,
    requestedBy: row.requested_by,
    deliver: row.deliver === 1,
    status: row.status as ReportRunStatus,
    stage: row.stage,
    error: row.error,
    headline: row.headline ? (JSON.parse(row.headline) as ReportKpi[]) : null,
    files: JSON.parse(row.files) as ReportFile[],
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    supersededBy: row.superseded_by,
  };
}

/** The archive of report runs in the metadata store. */
export function createRunStore(deps: { db: MetaDb; clock: Clock }) {
  const db = deps.db.withTables<ReportTables>();
  const { clock } = deps;

  return {
    async create(input: {
      projectId: string;
      kind: ReportKind;
      period: ReportPeriod;
      locale: ReportLocale;
      trigger: ReportTrigger;
      requestedBy: string;
      deliver: boolean;
    }): Promise<ReportRun> {
      const row: Selectable<ReportRunsTable> = {
        id: createId('rpt_'),
        project_id: input.projectId,
        kind: input.kind,
        period_start: input.period.startDate,
        period_end: input.period.endDate,
        locale: input.locale,
        trigger: input.trigger,
        requested_by: input.requestedBy,
        deliver: input.deliver ? 1 : 0,
        status: 'queued',
        stage: null,
        error: null,
        headline: null,
        files: '[]',
        created_at: clock.now(),
        started_at: null,
        finished_at: null,
        duration_ms: null,
        superseded_by: null,
      };
      await db.insertInto('report_runs').values(row).execute();
      return toRun(row);
    },

    async get(projectId: string, runId: string): Promise<ReportRun> {
      const row = await db
        .selectFrom('report_runs')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('id', '=', runId)
        .executeTakeFirst();
      if (!row) throw new SightlineError(ERR_REPORT_RUN_NOT_FOUND, { runId, projectId });
      return toRun(row);
    },

    async list(
      projectId: string,
      options: { kind?: ReportKind | undefined; limit: number },
    ): Promise<ReportRun[]> {
      let query = db
        .selectFrom('report_runs')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(options.limit);
      if (options.kind) query = query.where('kind', '=', options.kind);
      return (await query.execute()).map(toRun);
    },

    async countQueued(): Promise<number> {
      const row = await db
        .selectFrom('report_runs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', 'in', ['queued', 'running'])
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async nextQueued(): Promise<ReportRun | null> {
      const row = await db
        .selectFrom('report_runs')
        .selectAll()
        .where('status', '=', 'queued')
        .orderBy('created_at')
        .orderBy('id')
        .executeTakeFirst();
      return row ? toRun(row) : null;
    },

    async start(runId: string): Promise<void> {
      await db
        .updateTable('report_runs')
        .set({ status: 'running', started_at: clock.now(), stage: 'content' })
        .where('id', '=', runId)
        .execute();
    },

    async setStage(runId: string, stage: string): Promise<void> {
      await db.updateTable('report_runs').set({ stage }).where('id', '=', runId).execute();
    },

    async finish(
      run: ReportRun,
      outcome:
        { headline: ReportKpi[]; files: ReportFile[]; note?: string | null } | { error: string },
    ): Promise<void> {
      const now = clock.now();
      const done = 'files' in outcome;
      await db
        .updateTable('report_runs')
        .set({
          status: done ? 'done' : 'failed',
          stage: null,
          error: done ? (outcome.note ?? null) : outcome.error,
          headline: done ? JSON.stringify(outcome.headline) : null,
          files: done ? JSON.stringify(outcome.files) : '[]',
          finished_at: now,
          duration_ms: now - (run.startedAt ?? now),
        })
        .where('id', '=', run.id)
        .execute();
      if (!done) return;
      // The newest generation of a period is the one to read; older ones stay, marked.
      await db
        .updateTable('report_runs')
        .set({ superseded_by: run.id })
        .where('project_id', '=', run.projectId)
        .where('kind', '=', run.kind)
        .where('period_start', '=', run.periodStart)
        .where('status', '=', 'done')
        .where('id', '!=', run.id)
        .where('superseded_by', 'is', null)
        .execute();
    },

    /** Runs another process left queued or running: they will not finish, so they fail. */
    async failInterrupted(): Promise<number> {
      const result = await db
        .updateTable('report_runs')
        .set({ status: 'failed', stage: null, error: 'interrupted by a restart; generate again' })
        .where('status', '=', 'running')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /** Runs created before `before`, oldest first (retention). */
    async listOlderThan(before: number, limit: number): Promise<ReportRun[]> {
      const rows = await db
        .selectFrom('report_runs')
        .selectAll()
        .where('created_at', '<', before)
        .where('status', 'in', ['done', 'failed'])
        .orderBy('created_at')
        .limit(limit)
        .execute();
      return rows.map(toRun);
    },

    async remove(runId: string): Promise<void> {
      await db.deleteFrom('report_runs').where('id', '=', runId).execute();
    },
  };
}

export type RunStore = ReturnType<typeof createRunStore>;

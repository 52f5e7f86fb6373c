import type { Filter } from '@sightline/shared';
import { sql, type Kysely } from 'kysely';
import type { MetaDatabase } from '../store/index.ts';
import type {
  ExportFormat,
  ExportJob,
  ExportJobsTable,
  ExportLink,
  ExportLinksTable,
  ExportStatus,
  ExportTables,
} from './export-schema.ts';

export type ExportDb = Kysely<MetaDatabase & ExportTables>;

/** The one mapper from an export_jobs row (snake_case, JSON text) to the API's job. */
export function toExportJob(row: ExportJobsTable): ExportJob {
  const fraction =
    row.status === 'done'
      ? 1
      : row.rows_total === null
        ? null
        : row.rows_total === 0
          ? 0
          : Math.min(1, row.rows_written / row.rows_total);
  return {
    id: row.id,
    projectId: row.project_id,
    createdBy: { actor: row.actor, label: row.actor_label },
    source: JSON.parse(row.source) as Record<string, unknown>,
    rowScope: JSON.parse(row.row_scope) as Filter[],
    format: row.format as ExportFormat,
    status: row.status as ExportStatus,
    progress: { rowsWritten: row.rows_written, rowsTotal: row.rows_total, fraction },
    bytes: row.bytes,
    fileName: row.file_name,
    watermark: row.watermark,
    error:
      row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    expiresAt: row.expires_at,
  };
}

export function toExportLink(row: ExportLinksTable): ExportLink {
  return {
    id: row.id,
    exportId: row.job_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    downloadCount: row.download_count,
  };
}

const ACTIVE: ExportStatus[] = ['queued', 'running'];

/** The export_jobs and export_links tables. Status changes are conditional, so races lose. */
export function createExportJobStore(db: ExportDb) {
  const jobs = () => db.selectFrom('export_jobs').selectAll();
  return {
    async insert(row: ExportJobsTable): Promise<void> {
      await db.insertInto('export_jobs').values(row).execute();
    },
    find(projectId: string, id: string): Promise<ExportJobsTable | undefined> {
      return jobs().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
    },
    findById(id: string): Promise<ExportJobsTable | undefined> {
      return jobs().where('id', '=', id).executeTakeFirst();
    },
    /** Newest first; only `actor`'s when given. */
    list(projectId: string, actor: string | null, limit: number): Promise<ExportJobsTable[]> {
      let query = jobs()
        .where('project_id', '=', projectId)
        .orderBy('created_at', 'desc')
        .orderBy(sql`rowid`, 'desc')
        .limit(limit);
      if (actor !== null) query = query.where('actor', '=', actor);
      return query.execute();
    },
    /** queued → running; false when it was canceled meanwhile. */
    async start(id: string, at: number): Promise<boolean> {
      const result = await db
        .updateTable('export_jobs')
        .set({ status: 'running', started_at: at })
        .where('id', '=', id)
        .where('status', '=', 'queued')
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async progress(id: string, rowsWritten: number, rowsTotal: number | null): Promise<void> {
      await db
        .updateTable('export_jobs')
        .set({ rows_written: rowsWritten, rows_total: rowsTotal })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .execute();
    },
    async finish(
      id: string,
      done: { rowsWritten: number; bytes: number; filePath: string; at: number; expiresAt: number },
    ): Promise<boolean> {
      const result = await db
        .updateTable('export_jobs')
        .set({
          status: 'done',
          rows_written: done.rowsWritten,
          rows_total: done.rowsWritten,
          bytes: done.bytes,
          file_path: done.filePath,
          finished_at: done.at,
          expires_at: done.expiresAt,
        })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    /** An active job ends (failed or canceled) with an error; no change to a finished one. */
    async end(
      id: string,
      status: 'failed' | 'canceled',
      at: number,
      error: { code: string; message: string } | null,
    ): Promise<boolean> {
      const result = await db
        .updateTable('export_jobs')
        .set({
          status,
          finished_at: at,
          error_code: error?.code ?? null,
          error_message: error?.message ?? null,
        })
        .where('id', '=', id)
        .where('status', 'in', ACTIVE)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    /** Jobs left queued or running, except those of this process. */
    listActive(): Promise<ExportJobsTable[]> {
      return jobs().where('status', 'in', ACTIVE).execute();
    },
    /** Done jobs whose time is up (failed and canceled ones have no file and keep their state). */
    listDue(now: number): Promise<ExportJobsTable[]> {
      return jobs().where('status', '=', 'done').where('expires_at', '<=', now).execute();
    },
    /** Files still referenced (done jobs), relative to the exports directory. */
    async listFiles(): Promise<Set<string>> {
      const rows = await db
        .selectFrom('export_jobs')
        .select('file_path')
        .where('file_path', 'is not', null)
        .execute();
      return new Set(rows.map((row) => row.file_path as string));
    },
    /** Links stay (they expire with the job), so an old link answers "expired", not "unknown". */
    async expire(id: string): Promise<void> {
      await db
        .updateTable('export_jobs')
        .set({ status: 'expired', file_path: null })
        .where('id', '=', id)
        .execute();
    },
    async remove(id: string): Promise<void> {
      await db.deleteFrom('export_jobs').where('id', '=', id).execute();
    },
    async insertLink(row: ExportLinksTable): Promise<void> {
      await db.insertInto('export_links').values(row).execute();
    },
    findLink(tokenHash: string): Promise<ExportLinksTable | undefined> {
      return db
        .selectFrom('export_links')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
    },
    async countDownload(linkId: string, at: number): Promise<void> {
      await db
        .updateTable('export_links')
        .set((eb) => ({ download_count: eb('download_count', '+', 1), last_download_at: at }))
        .where('id', '=', linkId)
        .execute();
    },
    /** Whether the principal behind `actor` may still act: a user not disabled, a live token. */
    async isActorActive(actor: string, now: number): Promise<boolean> {
      const [kind, id] = [actor.slice(0, actor.indexOf(':')), actor.slice(actor.indexOf(':') + 1)];
      if (kind === 'user') {
        const user = await db
          .selectFrom('users')
          .select('disabled_at')
          .where('id', '=', id)
          .executeTakeFirst();
        return user !== undefined && user.disabled_at === null;
      }
      if (kind === 'token') {
        const token = await db
          .selectFrom('api_tokens')
          .select(['revoked_at', 'expires_at'])
          .where('id', '=', id)
          .executeTakeFirst();
        return (
          token !== undefined &&
          token.revoked_at === null &&
          (token.expires_at === null || token.expires_at > now)
        );
      }
      return false;
    },
  };
}

export type ExportJobStore = ReturnType<typeof createExportJobStore>;

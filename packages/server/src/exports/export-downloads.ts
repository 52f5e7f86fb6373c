import { join } from 'node:path';
import {
  ERR_EXPORT_EXPIRED,
  ERR_EXPORT_LINK_EXPIRED,
  ERR_EXPORT_LINK_INVALID,
  ERR_EXPORT_NOT_READY,
  SightlineError,
} from '@sightline/shared';
import type { AuditLog } from '../audit/index.ts';
import { describeActor, type Principal } from '../auth/index.ts';
import { createId, createRandomToken, sha256Hex, type Clock } from '../platform/index.ts';
import { toExportJob, toExportLink, type ExportJobStore } from './export-job-store.ts';
import type { ExportFormat, ExportJob, ExportJobsTable, ExportLink } from './export-schema.ts';

/** Download tokens start with this, so a leaked one is recognisable (and not an API token). */
export const EXPORT_LINK_PREFIX = 'sle_';
export const EXPORT_LINK_DEFAULT_HOURS = 24;
export const EXPORT_LINK_MAX_HOURS = 7 * 24;

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A finished export's file, ready to stream. */
export interface ExportFile {
  path: string;
  bytes: number;
  fileName: string;
  contentType: string;
  job: ExportJob;
}

export interface CreatedExportLink {
  link: ExportLink;
  /** Shown once; only its hash is stored. */
  token: string;
  /** Where the token downloads the file, without a session: /api/v1/exports/download/<token>. */
  path: string;
}

export interface ExportDownloads {
  /** The file of the caller's finished export (admins: any); audited as a download. */
  openFile(principal: Principal, projectId: string, exportId: string): Promise<ExportFile>;
  /** A link that downloads the file without a session until it (or the export) expires. */
  createLink(
    principal: Principal,
    projectId: string,
    exportId: string,
    params: { expiresInHours?: number | undefined },
  ): Promise<CreatedExportLink>;
  /** The file behind a link token; counted and audited as a download. */
  openLink(token: string): Promise<ExportFile>;
}

export interface ExportDownloadsDeps {
  jobs: ExportJobStore;
  audit: AuditLog;
  clock: Clock;
  dir: string;
  /** The caller's job (admins: any in the project), else ERR_EXPORT_NOT_FOUND. */
  find(principal: Principal, projectId: string, exportId: string): Promise<ExportJobsTable>;
}

/** Downloads of finished exports: signed in (own jobs; admins all) or through expiring links. */
export function createExportDownloads(deps: ExportDownloadsDeps): ExportDownloads {
  const { jobs, audit, clock, dir } = deps;

  function readyFile(row: ExportJobsTable): ExportFile {
    if (row.status === 'expired' || (row.status === 'done' && row.expires_at <= clock.now()))
      throw new SightlineError(ERR_EXPORT_EXPIRED, {
        exportId: row.id,
        expiredAt: new Date(row.expires_at).toISOString(),
      });
    if (row.status !== 'done' || !row.file_path)
      throw new SightlineError(ERR_EXPORT_NOT_READY, {
        exportId: row.id,
        status: row.status,
        projectId: row.project_id,
      });
    return {
      path: join(dir, row.file_path),
      bytes: row.bytes ?? 0,
      fileName: row.file_name,
      contentType: CONTENT_TYPES[row.format as ExportFormat],
      job: toExportJob(row),
    };
  }

  return {
    async openFile(principal, projectId, exportId) {
      const file = readyFile(await deps.find(principal, projectId, exportId));
      await audit.record({
        actor: describeActor(principal),
        action: 'data.export.download',
        projectId,
        target: exportId,
        details: { via: principal.kind, bytes: file.bytes, fileName: file.fileName },
      });
      return file;
    },

    async createLink(principal, projectId, exportId, params) {
      const row = await deps.find(principal, projectId, exportId);
      readyFile(row);
      const now = clock.now();
      const hours = Math.min(
        params.expiresInHours ?? EXPORT_LINK_DEFAULT_HOURS,
        EXPORT_LINK_MAX_HOURS,
      );
      // A link never outlives the file it points to.
      const expiresAt = Math.min(now + hours * 3_600_000, row.expires_at);
      const token = createRandomToken(EXPORT_LINK_PREFIX, 32);
      const link = {
        id: createId('exl_'),
        token_hash: sha256Hex(token),
        job_id: exportId,
        created_by: describeActor(principal),
        created_at: now,
        expires_at: expiresAt,
        download_count: 0,
        last_download_at: null,
      };
      await jobs.insertLink(link);
      await audit.record({
        actor: link.created_by,
        action: 'data.export.link',
        projectId,
        target: exportId,
        details: { linkId: link.id, expiresAt },
      });
      return { link: toExportLink(link), token, path: `/api/v1/exports/download/${token}` };
    },

    async openLink(token) {
      const link = await jobs.findLink(sha256Hex(token));
      if (!link) throw new SightlineError(ERR_EXPORT_LINK_INVALID);
      const now = clock.now();
      if (link.expires_at <= now)
        throw new SightlineError(ERR_EXPORT_LINK_EXPIRED, {
          expiredAt: new Date(link.expires_at).toISOString(),
        });
      const row = await jobs.findById(link.job_id);
      // A link speaks for its creator: it stops when they are disabled or their token revoked.
      if (!row || !(await jobs.isActorActive(link.created_by, now)))
        throw new SightlineError(ERR_EXPORT_LINK_INVALID);
      const file = readyFile(row);
      await jobs.countDownload(link.id, now);
      await audit.record({
        actor: `link:${link.id}`,
        action: 'data.export.download',
        projectId: row.project_id,
        target: row.id,
        details: {
          via: 'link',
          linkCreatedBy: link.created_by,
          bytes: file.bytes,
          fileName: file.fileName,
        },
      });
      return file;
    },
  };
}

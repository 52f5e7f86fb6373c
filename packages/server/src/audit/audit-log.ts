import type { MetaDb } from '../store/index.ts';
import type { Clock } from '../platform/index.ts';

export interface AuditEntryParams {
  /** user:<id> | token:<id> | cli | system */
  actor: string;
  /** dotted verb, e.g. auth.login, key.rotate, project.settings.update, user.data.delete */
  action: string;
  projectId?: string | null;
  target?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  projectId: string | null;
  target: string | null;
  details: Record<string, unknown>;
}

export interface ListAuditParams {
  projectId?: string;
  action?: string;
  limit: number;
  beforeId?: number;
}

export interface AuditLog {
  record(entry: AuditEntryParams): Promise<void>;
  list(params: ListAuditParams): Promise<AuditEntry[]>;
}

export function createAuditLog(db: MetaDb, clock: Clock): AuditLog {
  return {
    async record(entry) {
      await db
        .insertInto('audit_log')
        .values({
          at: clock.now(),
          actor: entry.actor,
          action: entry.action,
          project_id: entry.projectId ?? null,
          target: entry.target ?? null,
          details: JSON.stringify(entry.details ?? {}),
        })
        .execute();
    },
    async list(params) {
      let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(params.limit);
      if (params.projectId) query = query.where('project_id', '=', params.projectId);
      if (params.action) query = query.where('action', '=', params.action);
      if (params.beforeId) query = query.where('id', '<', params.beforeId);
      const rows = await query.execute();
      return rows.map((row) => ({
        id: row.id,
        at: row.at,
        actor: row.actor,
        action: row.action,
        projectId: row.project_id,
        target: row.target,
        details: JSON.parse(row.details) as Record<string, unknown>,
      }));
    },
  };
}

import {
  ERR_AUTH_FORBIDDEN,
  ERR_SHARE_EXPIRED,
  ERR_SHARE_INVALID,
  ERR_SHARE_NOT_FOUND,
  ERR_SHARE_PATH_INVALID,
  SightlineError,
} from '@sightline/shared';
import { sql } from 'kysely';
import type { AuditLog } from '../audit/index.ts';
import { createId, createRandomToken, sha256Hex, type Clock } from '../platform/index.ts';
import type { MetaDb, ShareLinksTable } from '../store/index.ts';
import { describeActor, type Principal } from './permissions.ts';
import { parseStoredRowScope } from './row-scope.ts';

/**
 * Share links (seed 001 §4.3): a read-only link to one dashboard view that expires. Whoever
 * holds the link reads the project's reports as its creator would (same row scope), without an
 * account, until it expires or is revoked, or the creator is disabled or loses the project.
 */

/** Bearer tokens with this prefix are share links, not API tokens. */
export const SHARE_TOKEN_PREFIX = 'slv_';
export const SHARE_MAX_HOURS = 90 * 24;
export const SHARE_DEFAULT_HOURS = 7 * 24;
const MAX_PATH_CHARS = 2_000;

export type ShareStatus = 'active' | 'expired' | 'revoked';

export interface ShareLink {
  id: string;
  projectId: string;
  path: string;
  label: string;
  createdBy: { id: string; email: string };
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  lastOpenedAt: number | null;
  openCount: number;
  status: ShareStatus;
}

export interface CreateShareParams {
  /** The dashboard path with its query string: /p/<project>/<page>?<filter bar>. */
  path: string;
  label?: string | undefined;
  expiresInHours?: number | undefined;
}

/** What the dashboard needs to open a link: where to go, and whose view it is. */
export interface OpenedShare {
  id: string;
  projectId: string;
  path: string;
  label: string;
  expiresAt: number;
  createdBy: string;
}

export interface ShareLinks {
  create(
    principal: Principal,
    projectId: string,
    params: CreateShareParams,
  ): Promise<{ share: ShareLink; token: string }>;
  /** Admins see every link of the project; others their own. */
  list(principal: Principal, projectId: string): Promise<ShareLink[]>;
  /** The creator or an admin; revoking twice changes nothing. */
  revoke(principal: Principal, projectId: string, shareId: string): Promise<void>;
  /** Checks the token, counts the visit and says where the link points. */
  open(token: string): Promise<OpenedShare>;
}

interface ShareRow extends ShareLinksTable {
  email: string;
  name: string;
  role: string;
  disabled_at: number | null;
}

function selectShares(db: MetaDb) {
  return db
    .selectFrom('share_links')
    .innerJoin('users', 'users.id', 'share_links.created_by')
    .selectAll('share_links')
    .select(['users.email', 'users.name', 'users.role', 'users.disabled_at']);
}

function statusOf(row: ShareLinksTable, now: number): ShareStatus {
  if (row.revoked_at !== null) return 'revoked';
  return row.expires_at <= now ? 'expired' : 'active';
}

function toShareLink(row: ShareRow, now: number): ShareLink {
  return {
    id: row.id,
    projectId: row.project_id,
    path: row.path,
    label: row.label,
    createdBy: { id: row.created_by, email: row.email },
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastOpenedAt: row.last_opened_at,
    openCount: row.open_count,
    status: statusOf(row, now),
  };
}

/** A dashboard page of this project (not settings), with an optional query string. */
export function checkSharePath(projectId: string, path: string): string {
  const invalid = (reason: string) =>
    new SightlineError(ERR_SHARE_PATH_INVALID, { project: projectId, reason });
  if (path.length > MAX_PATH_CHARS) throw invalid(`longer than ${MAX_PATH_CHARS} characters`);
  const match = /^\/p\/([^/?#]+)\/([a-z][a-z-]*)(\?[^#]*)?$/.exec(path);
  if (!match) throw invalid('not of the form /p/<project>/<page>?<filters>');
  if (decodeURIComponent(match[1] ?? '') !== projectId) throw invalid('another project');
  if (match[2] === 'settings') throw invalid('settings cannot be shared');
  return path;
}

/**
 * A share token → its principal: read-only (projects:read, data:read) on the one project, with
 * the creator's row scope as it is now. Throws ERR_SHARE_EXPIRED / ERR_SHARE_INVALID.
 */
export async function authenticateShare(
  deps: { db: MetaDb; clock: Clock },
  token: string,
): Promise<{ principal: Principal; row: ShareRow }> {
  const { db, clock } = deps;
  const row = await selectShares(db)
    .where('share_links.token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || row.disabled_at !== null) {
    throw new SightlineError(ERR_SHARE_INVALID);
  }
  if (row.expires_at <= clock.now()) {
    throw new SightlineError(ERR_SHARE_EXPIRED, {
      expiredAt: new Date(row.expires_at).toISOString(),
    });
  }
  let rowScope = null;
  if (row.role !== 'admin') {
    const access = await db
      .selectFrom('project_access')
      .select('row_scope')
      .where('user_id', '=', row.created_by)
      .where('project_id', '=', row.project_id)
      .executeTakeFirst();
    if (!access) throw new SightlineError(ERR_SHARE_INVALID);
    rowScope = parseStoredRowScope(access.row_scope);
  }
  return {
    row,
    principal: {
      kind: 'share',
      id: row.id,
      label: row.label,
      role: 'viewer',
      permissions: new Set(['projects:read', 'data:read']),
      projects: new Set([row.project_id]),
      rowScopes: new Map(rowScope ? [[row.project_id, rowScope] as const] : []),
    },
  };
}

export function createShareLinks(deps: { db: MetaDb; audit: AuditLog; clock: Clock }): ShareLinks {
  const { db, audit, clock } = deps;

  async function findShare(projectId: string, shareId: string): Promise<ShareRow> {
    const row = await selectShares(db)
      .where('share_links.id', '=', shareId)
      .where('share_links.project_id', '=', projectId)
      .executeTakeFirst();
    if (!row) throw new SightlineError(ERR_SHARE_NOT_FOUND, { share: shareId });
    return row;
  }

  return {
    async create(principal, projectId, params) {
      // The link reads with its creator's access, so it needs a person behind it.
      if (principal.kind !== 'user') {
        throw new SightlineError(ERR_AUTH_FORBIDDEN, {
          permission: 'data:share (share links are made by signed-in users)',
        });
      }
      const path = checkSharePath(projectId, params.path);
      const now = clock.now();
      const hours = Math.min(params.expiresInHours ?? SHARE_DEFAULT_HOURS, SHARE_MAX_HOURS);
      const id = createId('sh_');
      const token = createRandomToken(SHARE_TOKEN_PREFIX, 32);
      const label = params.label?.trim() || path.split('?')[0]!.split('/').pop()!;
      await db
        .insertInto('share_links')
        .values({
          id,
          token_hash: sha256Hex(token),
          project_id: projectId,
          path,
          label,
          created_by: principal.id,
          created_at: now,
          expires_at: now + hours * 3_600_000,
          revoked_at: null,
          last_opened_at: null,
          open_count: 0,
        })
        .execute();
      await audit.record({
        actor: describeActor(principal),
        action: 'share.create',
        projectId,
        target: id,
        details: { path, label, expiresAt: now + hours * 3_600_000 },
      });
      return { share: toShareLink(await findShare(projectId, id), now), token };
    },

    async list(principal, projectId) {
      let query = selectShares(db)
        .where('share_links.project_id', '=', projectId)
        .orderBy('share_links.created_at', 'desc')
        .orderBy(sql`share_links.rowid`, 'desc');
      if (principal.role !== 'admin')
        query = query.where('share_links.created_by', '=', principal.id);
      const now = clock.now();
      return (await query.execute()).map((row) => toShareLink(row, now));
    },

    async revoke(principal, projectId, shareId) {
      const row = await findShare(projectId, shareId);
      if (principal.role !== 'admin' && row.created_by !== principal.id) {
        throw new SightlineError(ERR_AUTH_FORBIDDEN, {
          permission: 'data:share (only its creator or an admin revokes a link)',
        });
      }
      if (row.revoked_at !== null) return;
      await db
        .updateTable('share_links')
        .set({ revoked_at: clock.now() })
        .where('id', '=', shareId)
        .execute();
      await audit.record({
        actor: describeActor(principal),
        action: 'share.revoke',
        projectId,
        target: shareId,
        details: { path: row.path },
      });
    },

    async open(token) {
      const { row } = await authenticateShare({ db, clock }, token);
      const now = clock.now();
      await db
        .updateTable('share_links')
        .set((eb) => ({ last_opened_at: now, open_count: eb('open_count', '+', 1) }))
        .where('id', '=', row.id)
        .execute();
      return {
        id: row.id,
        projectId: row.project_id,
        path: row.path,
        label: row.label,
        expiresAt: row.expires_at,
        createdBy: row.name || row.email,
      };
    },
  };
}

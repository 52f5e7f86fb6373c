import { ERR_AUTH_TOKEN_INVALID, SightlineError } from '@sightline/shared';
import { sha256Hex, type Clock } from '../platform/index.ts';
import type { MetaDb } from '../store/index.ts';
import { isPermission, ROLE_PERMISSIONS, type Principal, type Role } from './permissions.ts';
import { parseStoredRowScope, type ProjectAccess } from './row-scope.ts';
import { authenticateShare, SHARE_TOKEN_PREFIX } from './share-links.ts';

export interface Credentials {
  authorization?: string | undefined;
  sessionToken?: string | undefined;
}

/** last_used_at is informative: refreshing it at most once a minute avoids a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The projects a user was granted, each with its row scope (null: unrestricted). */
export async function getProjectAccess(db: MetaDb, userId: string): Promise<ProjectAccess[]> {
  const rows = await db
    .selectFrom('project_access')
    .select(['project_id', 'row_scope'])
    .where('user_id', '=', userId)
    .orderBy('project_id')
    .execute();
  return rows.map((row) => ({
    projectId: row.project_id,
    rowScope: parseStoredRowScope(row.row_scope),
  }));
}

/**
 * Credentials → who is calling. A bearer API token wins over a session cookie. Returns null when
 * no credentials were sent; throws ERR_AUTH_TOKEN_INVALID when they were sent but do not hold
 * (unknown, revoked, expired, or the user is disabled), ERR_SHARE_* for a share link's token.
 */
export async function authenticate(
  deps: { db: MetaDb; clock: Clock },
  credentials: Credentials,
): Promise<Principal | null> {
  const { db, clock } = deps;
  const now = clock.now();
  const bearer = /^Bearer\s+(\S+)$/i.exec(credentials.authorization ?? '')?.[1];
  if (bearer?.startsWith(SHARE_TOKEN_PREFIX)) {
    return (await authenticateShare(deps, bearer)).principal;
  }
  if (bearer) {
    const row = await db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', sha256Hex(bearer))
      .executeTakeFirst();
    if (!row || row.revoked_at || (row.expires_at && row.expires_at <= now)) {
      throw new SightlineError(ERR_AUTH_TOKEN_INVALID);
    }
    const role = row.role as Role;
    const scoped = row.scopes ? (JSON.parse(row.scopes) as string[]).filter(isPermission) : null;
    const rowScope = parseStoredRowScope(row.row_scope);
    // A scope only means something on one project; without one, fail closed.
    if (rowScope && !row.project_id) throw new SightlineError(ERR_AUTH_TOKEN_INVALID);
    if (!row.last_used_at || now - row.last_used_at > LAST_USED_RESOLUTION_MS) {
      await db
        .updateTable('api_tokens')
        .set({ last_used_at: now })
        .where('id', '=', row.id)
        .execute();
    }
    return {
      kind: 'token',
      id: row.id,
      label: row.name,
      role,
      permissions: new Set(scoped ?? ROLE_PERMISSIONS[role]),
      projects: row.project_id ? new Set([row.project_id]) : 'all',
      rowScopes: new Map(rowScope && row.project_id ? [[row.project_id, rowScope] as const] : []),
    };
  }
  if (!credentials.sessionToken) return null;
  const session = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select('sessions.expires_at as session_expires_at')
    .where('sessions.id_hash', '=', sha256Hex(credentials.sessionToken))
    .executeTakeFirst();
  if (!session || session.session_expires_at <= now || session.disabled_at) {
    throw new SightlineError(ERR_AUTH_TOKEN_INVALID);
  }
  const role = session.role as Role;
  // Admins see every project, unrestricted, whatever access rows they kept from another role.
  const access = role === 'admin' ? [] : await getProjectAccess(db, session.id);
  return {
    kind: 'user',
    id: session.id,
    label: session.email,
    role,
    permissions: new Set(ROLE_PERMISSIONS[role]),
    projects: role === 'admin' ? 'all' : new Set(access.map((entry) => entry.projectId)),
    rowScopes: new Map(
      access.flatMap(({ projectId, rowScope }) =>
        rowScope ? [[projectId, rowScope] as const] : [],
      ),
    ),
  };
}

import { ERR_AUTH_TOKEN_INVALID, SightlineError } from '@sightline/shared';
import { sha256Hex, type Clock } from '../platform/index.ts';
import type { MetaDb } from '../store/index.ts';
import { isPermission, ROLE_PERMISSIONS, type Principal, type Role } from './permissions.ts';

export interface Credentials {
  authorization?: string | undefined;
  sessionToken?: string | undefined;
}

/** last_used_at is informative: refreshing it at most once a minute avoids a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export async function getProjectIds(db: MetaDb, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('project_access')
    .select('project_id')
    .where('user_id', '=', userId)
    .execute();
  return rows.map((row) => row.project_id);
}

/**
 * Credentials → who is calling. A bearer API token wins over a session cookie. Returns null when
 * no credentials were sent; throws ERR_AUTH_TOKEN_INVALID when they were sent but do not hold
 * (unknown, revoked, expired, or the user is disabled).
 */
export async function authenticate(
  deps: { db: MetaDb; clock: Clock },
  credentials: Credentials,
): Promise<Principal | null> {
  const { db, clock } = deps;
  const now = clock.now();
  const bearer = /^Bearer\s+(\S+)$/i.exec(credentials.authorization ?? '')?.[1];
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
  return {
    kind: 'user',
    id: session.id,
    label: session.email,
    role,
    permissions: new Set(ROLE_PERMISSIONS[role]),
    projects: role === 'admin' ? 'all' : new Set(await getProjectIds(db, session.id)),
  };
}

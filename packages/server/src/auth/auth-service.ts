import {
  ERR_AUTH_INVALID_CREDENTIALS,
  ERR_PROJECT_NOT_FOUND,
  ERR_TOKEN_NOT_FOUND,
  ERR_USER_EXISTS,
  ERR_USER_NOT_FOUND,
  ERR_USER_PASSWORD_WEAK,
  SightlineError,
  type Filter,
} from '@sightline/shared';
import type { AuditLog } from '../audit/index.ts';
import { createId, createRandomToken, sha256Hex, type Clock } from '../platform/index.ts';
import type { MetaDb, UsersTable } from '../store/index.ts';
import { authenticate, getProjectAccess, type Credentials } from './authenticate.ts';
import { generatePassword, hashPassword, MIN_PASSWORD_CHARS, verifyPassword } from './passwords.ts';
import { ROLE_PERMISSIONS, type Permission, type Principal, type Role } from './permissions.ts';
import {
  checkProjectAccess,
  checkTokenRowScope,
  describeRowScopes,
  serializeRowScope,
  type ProjectAccess,
  type ProjectAccessInput,
} from './row-scope.ts';
import { createShareLinks, type ShareLinks } from './share-links.ts';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  projectIds: string[];
  /** Project id → row-level scope, for the projects where the user is restricted. */
  rowScopes: Record<string, Filter[]>;
  createdAt: number;
  disabled: boolean;
  lastLoginAt: number | null;
}

export interface CreateUserParams {
  email: string;
  name?: string;
  /** Generated (and returned once) when absent. */
  password?: string;
  role: Role;
  projectIds?: string[];
  /** Instead of projectIds: projects with their row scopes. */
  projects?: ProjectAccessInput[];
}

export interface CreateTokenParams {
  name: string;
  role: Role;
  projectId?: string | null;
  scopes?: Permission[];
  expiresInDays?: number;
  /** Dimension filters on every query of the token; needs projectId, refused for admin. */
  rowScope?: readonly unknown[] | null;
}

export interface AuthService {
  createUser(params: CreateUserParams, actor: string): Promise<{ user: User; password: string }>;
  resetPassword(email: string, password: string | undefined, actor: string): Promise<string>;
  listUsers(): Promise<User[]>;
  /** Replaces the user's projects; entries may carry a row scope. */
  setProjectAccess(
    userId: string,
    access: readonly ProjectAccessInput[],
    actor: string,
  ): Promise<void>;
  countUsers(): Promise<number>;
  login(
    email: string,
    password: string,
  ): Promise<{ sessionToken: string; user: User; expiresAt: number }>;
  logout(sessionToken: string): Promise<void>;
  createToken(params: CreateTokenParams, actor: string): Promise<{ id: string; token: string }>;
  revokeToken(id: string, actor: string): Promise<void>;
  /** null when no credentials were sent; throws when credentials were sent but are not valid. */
  authenticate(credentials: Credentials): Promise<Principal | null>;
  /** Read-only links to a dashboard view that expire. */
  shares: ShareLinks;
}

export interface AuthServiceOptions {
  db: MetaDb;
  audit: AuditLog;
  clock: Clock;
  sessionTtlHours: number;
}

export function createAuthService(options: AuthServiceOptions): AuthService {
  const { db, audit, clock } = options;

  async function toUser(row: UsersTable): Promise<User> {
    const access = await getProjectAccess(db, row.id);
    return {
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role as Role,
      projectIds: access.map((entry) => entry.projectId),
      rowScopes: describeRowScopes(access),
      createdAt: row.created_at,
      disabled: row.disabled_at !== null,
      lastLoginAt: row.last_login_at,
    };
  }

  function checkPassword(password: string): void {
    if (password.length < MIN_PASSWORD_CHARS) {
      throw new SightlineError(ERR_USER_PASSWORD_WEAK, { min: MIN_PASSWORD_CHARS });
    }
  }

  /** Refuses access to a project that does not exist, before anything is written. */
  async function checkProjectsExist(access: readonly ProjectAccess[]) {
    if (access.length === 0) return;
    const ids = [...new Set(access.map((entry) => entry.projectId))];
    const found = new Set(
      (await db.selectFrom('projects').select('id').where('id', 'in', ids).execute()).map(
        (row) => row.id,
      ),
    );
    const missing = ids.find((id) => !found.has(id));
    if (missing !== undefined)
      throw new SightlineError(ERR_PROJECT_NOT_FOUND, { project: missing });
  }

  async function replaceAccess(userId: string, access: readonly ProjectAccess[]) {
    await checkProjectsExist(access);
    await db.deleteFrom('project_access').where('user_id', '=', userId).execute();
    if (access.length > 0) {
      await db
        .insertInto('project_access')
        .values(
          access.map((entry) => ({
            user_id: userId,
            project_id: entry.projectId,
            row_scope: serializeRowScope(entry.rowScope),
          })),
        )
        .execute();
    }
  }

  return {
    async createUser(params, actor) {
      const email = params.email.trim().toLowerCase();
      const existing = await db
        .selectFrom('users')
        .select('id')
        .where('email', '=', email)
        .executeTakeFirst();
      if (existing) throw new SightlineError(ERR_USER_EXISTS, { email });
      const password = params.password ?? generatePassword();
      checkPassword(password);
      const access = checkProjectAccess(
        params.projects ?? (params.projectIds ?? []).map((projectId) => ({ projectId })),
        params.role,
      );
      await checkProjectsExist(access);
      const id = createId('u_');
      await db
        .insertInto('users')
        .values({
          id,
          email,
          name: params.name ?? email.split('@')[0] ?? email,
          password_hash: await hashPassword(password),
          role: params.role,
          created_at: clock.now(),
          disabled_at: null,
          last_login_at: null,
        })
        .execute();
      await replaceAccess(id, access);
      await audit.record({
        actor,
        action: 'user.create',
        target: email,
        details: { role: params.role, rowScopes: describeRowScopes(access) },
      });
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return { user: await toUser(row), password };
    },

    async resetPassword(email, password, actor) {
      const normalised = email.trim().toLowerCase();
      const row = await db
        .selectFrom('users')
        .select('id')
        .where('email', '=', normalised)
        .executeTakeFirst();
      if (!row) throw new SightlineError(ERR_USER_NOT_FOUND, { user: normalised });
      const next = password ?? generatePassword();
      checkPassword(next);
      await db
        .updateTable('users')
        .set({ password_hash: await hashPassword(next), disabled_at: null })
        .where('id', '=', row.id)
        .execute();
      // A reset ends every open session of that user.
      await db.deleteFrom('sessions').where('user_id', '=', row.id).execute();
      await audit.record({ actor, action: 'user.password.reset', target: normalised });
      return next;
    },

    async listUsers() {
      const rows = await db.selectFrom('users').selectAll().orderBy('created_at').execute();
      return Promise.all(rows.map(toUser));
    },

    async setProjectAccess(userId, entries, actor) {
      const row = await db
        .selectFrom('users')
        .select(['email', 'role'])
        .where('id', '=', userId)
        .executeTakeFirst();
      if (!row) throw new SightlineError(ERR_USER_NOT_FOUND, { user: userId });
      const access = checkProjectAccess(entries, row.role as Role);
      await replaceAccess(userId, access);
      await audit.record({
        actor,
        action: 'user.access.update',
        target: row.email,
        details: {
          projectIds: access.map((entry) => entry.projectId),
          rowScopes: describeRowScopes(access),
        },
      });
    },

    async countUsers() {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    async login(email, password) {
      const normalised = email.trim().toLowerCase();
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', normalised)
        .executeTakeFirst();
      const ok = row && !row.disabled_at && (await verifyPassword(password, row.password_hash));
      if (!row || !ok) {
        await audit.record({ actor: 'anonymous', action: 'auth.login.failed', target: normalised });
        throw new SightlineError(ERR_AUTH_INVALID_CREDENTIALS);
      }
      const sessionToken = createRandomToken('sls_', 32);
      const now = clock.now();
      const expiresAt = now + options.sessionTtlHours * 3_600_000;
      await db
        .insertInto('sessions')
        .values({
          id_hash: sha256Hex(sessionToken),
          user_id: row.id,
          created_at: now,
          expires_at: expiresAt,
        })
        .execute();
      await db.updateTable('users').set({ last_login_at: now }).where('id', '=', row.id).execute();
      await audit.record({ actor: `user:${row.id}`, action: 'auth.login', target: normalised });
      return { sessionToken, user: await toUser({ ...row, last_login_at: now }), expiresAt };
    },

    async logout(sessionToken) {
      await db.deleteFrom('sessions').where('id_hash', '=', sha256Hex(sessionToken)).execute();
    },

    async createToken(params, actor) {
      const id = createId('t_');
      const token = createRandomToken('slt_', 32);
      const scopes = params.scopes?.filter((scope) =>
        ROLE_PERMISSIONS[params.role].includes(scope),
      );
      const rowScope = checkTokenRowScope(params.rowScope, params);
      await db
        .insertInto('api_tokens')
        .values({
          id,
          token_hash: sha256Hex(token),
          name: params.name,
          role: params.role,
          project_id: params.projectId ?? null,
          scopes: scopes ? JSON.stringify(scopes) : null,
          row_scope: serializeRowScope(rowScope),
          created_by: actor,
          created_at: clock.now(),
          expires_at: params.expiresInDays ? clock.now() + params.expiresInDays * 86_400_000 : null,
          last_used_at: null,
          revoked_at: null,
        })
        .execute();
      await audit.record({
        actor,
        action: 'token.create',
        projectId: params.projectId ?? null,
        target: id,
        details: { name: params.name, role: params.role, scopes: scopes ?? null, rowScope },
      });
      return { id, token };
    },

    async revokeToken(id, actor) {
      const token = await db
        .selectFrom('api_tokens')
        .select('revoked_at')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!token) throw new SightlineError(ERR_TOKEN_NOT_FOUND, { token: id });
      // Revoking twice changes nothing and records nothing new.
      if (token.revoked_at !== null) return;
      await db
        .updateTable('api_tokens')
        .set({ revoked_at: clock.now() })
        .where('id', '=', id)
        .execute();
      await audit.record({ actor, action: 'token.revoke', target: id });
    },

    authenticate: (credentials) => authenticate({ db, clock }, credentials),
    shares: createShareLinks({ db, audit, clock }),
  };
}

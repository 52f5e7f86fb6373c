import {
  ERR_PROJECT_EXISTS,
  ERR_PROJECT_NOT_FOUND,
  ERR_RETENTION_INVALID,
  SightlineError,
  SDK_CONFIG_DEFAULTS,
  type SdkConfig,
  type SdkConfigPatch,
} from '@sightline/shared';
import type { AuditLog } from '../audit/index.ts';
import {
  createId,
  createRandomToken,
  decryptWithSecret,
  encryptWithSecret,
  sha256Hex,
  type Clock,
} from '../platform/index.ts';
import type { MetaDb, ProjectsTable } from '../store/index.ts';

const KEY_PURPOSE = 'project-secret-keys';
/** Cross-process changes (a CLI rotating a key) reach a running server within this time. */
const KEY_CACHE_TTL_MS = 5_000;
const DEFAULT_ROTATION_GRACE_HOURS = 24;

export type DntMode = 'drop' | 'anonymize';
export type KeyKind = 'write' | 'secret';

export interface Project {
  id: string;
  name: string;
  timeZone: string;
  retentionDays: number;
  dntMode: DntMode;
  fieldDenylist: string[];
  /** What the SDKs fetch from GET /api/v1/sdk-config: the set fields over the defaults. */
  sdkConfig: SdkConfig;
  createdAt: number;
}

export interface CreateProjectParams {
  name: string;
  id?: string;
  timeZone: string;
  retentionDays: number;
}

export interface CreatedProject {
  project: Project;
  writeKey: string;
  secretKey: string;
}

export interface UpdateProjectParams {
  name?: string;
  timeZone?: string;
  retentionDays?: number;
  dntMode?: DntMode;
  fieldDenylist?: string[];
  /** Merged into the fields already set. */
  sdkConfig?: SdkConfigPatch;
}

export interface KeyInfo {
  id: string;
  kind: KeyKind;
  /** Whole key for write keys (public by design); prefix only for secret keys. */
  display: string;
  createdAt: number;
  expiresAt: number | null;
}

/** What ingest needs about a project, resolved from a write key on the hot path. */
export interface IngestProject {
  project: Project;
  denylist: ReadonlySet<string>;
  /** Every currently valid secret key (two during a rotation grace period). */
  secretKeys: readonly string[];
}

export interface ProjectService {
  create(params: CreateProjectParams, actor: string): Promise<CreatedProject>;
  list(ids?: readonly string[]): Promise<Project[]>;
  get(id: string): Promise<Project>;
  update(id: string, patch: UpdateProjectParams, actor: string): Promise<Project>;
  listKeys(id: string): Promise<KeyInfo[]>;
  /** Issues an additional key; existing keys stay valid. */
  addKey(id: string, kind: KeyKind, actor: string): Promise<string>;
  /** Issues a new key; existing keys of that kind expire after the grace period. */
  rotateKey(
    id: string,
    kind: KeyKind,
    graceHours: number | undefined,
    actor: string,
  ): Promise<string>;
  resolveWriteKey(writeKey: string): Promise<IngestProject | null>;
}

export interface ProjectServiceOptions {
  db: MetaDb;
  audit: AuditLog;
  clock: Clock;
  masterSecret: string;
}

export function createProjectService(options: ProjectServiceOptions): ProjectService {
  const { db, audit, clock, masterSecret } = options;
  const cache = new Map<string, { value: IngestProject | null; expiresAt: number }>();

  async function insertKey(projectId: string, kind: KeyKind): Promise<string> {
    const key = createRandomToken(kind === 'write' ? 'wk_' : 'sk_', kind === 'write' ? 18 : 32);
    await db
      .insertInto('project_keys')
      .values({
        id: createId('k_'),
        project_id: projectId,
        kind,
        key_value: kind === 'write' ? key : encryptWithSecret(masterSecret, KEY_PURPOSE, key),
        key_hash: sha256Hex(key),
        key_prefix: key.slice(0, 10),
        created_at: clock.now(),
        expires_at: null,
        revoked_at: null,
      })
      .execute();
    return key;
  }

  function validKeys(projectId: string, kind: KeyKind) {
    const now = clock.now();
    return db
      .selectFrom('project_keys')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('kind', '=', kind)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .orderBy('created_at', 'desc');
  }

  async function get(id: string): Promise<Project> {
    const row = await db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new SightlineError(ERR_PROJECT_NOT_FOUND, { project: id });
    return toProject(row);
  }

  return {
    async create(params, actor) {
      checkRetention(params.retentionDays);
      const id = params.id ?? createId('p_');
      const exists = await db
        .selectFrom('projects')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst();
      if (exists) throw new SightlineError(ERR_PROJECT_EXISTS, { project: id });
      await db
        .insertInto('projects')
        .values({
          id,
          name: params.name,
          time_zone: params.timeZone,
          retention_days: params.retentionDays,
          dnt_mode: 'drop',
          field_denylist: '[]',
          sdk_config: '{}',
          created_at: clock.now(),
        })
        .execute();
      const writeKey = await insertKey(id, 'write');
      const secretKey = await insertKey(id, 'secret');
      await audit.record({
        actor,
        action: 'project.create',
        projectId: id,
        details: { name: params.name },
      });
      return { project: await get(id), writeKey, secretKey };
    },

    async list(ids) {
      let query = db.selectFrom('projects').selectAll().orderBy('created_at');
      if (ids) {
        if (ids.length === 0) return [];
        query = query.where('id', 'in', ids);
      }
      return (await query.execute()).map(toProject);
    },

    get,

    async update(id, patch, actor) {
      await get(id);
      if (patch.retentionDays !== undefined) checkRetention(patch.retentionDays);
      const values: Partial<ProjectsTable> = {};
      if (patch.name !== undefined) values.name = patch.name;
      if (patch.timeZone !== undefined) values.time_zone = patch.timeZone;
      if (patch.retentionDays !== undefined) values.retention_days = patch.retentionDays;
      if (patch.dntMode !== undefined) values.dnt_mode = patch.dntMode;
      if (patch.fieldDenylist !== undefined)
        values.field_denylist = JSON.stringify(patch.fieldDenylist);
      if (patch.sdkConfig !== undefined) {
        const row = await db
          .selectFrom('projects')
          .select('sdk_config')
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        const set = JSON.parse(row.sdk_config) as SdkConfigPatch;
        values.sdk_config = JSON.stringify({ ...set, ...patch.sdkConfig });
      }
      if (Object.keys(values).length > 0) {
        await db.updateTable('projects').set(values).where('id', '=', id).execute();
      }
      cache.clear();
      await audit.record({
        actor,
        action: 'project.settings.update',
        projectId: id,
        details: { ...patch },
      });
      return get(id);
    },

    async listKeys(id) {
      await get(id);
      const rows = await validKeys(id, 'write').execute();
      const secrets = await validKeys(id, 'secret').execute();
      return [...rows, ...secrets].map((row) => ({
        id: row.id,
        kind: row.kind as KeyKind,
        display: row.kind === 'write' ? row.key_value : `${row.key_prefix}…`,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      }));
    },

    async addKey(id, kind, actor) {
      await get(id);
      const key = await insertKey(id, kind);
      cache.clear();
      await audit.record({ actor, action: 'key.create', projectId: id, details: { kind } });
      return key;
    },

    async rotateKey(id, kind, graceHours = DEFAULT_ROTATION_GRACE_HOURS, actor) {
      await get(id);
      const expiresAt = clock.now() + graceHours * 3_600_000;
      await db
        .updateTable('project_keys')
        .set({ expires_at: expiresAt })
        .where('project_id', '=', id)
        .where('kind', '=', kind)
        .where('revoked_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', expiresAt)]))
        .execute();
      const key = await insertKey(id, kind);
      cache.clear();
      await audit.record({
        actor,
        action: 'key.rotate',
        projectId: id,
        details: { kind, graceHours },
      });
      return key;
    },

    async resolveWriteKey(writeKey) {
      const hash = sha256Hex(writeKey);
      const hit = cache.get(hash);
      const now = clock.now();
      if (hit && hit.expiresAt > now) return hit.value;
      const row = await db
        .selectFrom('project_keys')
        .select(['project_id', 'expires_at', 'revoked_at', 'kind'])
        .where('key_hash', '=', hash)
        .executeTakeFirst();
      let value: IngestProject | null = null;
      const usable =
        row && row.kind === 'write' && !row.revoked_at && (!row.expires_at || row.expires_at > now);
      if (usable) {
        const project = await get(row.project_id);
        const secrets = await validKeys(project.id, 'secret').execute();
        value = {
          project,
          denylist: new Set(project.fieldDenylist.map((field) => field.toLowerCase())),
          secretKeys: secrets.map((s) => decryptWithSecret(masterSecret, KEY_PURPOSE, s.key_value)),
        };
      }
      cache.set(hash, { value, expiresAt: now + KEY_CACHE_TTL_MS });
      return value;
    },
  };
}

function checkRetention(days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > 3_650) {
    throw new SightlineError(ERR_RETENTION_INVALID, { days });
  }
}

function toProject(row: ProjectsTable): Project {
  return {
    id: row.id,
    name: row.name,
    timeZone: row.time_zone,
    retentionDays: row.retention_days,
    dntMode: row.dnt_mode === 'anonymize' ? 'anonymize' : 'drop',
    fieldDenylist: JSON.parse(row.field_denylist) as string[],
    sdkConfig: { ...SDK_CONFIG_DEFAULTS, ...(JSON.parse(row.sdk_config) as SdkConfigPatch) },
    createdAt: row.created_at,
  };
}

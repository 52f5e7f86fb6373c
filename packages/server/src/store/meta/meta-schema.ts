import type { Generated } from 'kysely';

/** Tables of the metadata store. Times are epoch milliseconds; JSON columns hold text. */
export interface MetaDatabase {
  projects: ProjectsTable;
  project_keys: ProjectKeysTable;
  users: UsersTable;
  project_access: ProjectAccessTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
  segments: SegmentsTable;
  insights: InsightsTable;
  dashboards: DashboardsTable;
  share_links: ShareLinksTable;
}

export interface ProjectsTable {
  id: string;
  name: string;
  time_zone: string;
  retention_days: number;
  /** drop | anonymize: what to do with events from clients that ask not to be tracked. */
  dnt_mode: string;
  /** JSON array of property names or dotted paths never stored. */
  field_denylist: string;
  /** JSON: the SDK configuration fields set for the project (see SdkConfig). */
  sdk_config: string;
  created_at: number;
}

export interface ProjectKeysTable {
  id: string;
  project_id: string;
  /** write (public, for SDKs) | secret (server-side, signs bodies) */
  kind: string;
  /** write: the key itself; secret: AES-GCM ciphertext under the master secret (HMAC needs it). */
  key_value: string;
  /** sha256 of the key, for lookups without reading every row. */
  key_hash: string;
  /** First characters, shown in lists. */
  key_prefix: string;
  created_at: number;
  /** Set on rotation: the old key keeps working until then. */
  expires_at: number | null;
  revoked_at: number | null;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  /** admin | analyst | operator | viewer */
  role: string;
  created_at: number;
  disabled_at: number | null;
  last_login_at: number | null;
}

export interface ProjectAccessTable {
  user_id: string;
  project_id: string;
  /** JSON array of dimension filters applied to every query of the user here; null: none. */
  row_scope: string | null;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

export interface ApiTokensTable {
  id: string;
  token_hash: string;
  name: string;
  role: string;
  /** null: every project the role allows. */
  project_id: string | null;
  /** JSON array narrowing the role's permissions; null: all of the role's. */
  scopes: string | null;
  /** JSON array of dimension filters applied to every query (needs project_id); null: none. */
  row_scope: string | null;
  created_by: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface SettingsTable {
  /** 'global' or a project id */
  scope: string;
  key: string;
  value: string;
  updated_at: number;
  updated_by: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  /** user:<id> | token:<id> | cli | system */
  actor: string;
  action: string;
  project_id: string | null;
  target: string | null;
  details: string;
}

export interface SegmentsTable {
  id: string;
  project_id: string;
  name: string;
  description: string | null;
  /** JSON `{ match, rules }` (the rule-based definition, defaults applied). */
  definition: string;
  /** user:<id> | token:<id> of the creator. */
  created_by: string;
  created_at: number;
  updated_at: number;
  /** When segment_members was last recomputed; null before the first refresh. */
  refreshed_at: number | null;
  /** Members at the last refresh. */
  size: number | null;
}

export interface InsightsTable {
  id: string;
  project_id: string;
  name: string;
  /** trends | funnel | retention | paths: the report that draws it. */
  kind: string;
  /** JSON: the report request (the report's own parameters, optionally a granularity). */
  params: string;
  /** JSON object: the filter bar's URL query parameters when it was saved. */
  filters: string;
  /** user:<id> | token:<id> of the creator; only they (or an admin) change it. */
  owner: string;
  created_at: number;
  updated_at: number;
}

export interface DashboardsTable {
  id: string;
  project_id: string;
  name: string;
  /** user:<id> | token:<id> of the creator. */
  owner: string;
  /** JSON array of { insightId, width: 1 | 2 } tiles, in display order. */
  layout: string;
  /** 1: visible to everyone on the project; 0: to its owner (and admins) only. */
  shared: number;
  created_at: number;
  updated_at: number;
}

export interface ShareLinksTable {
  id: string;
  /** sha256 of the link's token; the token itself is shown once, in the link. */
  token_hash: string;
  project_id: string;
  /** The dashboard path with its query (filter bar), e.g. /p/demo/commerce?range=last_7_days. */
  path: string;
  label: string;
  /** The user who made it; the link reads with their access, and dies with their account. */
  created_by: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  last_opened_at: number | null;
  open_count: number;
}

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
  alert_rules: AlertRulesTable;
  alert_instances: AlertInstancesTable;
  alert_events: AlertEventsTable;
  alert_silences: AlertSilencesTable;
  alert_channels: AlertChannelsTable;
  alert_policies: AlertPoliciesTable;
  alert_groups: AlertGroupsTable;
  alert_notifications: AlertNotificationsTable;
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

export interface AlertRulesTable {
  id: string;
  project_id: string;
  name: string;
  /** P0 | P1 | P2 */
  severity: string;
  enabled: number;
  /** JSON: the rule as validated by alertRuleSpecSchema (alerts/alert-rule-schema.ts). */
  spec: string;
  created_by: string;
  created_at: number;
  updated_at: number;
  /** When the scheduler evaluates it next. */
  next_eval_at: number;
  last_eval_at: number | null;
  last_eval_ms: number | null;
  /** The last evaluation's error code and message, null when it succeeded. */
  last_error: string | null;
}

export interface AlertInstancesTable {
  id: string;
  project_id: string;
  /** Null for alerts received from Alertmanager. */
  rule_id: string | null;
  /** rule | alertmanager */
  source: string;
  /** sha256 of the sorted labels: an alert's identity. */
  fingerprint: string;
  /** JSON object of label → value. */
  labels: string;
  /** JSON object (summary, description, value text, …). */
  annotations: string;
  severity: string;
  /** inactive | pending | firing | resolved */
  state: string;
  value: number | null;
  /** Recent evaluations, oldest first, '1' breached and '0' not (M-of-N). */
  breaches: string;
  /** JSON [[at, value], …] of recent evaluations, oldest first: the EWMA baseline's history. */
  recent_values: string;
  pending_since: number | null;
  firing_since: number | null;
  resolved_at: number | null;
  last_eval_at: number;
  /** Acknowledgement of the current firing episode; cleared on resolve. */
  ack_at: number | null;
  ack_by: string | null;
  ack_comment: string | null;
}

export interface AlertEventsTable {
  id: Generated<number>;
  project_id: string;
  instance_id: string;
  at: number;
  /** transition | acknowledged | unacknowledged | comment | outcome */
  kind: string;
  from_state: string | null;
  to_state: string | null;
  value: number | null;
  actor: string | null;
  /** The comment, or for `outcome` what became of a firing: notified | silenced | inhibited. */
  comment: string | null;
}

export interface AlertSilencesTable {
  id: string;
  project_id: string;
  /** JSON array of { name, op, value } label matchers, all of which must match. */
  matchers: string;
  starts_at: number;
  ends_at: number;
  /** JSON { days, startMinute, endMinute }: a recurring mute window in the project's zone. */
  schedule: string | null;
  comment: string;
  created_by: string;
  created_at: number;
  /** Set when ended early. */
  expired_at: number | null;
}

export interface AlertChannelsTable {
  id: string;
  project_id: string;
  name: string;
  kind: string;
  /** The channel config (URLs, secrets, recipients) sealed with the master secret. */
  config_sealed: string;
  send_resolved: number;
  enabled: number;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface AlertPoliciesTable {
  project_id: string;
  /** JSON: grouping, timing, inhibition and language (alertPolicySchema). */
  spec: string;
  updated_by: string;
  updated_at: number;
}

export interface AlertGroupsTable {
  id: string;
  project_id: string;
  channel_id: string;
  /** JSON array of the group-by label values. */
  group_key: string;
  group_labels: string;
  first_seen_at: number;
  last_sent_at: number | null;
  /** JSON: fingerprint → state ('firing' | 'resolved') as last notified. */
  sent_alerts: string;
}

export interface AlertNotificationsTable {
  id: string;
  project_id: string;
  channel_id: string;
  group_key: string | null;
  /** firing | resolved | test */
  kind: string;
  alert_count: number;
  /** JSON NotificationMessage, kept so retries send the same thing. */
  message: string;
  /** pending | sent | retrying | failed */
  status: string;
  attempts: number;
  next_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

import { sql, type Kysely, type Migration } from 'kysely';
// These migration files import nothing at runtime, so the store depends on no other domain.
import { monitoringMigration } from '../../monitoring/monitoring-migration.ts';
import { anomaliesMigration } from '../../anomalies/anomalies-migration.ts';
import { reportsMigration } from '../../reports/reports-migration.ts';
import { exportsMigration } from '../../exports/exports-migration.ts';

/** Append-only, like the event store's: a shipped migration is never edited. */
export const META_MIGRATIONS: Record<string, Migration> = {
  '0001_accounts_projects_audit': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('projects')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('retention_days', 'integer', (c) => c.notNull())
        .addColumn('dnt_mode', 'text', (c) => c.notNull().defaultTo('drop'))
        .addColumn('field_denylist', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('project_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('key_value', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('key_prefix', 'text', (c) => c.notNull())
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('expires_at', 'integer')
        .addColumn('revoked_at', 'integer')
        .execute();
      await db.schema
        .createIndex('project_keys_project')
        .on('project_keys')
        .columns(['project_id', 'kind'])
        .execute();
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('disabled_at', 'integer')
        .addColumn('last_login_at', 'integer')
        .execute();
      await db.schema
        .createTable('project_access')
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addPrimaryKeyConstraint('project_access_pk', ['user_id', 'project_id'])
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('expires_at', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('project_id', 'text', (c) => c.references('projects.id').onDelete('cascade'))
        .addColumn('scopes', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('expires_at', 'integer')
        .addColumn('last_used_at', 'integer')
        .addColumn('revoked_at', 'integer')
        .execute();
      await db.schema
        .createTable('settings')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'integer', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('settings_pk', ['scope', 'key'])
        .execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('at', 'integer', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('project_id', 'text')
        .addColumn('target', 'text')
        .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
        .execute();
      await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
      await sql`SELECT 1`.execute(db);
    },
  },
  '0002_segments': {
    async up(db: Kysely<unknown>) {
      // Saved rule-based segments; their members live in the event store (segment_members).
      await db.schema
        .createTable('segments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'integer', (c) => c.notNull())
        .addColumn('refreshed_at', 'integer')
        .addColumn('size', 'integer')
        .execute();
      await db.schema.createIndex('segments_project').on('segments').column('project_id').execute();
    },
  },
  '0003_row_scope': {
    async up(db: Kysely<unknown>) {
      // Row-level scope (seed 001 §4.3): a JSON array of dimension filters ANDed into every query
      // of that user on that project, or of that token; null leaves the caller unrestricted.
      await db.schema.alterTable('project_access').addColumn('row_scope', 'text').execute();
      await db.schema.alterTable('api_tokens').addColumn('row_scope', 'text').execute();
    },
  },
  '0004_sdk_config': {
    async up(db: Kysely<unknown>) {
      // Remote SDK configuration (seed 004): JSON of the fields set, merged over the defaults.
      await db.schema
        .alterTable('projects')
        .addColumn('sdk_config', 'text', (c) => c.notNull().defaultTo('{}'))
        .execute();
    },
  },
  '0005_insights_dashboards': {
    async up(db: Kysely<unknown>) {
      // Saved insights (a report request with the filter bar it was saved with) and dashboards
      // composed of them: the layout is a JSON array of { insightId, width } tiles, in order.
      await db.schema
        .createTable('insights')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('filters', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('insights_project').on('insights').column('project_id').execute();
      await db.schema
        .createTable('dashboards')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('layout', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('shared', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('dashboards_project')
        .on('dashboards')
        .column('project_id')
        .execute();
    },
  },
  '0006_share_links': {
    async up(db: Kysely<unknown>) {
      // Read-only links to one dashboard view (path + filter bar) that expire. The token is kept
      // as a hash only; access follows the creator's own (row scope, disabled, removed).
      await db.schema
        .createTable('share_links')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) =>
          c.notNull().references('users.id').onDelete('cascade'),
        )
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('expires_at', 'integer', (c) => c.notNull())
        .addColumn('revoked_at', 'integer')
        .addColumn('last_opened_at', 'integer')
        .addColumn('open_count', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createIndex('share_links_project')
        .on('share_links')
        .column('project_id')
        .execute();
    },
  },
  '0007_alerts': {
    async up(db: Kysely<unknown>) {
      // Rules keep their definition as validated JSON (spec) beside the columns lists and the
      // scheduler filter on; instances are one per rule and label set (fingerprint).
      await db.schema
        .createTable('alert_rules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('spec', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'integer', (c) => c.notNull())
        .addColumn('next_eval_at', 'integer', (c) => c.notNull())
        .addColumn('last_eval_at', 'integer')
        .addColumn('last_eval_ms', 'integer')
        .addColumn('last_error', 'text')
        .execute();
      await db.schema
        .createIndex('alert_rules_due')
        .on('alert_rules')
        .columns(['enabled', 'next_eval_at'])
        .execute();
      await db.schema
        .createTable('alert_instances')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('rule_id', 'text', (c) => c.references('alert_rules.id').onDelete('cascade'))
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('labels', 'text', (c) => c.notNull())
        .addColumn('annotations', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('value', 'real')
        .addColumn('breaches', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('recent_values', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('pending_since', 'integer')
        .addColumn('firing_since', 'integer')
        .addColumn('resolved_at', 'integer')
        .addColumn('last_eval_at', 'integer', (c) => c.notNull())
        .addColumn('ack_at', 'integer')
        .addColumn('ack_by', 'text')
        .addColumn('ack_comment', 'text')
        .execute();
      await db.schema
        .createIndex('alert_instances_identity')
        .on('alert_instances')
        .columns(['project_id', 'source', 'fingerprint'])
        .unique()
        .execute();
      await db.schema
        .createIndex('alert_instances_state')
        .on('alert_instances')
        .columns(['project_id', 'state'])
        .execute();
      await db.schema
        .createTable('alert_events')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('instance_id', 'text', (c) =>
          c.notNull().references('alert_instances.id').onDelete('cascade'),
        )
        .addColumn('at', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('from_state', 'text')
        .addColumn('to_state', 'text')
        .addColumn('value', 'real')
        .addColumn('actor', 'text')
        .addColumn('comment', 'text')
        .execute();
      await db.schema
        .createIndex('alert_events_project_at')
        .on('alert_events')
        .columns(['project_id', 'at'])
        .execute();
      await db.schema
        .createIndex('alert_events_instance')
        .on('alert_events')
        .columns(['instance_id', 'at'])
        .execute();
      await db.schema
        .createTable('alert_silences')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('matchers', 'text', (c) => c.notNull())
        .addColumn('starts_at', 'integer', (c) => c.notNull())
        .addColumn('ends_at', 'integer', (c) => c.notNull())
        .addColumn('schedule', 'text')
        .addColumn('comment', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('expired_at', 'integer')
        .execute();
      await db.schema
        .createIndex('alert_silences_project')
        .on('alert_silences')
        .columns(['project_id', 'ends_at'])
        .execute();
      await db.schema
        .createTable('alert_channels')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('config_sealed', 'text', (c) => c.notNull())
        .addColumn('send_resolved', 'integer', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('alert_policies')
        .addColumn('project_id', 'text', (c) =>
          c.primaryKey().references('projects.id').onDelete('cascade'),
        )
        .addColumn('spec', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('alert_groups')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('channel_id', 'text', (c) =>
          c.notNull().references('alert_channels.id').onDelete('cascade'),
        )
        .addColumn('group_key', 'text', (c) => c.notNull())
        .addColumn('group_labels', 'text', (c) => c.notNull())
        .addColumn('first_seen_at', 'integer', (c) => c.notNull())
        .addColumn('last_sent_at', 'integer')
        .addColumn('sent_alerts', 'text', (c) => c.notNull().defaultTo('{}'))
        .execute();
      await db.schema
        .createIndex('alert_groups_key')
        .on('alert_groups')
        .columns(['channel_id', 'group_key'])
        .unique()
        .execute();
      await db.schema
        .createTable('alert_notifications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('channel_id', 'text', (c) =>
          c.notNull().references('alert_channels.id').onDelete('cascade'),
        )
        .addColumn('group_key', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('alert_count', 'integer', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'integer')
        .addColumn('last_status', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('sent_at', 'integer')
        .execute();
      await db.schema
        .createIndex('alert_notifications_project')
        .on('alert_notifications')
        .columns(['project_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('alert_notifications_due')
        .on('alert_notifications')
        .columns(['status', 'next_attempt_at'])
        .execute();
    },
  },
  '0008_monitoring': monitoringMigration,
  '0009_anomalies': anomaliesMigration,
  '0010_reports': reportsMigration,
  '0011_exports': exportsMigration,
};

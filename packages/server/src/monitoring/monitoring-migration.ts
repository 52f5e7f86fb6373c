import type { Kysely, Migration } from 'kysely';

/**
 * Probe targets and their check history in the metadata store; registered in META_MIGRATIONS as
 * 0008_monitoring. Checks go with their target.
 */
export const monitoringMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('monitor_targets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('config', 'text', (c) => c.notNull())
      .addColumn('interval_sec', 'integer', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .addColumn('last_checked_at', 'integer')
      .addColumn('last_status', 'text')
      .addColumn('last_latency_ms', 'integer')
      .addColumn('last_error', 'text')
      .execute();
    await db.schema
      .createTable('monitor_checks')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('target_id', 'text', (c) =>
        c.notNull().references('monitor_targets.id').onDelete('cascade'),
      )
      .addColumn('checked_at', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('latency_ms', 'integer', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    // A target's history by time (history, uptime windows) and everyone's by time (pruning).
    await db.schema
      .createIndex('monitor_checks_target_time')
      .on('monitor_checks')
      .columns(['target_id', 'checked_at'])
      .execute();
    await db.schema
      .createIndex('monitor_checks_time')
      .on('monitor_checks')
      .column('checked_at')
      .execute();
  },
};

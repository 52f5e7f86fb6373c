import type { Kysely, Migration } from 'kysely';

/**
 * Scheduled report definitions, the archive of generated reports and their deliveries, in the
 * metadata store; registered in META_MIGRATIONS as 0010_reports. Everything goes with its project.
 */
export const reportsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('report_definitions')
      .addColumn('project_id', 'text', (c) =>
        c.notNull().references('projects.id').onDelete('cascade'),
      )
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('send_time', 'text', (c) => c.notNull())
      .addColumn('locale', 'text', (c) => c.notNull())
      .addColumn('sections', 'text', (c) => c.notNull())
      .addColumn('recipients', 'text', (c) => c.notNull())
      .addColumn('channel_ids', 'text', (c) => c.notNull())
      .addColumn('formats', 'text', (c) => c.notNull())
      // The scheduled instant last acted on, so a restart neither skips nor repeats a report.
      .addColumn('last_scheduled_at', 'integer')
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('report_definitions_pk', ['project_id', 'kind'])
      .execute();
    await db.schema
      .createTable('report_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) =>
        c.notNull().references('projects.id').onDelete('cascade'),
      )
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('period_start', 'text', (c) => c.notNull())
      .addColumn('period_end', 'text', (c) => c.notNull())
      .addColumn('locale', 'text', (c) => c.notNull())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('deliver', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('stage', 'text')
      .addColumn('error', 'text')
      .addColumn('headline', 'text')
      .addColumn('files', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('started_at', 'integer')
      .addColumn('finished_at', 'integer')
      .addColumn('duration_ms', 'integer')
      // A later generation of the same period (late data) supersedes this one.
      .addColumn('superseded_by', 'text')
      .execute();
    await db.schema
      .createIndex('report_runs_archive')
      .on('report_runs')
      .columns(['project_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('report_runs_period')
      .on('report_runs')
      .columns(['project_id', 'kind', 'period_start'])
      .execute();
    await db.schema
      .createTable('report_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('run_id', 'text', (c) =>
        c.notNull().references('report_runs.id').onDelete('cascade'),
      )
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('target_kind', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'integer')
      .addColumn('last_status', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('sent_at', 'integer')
      .execute();
    await db.schema
      .createIndex('report_deliveries_run')
      .on('report_deliveries')
      .columns(['run_id'])
      .execute();
    await db.schema
      .createIndex('report_deliveries_due')
      .on('report_deliveries')
      .columns(['status', 'next_attempt_at'])
      .execute();
  },
};

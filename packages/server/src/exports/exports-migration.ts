import type { Kysely, Migration } from 'kysely';

/**
 * Export jobs and their download links, in the metadata store; registered in META_MIGRATIONS
 * as 0011_exports. Jobs go with their project; links go with their job.
 */
export const exportsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('export_jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) =>
        c.notNull().references('projects.id').onDelete('cascade'),
      )
      // The principal's id, its kind and id as audit names it (user:<id>), and its label.
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('actor_label', 'text', (c) => c.notNull())
      // JSON: what was asked, with the range resolved when the job was created.
      .addColumn('source', 'text', (c) => c.notNull())
      // JSON: the creator's row-level scope on the project when the job was created.
      .addColumn('row_scope', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('rows_written', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rows_total', 'integer')
      .addColumn('bytes', 'integer')
      // Relative to the exports directory; null until the file is complete, and after expiry.
      .addColumn('file_path', 'text')
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('watermark', 'text', (c) => c.notNull())
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('started_at', 'integer')
      .addColumn('finished_at', 'integer')
      .addColumn('expires_at', 'integer', (c) => c.notNull())
      .execute();
    // The project's list, newest first.
    await db.schema
      .createIndex('export_jobs_project')
      .on('export_jobs')
      .columns(['project_id', 'created_at'])
      .execute();
    // Restart recovery and the retention sweep.
    await db.schema
      .createIndex('export_jobs_status')
      .on('export_jobs')
      .columns(['status', 'expires_at'])
      .execute();
    await db.schema
      .createTable('export_links')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('job_id', 'text', (c) =>
        c.notNull().references('export_jobs.id').onDelete('cascade'),
      )
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('expires_at', 'integer', (c) => c.notNull())
      .addColumn('download_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_download_at', 'integer')
      .execute();
    await db.schema.createIndex('export_links_job').on('export_links').column('job_id').execute();
  },
};

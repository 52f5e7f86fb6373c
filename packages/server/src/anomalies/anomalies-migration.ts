import type { Kysely, Migration } from 'kysely';

/**
 * Findings of the business anomaly detectors and their review state, in the metadata store; to be
 * registered in META_MIGRATIONS as 0009_anomalies. A finding is stored once per project and
 * dedup key; findings go with their project.
 */
export const anomaliesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('anomaly_findings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) =>
        c.notNull().references('projects.id').onDelete('cascade'),
      )
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('dedup_key', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('evidence', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('occurred_at', 'integer', (c) => c.notNull())
      .addColumn('detected_at', 'integer', (c) => c.notNull())
      .addColumn('last_seen_at', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().defaultTo('open'))
      .addColumn('reviewed_by', 'text')
      .addColumn('reviewed_at', 'integer')
      .addColumn('review_note', 'text')
      .execute();
    // Stored once: the detector's stable key within the project.
    await db.schema
      .createIndex('anomaly_findings_key')
      .on('anomaly_findings')
      .columns(['project_id', 'dedup_key'])
      .unique()
      .execute();
    // The review queue: by state or kind, newest first.
    await db.schema
      .createIndex('anomaly_findings_state')
      .on('anomaly_findings')
      .columns(['project_id', 'state', 'detected_at'])
      .execute();
    await db.schema
      .createIndex('anomaly_findings_kind')
      .on('anomaly_findings')
      .columns(['project_id', 'kind', 'detected_at'])
      .execute();
  },
};

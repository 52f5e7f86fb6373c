import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import type { MetaDatabase, MetaDb } from '../store/index.ts';
import { META_MIGRATIONS } from '../store/meta/meta-migrations.ts';
import { anomaliesMigration } from './anomalies-migration.ts';

/**
 * For tests: brings a metadata database up to every metadata migration and then 0009_anomalies
 * (only what has not run yet). Works before and after 0009 is registered in META_MIGRATIONS.
 */
export async function migrateWithAnomalies(db: MetaDb): Promise<MetaDb> {
  const migrations = { ...META_MIGRATIONS, '0009_anomalies': anomaliesMigration };
  const { error } = await new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
  }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
  return db;
}

/** For tests: a fresh in-memory metadata database (foreign keys on), fully migrated. */
export function openTestMetaDb(): Promise<MetaDb> {
  const sqlite = new Database(':memory:');
  sqlite.pragma('foreign_keys = ON');
  return migrateWithAnomalies(
    new Kysely<MetaDatabase>({ dialect: new SqliteDialect({ database: sqlite }) }),
  );
}

import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import type { MetaDatabase, MetaDb } from '../store/index.ts';
import { META_MIGRATIONS } from '../store/meta/meta-migrations.ts';
import { monitoringMigration } from './monitoring-migration.ts';

/**
 * For tests: a fresh in-memory metadata database set up as createMetaStore sets up its file
 * (foreign keys on), migrated with every metadata migration and then 0008_monitoring. Works
 * before and after 0008 is registered in META_MIGRATIONS.
 */
export async function openTestMetaDb(): Promise<MetaDb> {
  const sqlite = new Database(':memory:');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<MetaDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrations = { ...META_MIGRATIONS, '0008_monitoring': monitoringMigration };
  const { error } = await new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
  }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
  return db;
}

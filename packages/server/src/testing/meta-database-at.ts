import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import type { MetaDatabase, MetaDb } from '../store/index.ts';
import { META_MIGRATIONS } from '../store/meta/meta-migrations.ts';

/** A metadata file as a release with migrations up to `last` (inclusive) left it. */
export async function metaDatabaseAt(path: string, last: string): Promise<void> {
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(path) }) });
  const migrations = Object.fromEntries(
    Object.entries(META_MIGRATIONS).filter(([name]) => name <= last),
  );
  const { error } = await new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
  }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
  await db.destroy();
}

/** How many migrations a database at `last` still has to apply. */
export function migrationsAfter(last: string): number {
  return Object.keys(META_MIGRATIONS).filter((name) => name > last).length;
}

/** A fresh in-memory metadata database set up as createMetaStore sets up its file, migrated. */
export async function openTestMetaDb(): Promise<MetaDb> {
  const sqlite = new Database(':memory:');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<MetaDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  const { error } = await new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(META_MIGRATIONS) },
  }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
  return db;
}

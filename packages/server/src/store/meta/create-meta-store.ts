import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type MigrationProvider } from 'kysely';
import type { MetaDatabase } from './meta-schema.ts';
import { META_MIGRATIONS } from './meta-migrations.ts';

export type MetaDb = Kysely<MetaDatabase>;

export interface MetaStore {
  readonly db: MetaDb;
  /** Applies pending migrations; returns how many ran. */
  migrate(): Promise<number>;
  close(): Promise<void>;
}

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(META_MIGRATIONS) };

/**
 * MetaStore on an embedded SQLite file (WAL mode), so the CLI can create projects and tokens
 * while a server runs on the same data directory.
 */
export function createMetaStore(path: string): MetaStore {
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<MetaDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    async migrate() {
      const migrator = new Migrator({ db, provider });
      const { error, results } = await migrator.migrateToLatest();
      if (error instanceof Error) throw error;
      if (error) throw new Error(`meta store migration failed: ${JSON.stringify(error)}`);
      return results?.filter((r) => r.status === 'Success').length ?? 0;
    },
    close: () => db.destroy(),
  };
}

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetaStore } from '../store/index.ts';
import { metaDatabaseAt, migrationsAfter } from '../testing/meta-database-at.ts';
import { createTempDir } from '../testing/temp-dir.ts';

describe('meta migration 0005 (insights and dashboards)', () => {
  let dir: ReturnType<typeof createTempDir> | null = null;
  afterEach(() => {
    dir?.remove();
    dir = null;
  });

  it('applies on a database of the previous release and keeps its rows', async () => {
    dir = createTempDir('sightline-meta-');
    const path = join(dir.path, 'meta.sqlite');
    await metaDatabaseAt(path, '0004_sdk_config');
    const before = new Database(path);
    before
      .prepare(
        `INSERT INTO projects (id, name, time_zone, retention_days, created_at) VALUES (?, ?, ?, ?, ?)`,
      )
      .run('shop', 'Shop', 'Asia/Shanghai', 180, 1);
    const tables = () =>
      (
        before
          .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
          .all() as Array<{ name: string }>
      ).map((row) => row.name);
    expect(tables()).not.toContain('insights');
    before.close();

    const store = createMetaStore(path);
    try {
      expect(await store.migrate()).toBe(migrationsAfter('0004_sdk_config'));
      expect(await store.migrate()).toBe(0);
      await store.db
        .insertInto('insights')
        .values({
          id: 'ins_1',
          project_id: 'shop',
          name: 'GMV',
          kind: 'trends',
          params: '{"series":[{"metric":"gmv"}]}',
          filters: '{}',
          owner: 'user:u1',
          created_at: 2,
          updated_at: 2,
        })
        .execute();
      await store.db
        .insertInto('dashboards')
        .values({
          id: 'dsh_1',
          project_id: 'shop',
          name: 'Board',
          owner: 'user:u1',
          layout: '[{"insightId":"ins_1","width":2}]',
          shared: 0,
          created_at: 2,
          updated_at: 2,
        })
        .execute();
      const project = await store.db.selectFrom('projects').selectAll().executeTakeFirst();
      expect(project).toMatchObject({ id: 'shop', sdk_config: '{}' });
      // Defaults of the new columns, and deleting the project takes its insights and boards.
      await store.db
        .insertInto('dashboards')
        .values({
          id: 'dsh_2',
          project_id: 'shop',
          name: 'Defaults',
          owner: 'user:u1',
          created_at: 3,
          updated_at: 3,
        } as never)
        .execute();
      const defaults = await store.db
        .selectFrom('dashboards')
        .select(['layout', 'shared'])
        .where('id', '=', 'dsh_2')
        .executeTakeFirst();
      expect(defaults).toEqual({ layout: '[]', shared: 0 });
      await store.db.deleteFrom('projects').where('id', '=', 'shop').execute();
      expect(await store.db.selectFrom('insights').selectAll().execute()).toEqual([]);
      expect(await store.db.selectFrom('dashboards').selectAll().execute()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

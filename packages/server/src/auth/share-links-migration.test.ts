import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetaStore } from '../store/index.ts';
import { metaDatabaseAt, migrationsAfter } from '../testing/meta-database-at.ts';
import { createTempDir } from '../testing/temp-dir.ts';

describe('meta migration 0006 (share links)', () => {
  let dir: ReturnType<typeof createTempDir> | null = null;
  afterEach(() => {
    dir?.remove();
    dir = null;
  });

  it('applies on a database of the previous release; links go with their project or user', async () => {
    dir = createTempDir('sightline-meta-');
    const path = join(dir.path, 'meta.sqlite');
    await metaDatabaseAt(path, '0005_insights_dashboards');
    const before = new Database(path);
    before
      .prepare(
        `INSERT INTO projects (id, name, time_zone, retention_days, created_at) VALUES (?, ?, ?, ?, ?)`,
      )
      .run('shop', 'Shop', 'Asia/Shanghai', 180, 1);
    before
      .prepare(
        `INSERT INTO users (id, email, name, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run('u1', 'ana@shop.test', 'ana', 'x', 'analyst', 1);
    before.close();

    const store = createMetaStore(path);
    try {
      expect(await store.migrate()).toBe(migrationsAfter('0005_insights_dashboards'));
      const link = (id: string, tokenHash: string) => ({
        id,
        token_hash: tokenHash,
        project_id: 'shop',
        path: '/p/shop/overview',
        label: 'overview',
        created_by: 'u1',
        created_at: 2,
        expires_at: 3,
      });
      await store.db
        .insertInto('share_links')
        .values(link('sh_1', 'h1') as never)
        .execute();
      expect(await store.db.selectFrom('share_links').selectAll().execute()).toEqual([
        { ...link('sh_1', 'h1'), revoked_at: null, last_opened_at: null, open_count: 0 },
      ]);
      // One token, one link.
      await expect(
        store.db
          .insertInto('share_links')
          .values(link('sh_2', 'h1') as never)
          .execute(),
      ).rejects.toThrow(/UNIQUE/);
      await store.db.deleteFrom('users').where('id', '=', 'u1').execute();
      expect(await store.db.selectFrom('share_links').selectAll().execute()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

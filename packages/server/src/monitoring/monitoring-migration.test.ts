import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetaDb } from '../store/index.ts';
import type { MonitoringTables } from './monitoring-schema.ts';
import { openTestMetaDb } from '../testing/meta-database-at.ts';

describe('meta migration 0008_monitoring', () => {
  let meta: MetaDb;
  beforeEach(async () => {
    meta = await openTestMetaDb();
  });
  afterEach(() => meta.destroy());

  it('creates the tables and indexes after the existing migrations', async () => {
    const { rows } = await sql<{ type: string; name: string }>`
      SELECT type, name FROM sqlite_master
      WHERE name LIKE 'monitor%' AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name`.execute(meta);
    expect(rows).toEqual([
      { type: 'table', name: 'monitor_checks' },
      { type: 'index', name: 'monitor_checks_target_time' },
      { type: 'index', name: 'monitor_checks_time' },
      { type: 'table', name: 'monitor_targets' },
    ]);
    const migrations = await sql<{ name: string }>`
      SELECT name FROM kysely_migration WHERE name >= '0007' ORDER BY name`.execute(meta);
    expect(migrations.rows.map((row) => row.name)).toEqual([
      '0007_alerts',
      '0008_monitoring',
      '0009_anomalies',
      '0010_reports',
      '0011_exports',
    ]);
  });

  it('keeps names unique, applies defaults and deletes checks with their target', async () => {
    const db = meta.withTables<MonitoringTables>();
    const target = (id: string, name: string) => ({
      id,
      name,
      kind: 'tcp',
      config: '{"host":"db","port":5432}',
      interval_sec: 60,
      created_by: 'user:u1',
      created_at: 1,
      updated_at: 1,
    });
    await db
      .insertInto('monitor_targets')
      .values(target('mon_1', 'db') as never)
      .execute();
    await expect(
      db
        .insertInto('monitor_targets')
        .values(target('mon_2', 'db') as never)
        .execute(),
    ).rejects.toThrow(/UNIQUE/);
    await db
      .insertInto('monitor_checks')
      .values({ target_id: 'mon_1', checked_at: 2, status: 'up', latency_ms: 3 } as never)
      .execute();
    expect(await db.selectFrom('monitor_targets').selectAll().execute()).toEqual([
      {
        ...target('mon_1', 'db'),
        enabled: 1,
        last_checked_at: null,
        last_status: null,
        last_latency_ms: null,
        last_error: null,
      },
    ]);
    expect(await db.selectFrom('monitor_checks').selectAll().execute()).toEqual([
      {
        id: 1,
        target_id: 'mon_1',
        checked_at: 2,
        status: 'up',
        latency_ms: 3,
        error: null,
        detail: '{}',
      },
    ]);
    await db.deleteFrom('monitor_targets').where('id', '=', 'mon_1').execute();
    expect(await db.selectFrom('monitor_checks').selectAll().execute()).toEqual([]);
  });
});

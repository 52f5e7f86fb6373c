import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempDir } from '../../testing/temp-dir.ts';
import { createDuckDbEventStore } from './duckdb-event-store.ts';
import { DUCKDB_MIGRATIONS } from './duckdb-migrations.ts';

/** A database file as a release with migrations up to `version` left it. */
async function databaseAt(path: string, version: number, statements: string[]): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  await connection.run(`SET TimeZone = 'UTC'`);
  await connection.run(
    `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
  );
  for (const migration of DUCKDB_MIGRATIONS.filter((m) => m.version <= version)) {
    for (const statement of migration.statements) await connection.run(statement);
    await connection.run('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
      migration.version,
      migration.name,
    ]);
  }
  for (const statement of statements) await connection.run(statement);
  connection.closeSync();
  instance.closeSync();
}

const event = (id: number, time: string, user: string, channel: string | null, bot = false) =>
  `INSERT INTO events (event_id, project_id, event_time, received_at, type, name, user_id,
    channel, platform, is_bot, props, commit_seq) VALUES (uuid(), 'p1', '${time}', '${time}',
    'page', 'page_view', '${user}', ${channel === null ? 'NULL' : `'${channel}'`}, 'web', ${bot},
    '{}', ${id})`;

describe('DuckDB migrations', () => {
  let dir: ReturnType<typeof createTempDir> | null = null;
  afterEach(() => {
    dir?.remove();
    dir = null;
  });

  it('4 rebuilds active people with their dimensions and keeps quarters whose events expired', async () => {
    dir = createTempDir('sightline-migrate-');
    const path = join(dir.path, 'events.duckdb');
    await databaseAt(path, 3, [
      event(1, '2026-11-20T10:03:00Z', 'u1', 'wechat'),
      event(2, '2026-11-20T10:07:00Z', 'u1', 'douyin'),
      event(3, '2026-11-20T11:00:00Z', 'u2', null),
      event(4, '2026-11-20T11:00:00Z', 'bot', 'wechat', true),
      // Rollup rows as migration 3 kept them: one for a quarter whose events were deleted.
      `INSERT INTO rollup_active_people VALUES
        ('p1', '2026-10-01T08:00:00Z', 'u9', '', ''),
        ('p1', '2026-11-20T10:00:00Z', 'u1', '', ''),
        ('p1', '2026-11-20T11:00:00Z', 'u2', '', '')`,
    ]);
    const store = await createDuckDbEventStore({ path });
    try {
      expect(await store.migrate()).toBe(DUCKDB_MIGRATIONS.length - 3);
      const rows = await store.query(
        `SELECT epoch_ms(quarter) AS quarter, user_id, channel, platform FROM rollup_active_people
         ORDER BY quarter, user_id, channel`,
      );
      expect(rows).toEqual([
        // Expired: kept, without dimensions.
        { quarter: Date.parse('2026-10-01T08:00:00Z'), user_id: 'u9', channel: '', platform: '' },
        // Rebuilt from the events: one row per channel u1 used in the quarter; no bot.
        {
          quarter: Date.parse('2026-11-20T10:00:00Z'),
          user_id: 'u1',
          channel: 'douyin',
          platform: 'web',
        },
        {
          quarter: Date.parse('2026-11-20T10:00:00Z'),
          user_id: 'u1',
          channel: 'wechat',
          platform: 'web',
        },
        {
          quarter: Date.parse('2026-11-20T11:00:00Z'),
          user_id: 'u2',
          channel: '',
          platform: 'web',
        },
      ]);
      const tables = await store.query(
        `SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'rollup_active_people%'`,
      );
      expect(tables).toEqual([{ table_name: 'rollup_active_people' }]);
    } finally {
      await store.close();
    }
  });

  it('5 fills the first event of each id tuple from the events, bots left out', async () => {
    dir = createTempDir('sightline-migrate-');
    const path = join(dir.path, 'events.duckdb');
    await databaseAt(path, 4, [
      event(1, '2026-11-20T10:07:00Z', 'u1', 'douyin'),
      event(2, '2026-11-20T10:03:00Z', 'u1', 'wechat'),
      event(3, '2026-11-20T11:00:00Z', 'u2', null),
      event(4, '2026-11-19T11:00:00Z', 'bot', 'wechat', true),
    ]);
    const store = await createDuckDbEventStore({ path });
    try {
      expect(await store.migrate()).toBe(DUCKDB_MIGRATIONS.length - 4);
      expect(
        await store.query(
          `SELECT user_id, epoch_ms(event_time) AS at, channel FROM rollup_first_events ORDER BY ALL`,
        ),
      ).toEqual([
        { user_id: 'u1', at: Date.parse('2026-11-20T10:03:00Z'), channel: 'wechat' },
        { user_id: 'u2', at: Date.parse('2026-11-20T11:00:00Z'), channel: '' },
      ]);
    } finally {
      await store.close();
    }
  });

  it('6 fills page viewers per quarter hour from page views, bots left out', async () => {
    dir = createTempDir('sightline-migrate-');
    const path = join(dir.path, 'events.duckdb');
    await databaseAt(path, 5, [
      event(1, '2026-11-20T10:03:00Z', 'u1', 'wechat'),
      event(2, '2026-11-20T10:07:00Z', 'u1', 'wechat'),
      event(3, '2026-11-20T10:20:00Z', 'u1', 'wechat'),
      event(4, '2026-11-20T11:00:00Z', 'bot', 'wechat', true),
      `UPDATE events SET name = 'login' WHERE commit_seq = 3`,
    ]);
    const store = await createDuckDbEventStore({ path });
    try {
      expect(await store.migrate()).toBe(DUCKDB_MIGRATIONS.length - 5);
      expect(
        await store.query(
          `SELECT user_id, epoch_ms(quarter) AS quarter, channel FROM rollup_page_viewers ORDER BY ALL`,
        ),
      ).toEqual([
        { user_id: 'u1', quarter: Date.parse('2026-11-20T10:00:00Z'), channel: 'wechat' },
      ]);
    } finally {
      await store.close();
    }
  });

  it('7 gives people rollup rows the user they are or are linked to', async () => {
    dir = createTempDir('sightline-migrate-');
    const path = join(dir.path, 'events.duckdb');
    const row = (table: string, user: string, anonymous: string) =>
      `INSERT INTO ${table} VALUES ('p1', '2026-11-20T10:00:00Z', '${user}', '${anonymous}', '',
        '', '', '', '', '', '', '')`;
    await databaseAt(path, 6, [
      `INSERT INTO identities VALUES ('p1', 'a1', 'u1', '2026-11-20T10:00:00Z')`,
      ...['rollup_active_people', 'rollup_page_viewers'].flatMap((table) => [
        row(table, 'u2', ''),
        row(table, '', 'a1'), // linked to u1
        row(table, 'u3', 'a1'), // identified as someone else on a linked device
        row(table, '', 'a2'), // never linked
      ]),
    ]);
    const store = await createDuckDbEventStore({ path });
    try {
      expect(await store.migrate()).toBe(DUCKDB_MIGRATIONS.length - 6);
      for (const table of ['rollup_active_people', 'rollup_page_viewers'])
        expect(
          await store.query(
            `SELECT user_id, anonymous_id, person_user_id FROM ${table} ORDER BY ALL`,
          ),
        ).toEqual([
          { user_id: '', anonymous_id: 'a1', person_user_id: 'u1' },
          { user_id: '', anonymous_id: 'a2', person_user_id: '' },
          { user_id: 'u2', anonymous_id: '', person_user_id: 'u2' },
          { user_id: 'u3', anonymous_id: 'a1', person_user_id: 'u3' },
        ]);
    } finally {
      await store.close();
    }
  });

  it('8 lists the tasks each minute finished with their status, bots and events without a task id left out', async () => {
    dir = createTempDir('sightline-migrate-');
    const path = join(dir.path, 'events.duckdb');
    const task = (id: number, time: string, props: string, name = 'task_completed', bot = false) =>
      `${event(id, time, 'u1', null, bot)};
      UPDATE events SET name = '${name}', props = '${props}' WHERE commit_seq = ${id}`;
    await databaseAt(path, 7, [
      ...task(1, '2026-11-20T10:03:10Z', '{"task_id":"t1","status":"failed"}').split(';'),
      ...task(2, '2026-11-20T10:03:50Z', '{"task_id":"t1","status":"failed"}').split(';'),
      ...task(3, '2026-11-20T10:04:00Z', '{"task_id":"t1","status":"success"}').split(';'),
      ...task(4, '2026-11-20T10:05:00Z', '{"task_id":7}').split(';'),
      ...task(5, '2026-11-20T10:06:00Z', '{"status":"success"}').split(';'),
      ...task(6, '2026-11-20T10:07:00Z', '{"task_id":"t2"}', 'task_submitted').split(';'),
      ...task(7, '2026-11-20T10:08:00Z', '{"task_id":"t3"}', 'task_completed', true).split(';'),
    ]);
    const store = await createDuckDbEventStore({ path });
    try {
      expect(await store.migrate()).toBe(DUCKDB_MIGRATIONS.length - 7);
      expect(
        await store.query(
          `SELECT epoch_ms(minute) AS minute, task_id, status FROM rollup_tasks ORDER BY ALL`,
        ),
      ).toEqual([
        { minute: Date.parse('2026-11-20T10:03:00Z'), task_id: 't1', status: 'failed' },
        { minute: Date.parse('2026-11-20T10:04:00Z'), task_id: 't1', status: 'success' },
        { minute: Date.parse('2026-11-20T10:05:00Z'), task_id: '7', status: null },
      ]);
    } finally {
      await store.close();
    }
  });
});

import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetaDb } from '../store/index.ts';
import { openTestMetaDb } from '../testing/meta-database-at.ts';
import type { ExportJobsTable, ExportTables } from './export-schema.ts';

const job = (id: string): ExportJobsTable => ({
  id,
  project_id: 'p1',
  created_by: 'u1',
  actor: 'user:u1',
  actor_label: 'ana@shop.test',
  source: '{}',
  row_scope: '[]',
  format: 'csv',
  status: 'done',
  rows_written: 0,
  rows_total: null,
  bytes: null,
  file_path: null,
  file_name: 'x.csv',
  watermark: 'w',
  error_code: null,
  error_message: null,
  created_at: 1,
  started_at: null,
  finished_at: null,
  expires_at: 2,
});

describe('meta migration 0011_exports', () => {
  let meta: MetaDb;
  beforeEach(async () => {
    meta = await openTestMetaDb();
  });
  afterEach(() => meta.destroy());

  it('creates the tables and indexes', async () => {
    const { rows } = await sql<{ type: string; name: string }>`
      SELECT type, name FROM sqlite_master
      WHERE name LIKE 'export%' AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name`.execute(meta);
    expect(rows).toEqual([
      { type: 'table', name: 'export_jobs' },
      { type: 'index', name: 'export_jobs_project' },
      { type: 'index', name: 'export_jobs_status' },
      { type: 'table', name: 'export_links' },
      { type: 'index', name: 'export_links_job' },
    ]);
  });

  it('deletes links with their job and jobs with their project; token hashes are unique', async () => {
    const db = meta.withTables<ExportTables>();
    await db
      .insertInto('projects')
      .values({ id: 'p1', name: 'P', time_zone: 'UTC', retention_days: 30, created_at: 1 } as never)
      .execute();
    await db
      .insertInto('export_jobs')
      .values([job('exp_1'), job('exp_2')])
      .execute();
    const link = (id: string, jobId: string, hash: string) => ({
      id,
      token_hash: hash,
      job_id: jobId,
      created_by: 'user:u1',
      created_at: 1,
      expires_at: 2,
      download_count: 0,
      last_download_at: null,
    });
    await db
      .insertInto('export_links')
      .values([link('exl_1', 'exp_1', 'h1'), link('exl_2', 'exp_2', 'h2')])
      .execute();
    await expect(
      db
        .insertInto('export_links')
        .values(link('exl_3', 'exp_2', 'h1'))
        .execute(),
    ).rejects.toThrow(/UNIQUE/);
    await db.deleteFrom('export_jobs').where('id', '=', 'exp_1').execute();
    expect(await db.selectFrom('export_links').select('id').execute()).toEqual([{ id: 'exl_2' }]);
    await db.deleteFrom('projects').where('id', '=', 'p1').execute();
    expect(await db.selectFrom('export_jobs').select('id').execute()).toEqual([]);
    expect(await db.selectFrom('export_links').select('id').execute()).toEqual([]);
  });
});

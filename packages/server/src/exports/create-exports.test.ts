import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog, type AuditLog } from '../audit/index.ts';
import { createAuthService, type Principal } from '../auth/index.ts';
import { createFakeClock } from '../platform/index.ts';
import { createProjectService } from '../projects/index.ts';
import { createQueryCache } from '../queries/index.ts';
import type { MetaDb } from '../store/index.ts';
import { makeEventRow } from '../testing/event-row-fixture.ts';
import { openTestMetaDb } from '../testing/meta-database-at.ts';
import { createQueryFixture, type QueryFixture } from '../testing/query-fixture.ts';
import { createTempDir } from '../testing/temp-dir.ts';
import { createExports, type CreateExportsOptions, type Exports } from './create-exports.ts';
import type { CreateExportInput } from './export-schema.ts';

const T0 = Date.parse('2026-11-21T04:00:00Z'); // local (Shanghai) 2026-11-21 12:00
const T1 = Date.parse('2026-11-20T01:00:00Z');
const T2 = Date.parse('2026-11-20T02:00:00Z');
const HOUR_MS = 3_600_000;
const idOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** 30 events: 16 at T1 exactly, 9 at T2 exactly, 5 a second apart after T2; ids against time. */
const EVENTS = Array.from({ length: 30 }, (_, i) =>
  makeEventRow({
    eventId: idOf(100 - i),
    eventTime: i < 16 ? T1 : i < 25 ? T2 : T2 + (i - 24) * 1000,
    name: i % 5 === 0 ? '=cmd|calc' : `name, "${i}"`,
    channel: i % 2 === 0 ? 'wechat' : 'douyin',
    page: `/p/${i}#top`,
    props: JSON.stringify({ i }),
  }),
);
const local = (ms: number) => `${new Date(ms + 8 * HOUR_MS).toISOString().slice(0, 23)}+08:00`;
/** What each event exports as, in key order (time, then id text ascending). */
const EXPECTED = [...EVENTS]
  .sort((a, b) => a.eventTime - b.eventTime || a.eventId.localeCompare(b.eventId))
  .map((e) => [local(e.eventTime), e.eventId, e.name, e.channel, e.page, e.props]);
const COLUMNS = ['event_time', 'event_id', 'name', 'channel', 'page', 'props'];
const ROWS_EXPORT: CreateExportInput = {
  format: 'csv',
  source: {
    kind: 'rows',
    source: 'events',
    from: '2026-11-20',
    to: '2026-11-20',
    columns: COLUMNS,
  },
};

/** A CSV cell as a spreadsheet reads it back: the formula guard adds a leading quote. */
const guarded = (cell: unknown) =>
  typeof cell === 'string' && /^[=+\-@]/.test(cell) ? `'${cell}` : cell;

describe('createExports', () => {
  const clock = createFakeClock(T0);
  let f: QueryFixture;
  let db: MetaDb;
  let audit: AuditLog;
  let admin: Principal;
  let dir: { path: string; remove: () => void };
  let exports: Exports;

  const open = (overrides: Partial<CreateExportsOptions> = {}) =>
    createExports({
      db,
      store: f.store,
      clock,
      logger: { error: () => undefined },
      audit,
      projects: createProjectService({ db, audit, clock, masterSecret: 'x'.repeat(32) }),
      dir: dir.path,
      queryCache: createQueryCache({ store: f.store }),
      pageSize: 7,
      sweepIntervalMs: 0,
      ...overrides,
    });

  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load({ events: EVENTS });
    db = await openTestMetaDb();
    audit = createAuditLog(db, clock);
    await createProjectService({ db, audit, clock, masterSecret: 'x'.repeat(32) }).create(
      { id: 'p_test', name: 'Test shop', timeZone: 'Asia/Shanghai', retentionDays: 180 },
      'test',
    );
    const auth = createAuthService({ db, audit, clock, sessionTtlHours: 24 });
    const { token } = await auth.createToken({ name: 'ops', role: 'admin' }, 'test');
    admin = (await auth.authenticate({ authorization: `Bearer ${token}` })) as Principal;
  });
  afterAll(async () => {
    await db.destroy();
    await f.close();
  });
  beforeEach(() => {
    clock.set(T0);
    dir = createTempDir('sightline-exports-');
  });
  afterEach(async () => {
    await exports.stop();
    dir.remove();
  });

  it('streams every row once across pages of 7, with equal timestamps at the page edges', async () => {
    exports = open();
    await exports.start();
    const job = await exports.create(admin, 'p_test', ROWS_EXPORT);
    expect(job).toMatchObject({ status: 'queued', format: 'csv' });
    await exports.settled();
    const done = await exports.get(admin, 'p_test', job.id);
    expect(done).toMatchObject({
      status: 'done',
      progress: { rowsWritten: 30, rowsTotal: 30, fraction: 1 },
      error: null,
      fileName: 'p_test-events-2026-11-20.csv',
      expiresAt: T0 + 72 * HOUR_MS,
    });
    const file = await exports.openFile(admin, 'p_test', job.id);
    const text = readFileSync(file.path, 'utf8');
    expect(file.bytes).toBe(Buffer.byteLength(text));
    expect(done.bytes).toBe(file.bytes);
    const [watermark] = text.split('\r\n');
    expect(watermark).toBe(
      '\uFEFF# Sightline export · Test shop (p_test) · ops (token:' +
        `${admin.id}) · 2026-11-21T04:00:00.000Z · events rows 2026-11-19T16:00:00.000Z … ` +
        '2026-11-20T16:00:00.000Z (Asia/Shanghai)',
    );
    const rows: string[][] = parse(text, { bom: true, comment: '#', comment_no_infix: true });
    expect(rows[0]).toEqual(COLUMNS);
    expect(rows.slice(1)).toEqual(EXPECTED.map((row) => row.map(guarded)));
    expect(readdirSync(dir.path)).toEqual([`${job.id}.csv`]);
  });

  it('splits XLSX sheets and writes the watermark into properties, headers and an About sheet', async () => {
    exports = open({ rowsPerSheet: 12 });
    await exports.start();
    const job = await exports.create(admin, 'p_test', { ...ROWS_EXPORT, format: 'xlsx' });
    await exports.settled();
    const file = await exports.openFile(admin, 'p_test', job.id);
    expect(file.fileName).toBe('p_test-events-2026-11-20.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file.path);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual([
      'Data',
      'Data 2',
      'Data 3',
      'About',
    ]);
    const data = book.worksheets.slice(0, 3).map((sheet) => {
      const values = sheet.getSheetValues().slice(1) as unknown[][];
      return values.map((row) => row.slice(1).map((cell) => cell ?? null));
    });
    expect(data.map((sheet) => sheet[0])).toEqual([COLUMNS, COLUMNS, COLUMNS]);
    expect(data.map((sheet) => sheet.length - 1)).toEqual([12, 12, 6]);
    // Strings stay strings in XLSX: no quote is added, and no cell is a formula.
    expect(data.flatMap((sheet) => sheet.slice(1))).toEqual(EXPECTED);
    const about = Object.fromEntries(
      (book.getWorksheet('About')?.getSheetValues().slice(1) as unknown[][]).map((row) => [
        row[1],
        row[2],
      ]),
    );
    expect(about).toMatchObject({
      'Exported by': `ops (token:${admin.id})`,
      'Exported at': '2026-11-21T04:00:00.000Z',
      Project: 'Test shop (p_test)',
      Rows: '30',
      'Row scope': 'none',
      Watermark: job.watermark,
    });
    expect(book.creator).toBe('Sightline');
    expect(book.lastModifiedBy).toBe('ops');
    expect(book.description).toBe(job.watermark);
    expect(book.getWorksheet('Data')?.headerFooter.oddHeader).toBe(`&L${job.watermark}`);
  });

  it('fails jobs a previous process left queued or running, and removes their partial files', async () => {
    const previous = open();
    const queued = await previous.create(admin, 'p_test', ROWS_EXPORT);
    const running = await previous.create(admin, 'p_test', ROWS_EXPORT);
    await db
      .withTables<{ export_jobs: { id: string; status: string } }>()
      .updateTable('export_jobs')
      .set({ status: 'running' })
      .where('id', '=', running.id)
      .execute();
    writeFileSync(join(dir.path, `${running.id}.csv.part`), 'half a file');
    clock.advance(60_000);
    exports = open();
    await exports.start();
    await exports.settled();
    expect(await exports.get(admin, 'p_test', queued.id)).toMatchObject({
      status: 'failed',
      finishedAt: T0 + 60_000,
      error: {
        code: 'ERR_EXPORT_INTERRUPTED',
        message: 'The server stopped while this export was queued',
      },
    });
    expect((await exports.get(admin, 'p_test', running.id)).error).toEqual({
      code: 'ERR_EXPORT_INTERRUPTED',
      message: 'The server stopped while this export was running',
    });
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it('stops cleanly: the running and queued jobs end interrupted, no file is left', async () => {
    exports = open({ pageSize: 1 });
    await exports.start();
    const first = await exports.create(admin, 'p_test', ROWS_EXPORT);
    const second = await exports.create(admin, 'p_test', ROWS_EXPORT);
    await exports.stop();
    for (const id of [first.id, second.id])
      expect(await exports.get(admin, 'p_test', id)).toMatchObject({
        status: 'failed',
        error: { code: 'ERR_EXPORT_INTERRUPTED' },
      });
    expect(readdirSync(dir.path)).toEqual([]);
    await expect(exports.create(admin, 'p_test', ROWS_EXPORT)).rejects.toMatchObject({
      code: 'ERR_SERVER_SHUTTING_DOWN',
    });
  });

  it('cancels a queued job, refuses to cancel twice, and caps the queue', async () => {
    exports = open({ maxQueuedPerProject: 2 });
    const a = await exports.create(admin, 'p_test', ROWS_EXPORT);
    await exports.create(admin, 'p_test', ROWS_EXPORT);
    await expect(exports.create(admin, 'p_test', ROWS_EXPORT)).rejects.toMatchObject({
      code: 'ERR_EXPORT_QUEUE_FULL',
      status: 429,
      retryAfterSec: 30,
      message: '2 exports are already waiting in this project; retry after 30 s',
    });
    expect(await exports.cancel(admin, 'p_test', a.id)).toMatchObject({
      status: 'canceled',
      error: null,
    });
    await expect(exports.cancel(admin, 'p_test', a.id)).rejects.toMatchObject({
      code: 'ERR_EXPORT_NOT_CANCELABLE',
      status: 409,
    });
    // The canceled job left the queue: there is room again.
    const c = await exports.create(admin, 'p_test', ROWS_EXPORT);
    await exports.start();
    await exports.settled();
    expect((await exports.get(admin, 'p_test', c.id)).status).toBe('done');
    expect((await exports.get(admin, 'p_test', a.id)).status).toBe('canceled');
    await expect(exports.openFile(admin, 'p_test', a.id)).rejects.toMatchObject({
      code: 'ERR_EXPORT_NOT_READY',
    });
  });

  it('cancels a running job: the partial file goes', async () => {
    exports = open({ pageSize: 1 });
    await exports.start();
    const job = await exports.create(admin, 'p_test', { ...ROWS_EXPORT, format: 'xlsx' });
    const canceled = await exports.cancel(admin, 'p_test', job.id);
    expect(canceled.status).toBe('canceled');
    await exports.settled();
    expect((await exports.get(admin, 'p_test', job.id)).status).toBe('canceled');
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it('sweeps files past their retention, and files no job owns', async () => {
    exports = open({ retentionHours: 2 });
    await exports.start();
    const job = await exports.create(admin, 'p_test', ROWS_EXPORT);
    await exports.settled();
    const path = join(dir.path, `${job.id}.csv`);
    writeFileSync(join(dir.path, 'exp_gone.csv'), 'left by a crash');
    expect(await exports.sweep()).toEqual({ expired: 0, orphans: 1 });
    expect(readdirSync(dir.path)).toEqual([`${job.id}.csv`]);
    clock.advance(2 * HOUR_MS);
    await expect(exports.openFile(admin, 'p_test', job.id)).rejects.toMatchObject({
      code: 'ERR_EXPORT_EXPIRED',
      status: 410,
    });
    expect(await exports.sweep()).toEqual({ expired: 1, orphans: 0 });
    expect(existsSync(path)).toBe(false);
    expect(await exports.get(admin, 'p_test', job.id)).toMatchObject({
      status: 'expired',
      bytes: expect.any(Number),
    });
    expect(await exports.sweep()).toEqual({ expired: 0, orphans: 0 });
  });

  it('refuses an export beyond the row cap, and a bad request before queueing it', async () => {
    exports = open({ maxRows: 29 });
    await exports.start();
    const job = await exports.create(admin, 'p_test', ROWS_EXPORT);
    await exports.settled();
    expect((await exports.get(admin, 'p_test', job.id)).error).toEqual({
      code: 'ERR_EXPORT_TOO_LARGE',
      message: 'The export would have 30 rows; at most 29',
    });
    const listed = (await exports.list(admin, 'p_test')).length;
    const bad = { ...ROWS_EXPORT, source: { ...ROWS_EXPORT.source, columns: ['ip_hash'] } };
    await expect(exports.create(admin, 'p_test', bad)).rejects.toMatchObject({
      code: 'ERR_QUERY_INVALID',
    });
    expect((await exports.list(admin, 'p_test')).length).toBe(listed);
  });
});

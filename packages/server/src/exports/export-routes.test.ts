import { join } from 'node:path';
import cookie from '@fastify/cookie';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterEach, describe, expect, it } from 'vitest';
import { registerAuthorization } from '../auth/index.ts';
import { registerErrorHandling } from '../http/error-handler.ts';
import { createFakeClock } from '../platform/index.ts';
import { createWriteBatch } from '../store/index.ts';
import { makeEventRow } from '../testing/event-row-fixture.ts';
import { makeOrderRow } from '../testing/order-row-fixture.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createExports, type CreateExportsOptions, type Exports } from './create-exports.ts';
import { registerExportRoutes } from './export-routes.ts';

// The test project is in Asia/Shanghai: local 2026-11-20 is 2026-11-19T16:00Z … 11-20T16:00Z.
const NOW = Date.parse('2026-11-21T04:00:00Z');
const HOUR_MS = 3_600_000;
const T1 = Date.parse('2026-11-20T01:00:00Z');
const idOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const WECHAT = [{ dimension: 'channel', op: 'eq', value: 'wechat' }];
const EVENTS_EXPORT = {
  format: 'csv',
  source: {
    kind: 'rows',
    source: 'events',
    from: '2026-11-20',
    to: '2026-11-20',
    columns: ['event_time', 'event_id', 'user_id', 'channel'],
  },
};

describe('export routes', () => {
  const clock = createFakeClock(NOW);
  let t: TestApp;
  let exports: Exports;
  /** The export routes over an export service with test settings, on the real app's services. */
  let routes: FastifyInstance;

  /**
   * A real app (its own export service wired in) with 20 events (all at one instant) and 3
   * orders; the routes under test run on a second Fastify with the real error handler and
   * authorization, over an export service with small pages and queue limits.
   */
  async function setup(options: Partial<CreateExportsOptions> & { start?: boolean } = {}) {
    clock.set(NOW);
    t = await createTestApp({ clock });
    const { services } = t.app;
    const projectId = t.project.id;
    await services.eventStore.commit(
      createWriteBatch({
        events: Array.from({ length: 20 }, (_, i) =>
          makeEventRow({
            projectId,
            eventId: idOf(50 - i),
            eventTime: T1,
            userId: `u${i}`,
            channel: i % 4 === 0 ? 'wechat' : 'douyin',
          }),
        ),
        orders: [
          makeOrderRow({
            projectId,
            orderId: 'o1',
            paidAt: T1,
            payAmount: 1_290,
            channel: 'wechat',
          }),
          makeOrderRow({ projectId, orderId: 'o2', paidAt: T1, payAmount: 500, channel: 'douyin' }),
          makeOrderRow({ projectId, orderId: 'o3', paidAt: T1 + HOUR_MS, payAmount: 7 }),
        ],
      }),
    );
    exports = createExports({
      db: services.metaStore.db,
      store: services.eventStore,
      clock,
      logger: services.logger,
      audit: services.audit,
      projects: services.projects,
      dir: join(t.config.dataDir, 'exports-under-test'),
      queryCache: services.queryCache,
      pageSize: 7,
      sweepIntervalMs: 0,
      ...options,
    });
    if (options.start !== false) await exports.start();
    routes = Fastify();
    routes.setValidatorCompiler(validatorCompiler);
    routes.setSerializerCompiler(serializerCompiler);
    registerErrorHandling(routes);
    await routes.register(cookie);
    registerAuthorization(routes, services.auth);
    registerExportRoutes(routes, { exports, clock });
  }
  afterEach(async () => {
    await routes.close();
    await exports.stop();
    await t.close();
  });

  const auth = (who: string) =>
    who.startsWith('sls_')
      ? { cookies: { sl_session: who } }
      : who
        ? { headers: { authorization: `Bearer ${who}` } }
        : {};
  const call = (method: 'GET' | 'POST' | 'DELETE', path: string, who: string, body?: unknown) =>
    (/^\/api\/v1\/(users|auth)/.test(path) ? t.app.fastify : routes).inject({
      method,
      url: path.startsWith('/api') ? path : `/api/v1/projects/${t.project.id}/exports${path}`,
      ...auth(who),
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });

  async function createUser(email: string, role: string, rowScope: unknown[] = []) {
    const created = await call('POST', '/api/v1/users', t.adminToken, {
      email,
      password: 'correct horse battery',
      role,
      projects: [{ projectId: t.project.id, rowScope }],
    });
    expect(created.statusCode).toBe(201);
    const login = await t.app.fastify.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: 'correct horse battery' },
    });
    return String(login.cookies.find((c) => c.name === 'sl_session')?.value);
  }

  /** Creates an export and polls it until it is no longer queued or running. */
  async function exportAndWait(body: unknown, who = t.adminToken) {
    const created = await call('POST', '', who, body);
    expect(created.statusCode).toBe(202);
    const id = created.json().id as string;
    let job = created.json();
    while (job.status === 'queued' || job.status === 'running') {
      await exports.settled();
      job = (await call('GET', `/${id}`, who)).json();
    }
    return job;
  }

  it('exports rows to CSV in the background, with progress, and downloads them', async () => {
    await setup();
    const job = await exportAndWait(EVENTS_EXPORT);
    expect(job).toMatchObject({
      projectId: 'shop',
      status: 'done',
      format: 'csv',
      progress: { rowsWritten: 20, rowsTotal: 20, fraction: 1 },
      fileName: 'shop-events-2026-11-20.csv',
      createdBy: { label: 'test admin' },
      rowScope: [],
      createdAt: NOW,
      expiresAt: NOW + 72 * HOUR_MS,
    });
    const file = await call('GET', `/${job.id}/file`, t.adminToken);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(file.headers['content-disposition']).toBe(
      `attachment; filename="shop-events-2026-11-20.csv"; filename*=UTF-8''shop-events-2026-11-20.csv`,
    );
    expect(Number(file.headers['content-length'])).toBe(job.bytes);
    expect(file.rawPayload.length).toBe(job.bytes);
    const text = file.rawPayload.toString('utf8');
    expect(text.split('\r\n')[0]).toBe(`\uFEFF# ${job.watermark}`);
    expect(job.watermark).toMatch(
      /^Sightline export · Shop \(shop\) · test admin \(token:\w+\) · 2026-11-21T04:00:00.000Z · events rows /,
    );
    const rows: string[][] = parse(text, { bom: true, comment: '#', comment_no_infix: true });
    // One instant for all: ordered by id text, which is the reverse of i.
    expect(rows).toEqual([
      ['event_time', 'event_id', 'user_id', 'channel'],
      ...Array.from({ length: 20 }, (_, k) => 19 - k).map((i) => [
        '2026-11-20T09:00:00.000+08:00',
        idOf(50 - i),
        `u${i}`,
        i % 4 === 0 ? 'wechat' : 'douyin',
      ]),
    ]);
    const listed = await call('GET', '', t.adminToken);
    expect(listed.json().exports.map((j: { id: string }) => j.id)).toEqual([job.id]);
  });

  it('exports a report as the report CSV route lays it out, and orders to XLSX', async () => {
    await setup();
    const request = { from: '2026-11-20', to: '2026-11-21', series: [{ metric: 'gmv' }] };
    const job = await exportAndWait({
      format: 'csv',
      source: { kind: 'report', report: 'trends', request },
    });
    expect(job.status).toBe('done');
    const sync = await t.app.fastify.inject({
      method: 'POST',
      url: `/api/v1/projects/${t.project.id}/reports/trends.csv`,
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload: request,
    });
    const file = (await call('GET', `/${job.id}/file`, t.adminToken)).payload;
    // The same bytes after the watermark line (both start with the byte-order mark).
    expect(file.replace(/^\uFEFF# [^\r]*\r\n/, '\uFEFF')).toBe(sync.payload);
    expect(job.fileName).toBe('shop-trends-2026-11-20_2026-11-21.csv');

    const xlsx = await exportAndWait({
      format: 'xlsx',
      source: { kind: 'rows', source: 'orders', range: 'last_7_days' },
    });
    const download = await call('GET', `/${xlsx.id}/file`, t.adminToken);
    expect(download.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(download.rawPayload as unknown as ArrayBuffer);
    const data = book.getWorksheet('Data')?.getSheetValues().slice(1) as unknown[][];
    const pick = (row: unknown[] | undefined) => [row?.[1], row?.[3], row?.[10], row?.[11]];
    expect(data.map(pick)).toEqual([
      ['order_time', 'order_id', 'pay_amount', 'refunded_amount'],
      ['2026-11-20T09:00:00.000+08:00', 'o1', 1_290, 0],
      ['2026-11-20T09:00:00.000+08:00', 'o2', 500, 0],
      ['2026-11-20T10:00:00.000+08:00', 'o3', 7, 0],
    ]);
  });

  it("honours the caller's row scope, and shows each their own exports", async () => {
    await setup();
    const ana = await createUser('ana@shop.test', 'analyst', WECHAT);
    const job = await exportAndWait(
      { ...EVENTS_EXPORT, source: { ...EVENTS_EXPORT.source, filters: [] } },
      ana,
    );
    expect(job.rowScope).toEqual(WECHAT);
    expect(job.watermark).toContain('ana@shop.test (user:');
    expect(job.watermark).toContain('row scope: channel eq wechat');
    const text = (await call('GET', `/${job.id}/file`, ana)).payload;
    const rows: string[][] = parse(text, { bom: true, comment: '#', comment_no_infix: true });
    expect(rows.slice(1).map((row) => row[2])).toEqual(['u16', 'u12', 'u8', 'u4', 'u0']);
    // A filter cannot widen the scope.
    const widened = await exportAndWait(
      {
        ...EVENTS_EXPORT,
        source: {
          ...EVENTS_EXPORT.source,
          filters: [{ dimension: 'channel', op: 'eq', value: 'douyin' }],
        },
      },
      ana,
    );
    expect(widened.progress.rowsWritten).toBe(0);
    const [entry] = await t.app.services.audit.list({
      projectId: 'shop',
      action: 'data.export',
      limit: 1,
    });
    expect(entry).toMatchObject({
      actor: expect.stringMatching(/^user:/),
      target: widened.id,
      details: {
        source: 'rows:events',
        format: 'csv',
        rowScope: WECHAT,
        watermark: widened.watermark,
        from: '2026-11-19T16:00:00.000Z',
        to: '2026-11-20T16:00:00.000Z',
      },
    });
    const mine = await exportAndWait(EVENTS_EXPORT);
    const anaList = (await call('GET', '', ana)).json().exports.map((j: { id: string }) => j.id);
    expect(anaList).toEqual([widened.id, job.id]);
    const adminList = (await call('GET', '', t.adminToken)).json().exports;
    expect(adminList.map((j: { id: string }) => j.id)).toEqual([mine.id, widened.id, job.id]);
    const other = await call('GET', `/${mine.id}/file`, ana);
    expect([other.statusCode, other.json().error.code]).toEqual([404, 'ERR_EXPORT_NOT_FOUND']);
    // A scope on a dimension orders lack is refused at once.
    const page = await createUser('pat@shop.test', 'analyst', [
      { dimension: 'page', op: 'eq', value: '/' },
    ]);
    const refused = await call('POST', '', page, {
      source: { kind: 'rows', source: 'orders' },
    });
    expect([refused.statusCode, refused.json().error.code]).toEqual([
      400,
      'ERR_QUERY_DIMENSION_UNSUPPORTED',
    ]);
  });

  it('needs data:export, and audits every download', async () => {
    await setup();
    const viewer = await createUser('vic@shop.test', 'viewer');
    const denied = await call('POST', '', viewer, EVENTS_EXPORT);
    expect([denied.statusCode, denied.json().error.code]).toEqual([403, 'ERR_AUTH_FORBIDDEN']);
    const job = await exportAndWait(EVENTS_EXPORT);
    expect((await call('GET', `/${job.id}/file`, viewer)).statusCode).toBe(403);
    expect((await call('GET', `/${job.id}/file`, '')).statusCode).toBe(401);
    await call('GET', `/${job.id}/file`, t.adminToken);
    await call('GET', `/${job.id}/file`, t.adminToken);
    const downloads = await t.app.services.audit.list({
      projectId: 'shop',
      action: 'data.export.download',
      limit: 10,
    });
    expect(downloads.map((e) => [e.target, e.details])).toEqual([
      [job.id, { via: 'token', bytes: job.bytes, fileName: 'shop-events-2026-11-20.csv' }],
      [job.id, { via: 'token', bytes: job.bytes, fileName: 'shop-events-2026-11-20.csv' }],
    ]);
  });

  it('downloads through an expiring link without a session, then answers 410', async () => {
    await setup();
    const job = await exportAndWait(EVENTS_EXPORT);
    const made = await call('POST', `/${job.id}/links`, t.adminToken, {});
    expect(made.statusCode).toBe(201);
    const { token, path, link } = made.json();
    expect(token).toMatch(/^sle_[\w-]{43}$/);
    expect(path).toBe(`/api/v1/exports/download/${token}`);
    expect(link).toMatchObject({ exportId: job.id, expiresAt: NOW + 24 * HOUR_MS });
    const owner = await call('GET', `/${job.id}/file`, t.adminToken);
    const open = await call('GET', path, '');
    expect(open.statusCode).toBe(200);
    expect(open.rawPayload.equals(owner.rawPayload)).toBe(true);
    expect(open.headers['content-disposition']).toContain('filename="shop-events-2026-11-20.csv"');
    const [audited] = await t.app.services.audit.list({
      projectId: 'shop',
      action: 'data.export.download',
      limit: 1,
    });
    expect(audited).toMatchObject({
      actor: `link:${link.id}`,
      target: job.id,
      details: { via: 'link', bytes: job.bytes, linkCreatedBy: expect.stringMatching(/^token:/) },
    });
    const bogus = await call('GET', '/api/v1/exports/download/sle_nope', '');
    expect([bogus.statusCode, bogus.json().error.code]).toEqual([404, 'ERR_EXPORT_LINK_INVALID']);
    const tooLong = await call('POST', `/${job.id}/links`, t.adminToken, { expiresInHours: 169 });
    expect(tooLong.statusCode).toBe(400);
    clock.advance(24 * HOUR_MS);
    const expired = await call('GET', path, '');
    expect([expired.statusCode, expired.json().error]).toEqual([
      410,
      {
        code: 'ERR_EXPORT_LINK_EXPIRED',
        message: 'This download link expired at 2026-11-22T04:00:00.000Z',
      },
    ]);
    // After the export itself expires and is swept, its links still say why.
    clock.advance(48 * HOUR_MS);
    await exports.sweep();
    expect((await call('GET', path, '')).statusCode).toBe(410);
  });

  it('answers 429 with Retry-After when the queue is full; cancels and deletes', async () => {
    await setup({ start: false, maxQueuedPerProject: 2 });
    const first = await call('POST', '', t.adminToken, EVENTS_EXPORT);
    const second = await call('POST', '', t.adminToken, EVENTS_EXPORT);
    const full = await call('POST', '', t.adminToken, EVENTS_EXPORT);
    expect(full.statusCode).toBe(429);
    expect(full.headers['retry-after']).toBe('30');
    expect(full.json().error.code).toBe('ERR_EXPORT_QUEUE_FULL');
    const notYet = await call('GET', `/${first.json().id}/file`, t.adminToken);
    expect([notYet.statusCode, notYet.json().error.code]).toEqual([409, 'ERR_EXPORT_NOT_READY']);
    const canceled = await call('POST', `/${first.json().id}/cancel`, t.adminToken);
    expect(canceled.json()).toMatchObject({ status: 'canceled' });
    const again = await call('POST', `/${first.json().id}/cancel`, t.adminToken);
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'ERR_EXPORT_NOT_CANCELABLE']);
    await exports.start();
    await exports.settled();
    const listed = (await call('GET', '', t.adminToken)).json().exports;
    expect(listed.map((j: { status: string }) => j.status)).toEqual(['done', 'canceled']);
    const done = second.json();
    expect((await call('DELETE', `/${done.id}`, t.adminToken)).statusCode).toBe(204);
    expect((await call('GET', `/${done.id}`, t.adminToken)).statusCode).toBe(404);
    expect((await call('GET', '', t.adminToken)).json().exports).toHaveLength(1);
  });

  it('is wired into the app: export and download through its own routes', async () => {
    await setup();
    const app = t.app.fastify;
    const base = `/api/v1/projects/${t.project.id}/exports`;
    const headers = { authorization: `Bearer ${t.adminToken}` };
    const created = await app.inject({
      method: 'POST',
      url: base,
      headers,
      payload: EVENTS_EXPORT,
    });
    expect(created.statusCode).toBe(202);
    await t.app.services.exports.settled();
    const job = (await app.inject({ url: `${base}/${created.json().id}`, headers })).json();
    expect(job).toMatchObject({ status: 'done', progress: { rowsWritten: 20, fraction: 1 } });
    const file = await app.inject({ url: `${base}/${job.id}/file`, headers });
    const rows: string[][] = parse(file.payload, {
      bom: true,
      comment: '#',
      comment_no_infix: true,
    });
    expect(rows).toHaveLength(21);
    // Counted for the "exports within 2 minutes" goal: request to end, by format and outcome.
    const scrape = (await app.inject({ url: '/metrics' })).body;
    expect(scrape).toContain(
      'sightline_export_duration_seconds_bucket{le="120",format="csv",outcome="done"} 1',
    );
    expect(scrape).toContain(
      'sightline_export_duration_seconds_count{format="csv",outcome="done"} 1',
    );
  });
});

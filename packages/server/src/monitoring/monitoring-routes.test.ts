import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../audit/index.ts';
import { createAuthService, registerAuthorization } from '../auth/index.ts';
import { registerErrorHandling } from '../http/error-handler.ts';
import { registerOpenApi } from '../http/openapi.ts';
import { createFakeClock } from '../platform/index.ts';
import type { MetaDb } from '../store/index.ts';
import { createTempDir } from '../testing/temp-dir.ts';
import { createMonitoring, type Monitoring } from './create-monitoring.ts';
import { registerMonitoringRoutes } from './monitoring-routes.ts';
import { openTestMetaDb } from '../testing/meta-database-at.ts';
import { createSightlineMetrics } from './sightline-metrics.ts';

const T0 = Date.parse('2026-11-21T04:00:00Z');

/**
 * The routes on a bare Fastify with the real error handler and the real authorization (tokens,
 * sessions and share links from the real auth service): buildApp cannot include them yet.
 */
describe('/api/v1/monitoring', () => {
  const clock = createFakeClock(T0);
  let meta: MetaDb;
  let monitoring: Monitoring;
  let app: FastifyInstance;
  let target: Server;
  let targetUrl: string;
  let base: string;
  let dir: ReturnType<typeof createTempDir>;
  const tokens = { admin: '', viewer: '', share: '' };

  beforeEach(async () => {
    clock.set(T0);
    dir = createTempDir('sightline-monitoring-');
    meta = await openTestMetaDb();
    const audit = createAuditLog(meta, clock);
    const auth = createAuthService({ db: meta, audit, clock, sessionTtlHours: 24 });
    monitoring = createMonitoring({
      db: meta,
      clock,
      audit,
      logger: { warn: () => {}, error: () => {} },
      dataDir: dir.path,
      probeTimeoutMs: 2_000,
    });
    const metrics = createSightlineMetrics({ defaultMetrics: false });
    metrics.observeQuery('trends', 0.25);
    metrics.observeQuery('trends', 0.75);
    metrics.recordQueryCacheHit();
    metrics.recordQueryCacheMiss();
    metrics.recordQueryCacheMiss();
    metrics.recordQueryCacheMiss();

    await meta
      .insertInto('projects')
      .values({
        id: 'shop',
        name: 'Shop',
        time_zone: 'UTC',
        retention_days: 30,
        created_at: T0,
      } as never)
      .execute();
    tokens.admin = (await auth.createToken({ name: 'admin', role: 'admin' }, 'test')).token;
    tokens.viewer = (await auth.createToken({ name: 'viewer', role: 'viewer' }, 'test')).token;
    await auth.createUser(
      { email: 'ana@shop.test', password: 'correct horse battery', role: 'admin' },
      'test',
    );
    const { sessionToken } = await auth.login('ana@shop.test', 'correct horse battery');
    const ana = await auth.authenticate({ sessionToken });
    if (!ana) throw new Error('no session');
    tokens.share = (await auth.shares.create(ana, 'shop', { path: '/p/shop/overview' })).token;

    app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandling(app);
    await app.register(cookie);
    await registerOpenApi(app, 'test');
    registerAuthorization(app, auth);
    registerMonitoringRoutes(app, {
      monitoring,
      readStoreHealth: () => Promise.resolve({ ok: true, sizeBytes: 4_096 }),
      readWriterQueue: () => ({ depth: 12, capacity: 50_000 }),
      metrics,
    });
    base = await app.listen({ port: 0, host: '127.0.0.1' });

    target = createServer((request, response) => {
      response.statusCode = request.url === '/down' ? 503 : 200;
      response.end();
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await app.close();
    target.closeAllConnections();
    await new Promise((resolve) => target.close(resolve));
    await monitoring.close();
    await meta.destroy();
    dir.remove();
  });

  async function call(method: string, path: string, token: string | null, body?: unknown) {
    const response = await fetch(`${base}/api/v1/monitoring${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }
  const codeOf = async (pending: ReturnType<typeof call>) => {
    const { status, body } = await pending;
    return [status, body?.error?.code];
  };

  it('asks for a login, projects:manage for changes, and refuses share links', async () => {
    expect(await codeOf(call('GET', '/targets', null))).toEqual([401, 'ERR_AUTH_REQUIRED']);
    expect((await call('GET', '/targets', tokens.viewer)).status).toBe(200);
    expect((await call('GET', '/metrics/system', tokens.viewer)).status).toBe(200);
    const input = { name: 'web', kind: 'http', config: { url: targetUrl } };
    expect(await codeOf(call('POST', '/targets', tokens.viewer, input))).toEqual([
      403,
      'ERR_AUTH_FORBIDDEN',
    ]);
    for (const path of ['/targets', '/health/services', '/metrics/system', '/store']) {
      expect(await codeOf(call('GET', path, tokens.share))).toEqual([403, 'ERR_AUTH_FORBIDDEN']);
    }
  });

  it('documents its routes in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: object };
    expect(Object.keys(doc.paths).filter((path) => path.startsWith('/api/v1/monitoring'))).toEqual([
      '/api/v1/monitoring/health/services',
      '/api/v1/monitoring/health/database',
      '/api/v1/monitoring/metrics/system',
      '/api/v1/monitoring/metrics/database',
      '/api/v1/monitoring/store',
      '/api/v1/monitoring/targets',
      '/api/v1/monitoring/targets/{targetId}',
      '/api/v1/monitoring/targets/{targetId}/check',
      '/api/v1/monitoring/targets/{targetId}/history',
      '/api/v1/monitoring/targets/{targetId}/uptime',
    ]);
  });

  it('manages targets and shows their checks, uptime and health', async () => {
    const created = await call('POST', '/targets', tokens.admin, {
      name: 'web',
      kind: 'http',
      config: { url: `${targetUrl}/`, maxLatencyMs: 1_000 },
      intervalSec: 30,
    });
    expect(created.status).toBe(201);
    const web = created.body;
    expect(web).toMatchObject({
      name: 'web',
      kind: 'http',
      intervalSec: 30,
      lastStatus: 'unknown',
    });
    expect(
      await codeOf(call('POST', '/targets', tokens.admin, { ...web, name: 'x', intervalSec: 5 })),
    ).toEqual([400, 'ERR_REQUEST_INVALID']);
    expect(
      await codeOf(call('POST', '/targets', tokens.admin, { name: 'x', kind: 'ftp', config: {} })),
    ).toEqual([400, 'ERR_REQUEST_INVALID']);
    expect(
      await codeOf(
        call('POST', '/targets', tokens.admin, {
          name: 'web',
          kind: 'tcp',
          config: { host: 'h', port: 1 },
        }),
      ),
    ).toEqual([409, 'ERR_MONITORING_TARGET_NAME_TAKEN']);
    expect(
      await codeOf(call('PATCH', `/targets/${web.id}`, tokens.admin, { kind: 'tcp' })),
    ).toEqual([400, 'ERR_MONITORING_TARGET_INVALID']);
    expect(await codeOf(call('GET', '/targets/mon_nope', tokens.admin))).toEqual([
      404,
      'ERR_MONITORING_TARGET_NOT_FOUND',
    ]);

    const db = await call('POST', '/targets', tokens.admin, {
      name: 'orders db',
      kind: 'postgres',
      config: { host: '127.0.0.1', port: 1 },
    });
    expect(db.status).toBe(201);
    const checks = await monitoring.tick();
    expect(checks.map((c) => c.status).sort()).toEqual(['down', 'up']);
    clock.advance(30_000);
    const patched = await call('PATCH', `/targets/${web.id}`, tokens.admin, {
      config: { url: `${targetUrl}/down` },
    });
    expect(patched.body.config).toEqual({
      url: `${targetUrl}/down`,
      method: 'GET',
      expectedStatus: { min: 200, max: 399 },
      headers: {},
    });
    const now = await call('POST', `/targets/${web.id}/check`, tokens.admin);
    expect(now.body).toMatchObject({
      targetId: web.id,
      checkedAt: T0 + 30_000,
      status: 'down',
      error: 'HTTP 503, expected 200–399',
      detail: { statusCode: 503 },
    });

    const history = await call('GET', `/targets/${web.id}/history?limit=10`, tokens.viewer);
    expect(
      history.body.checks.map((c: { status: string; checkedAt: number }) => [
        c.status,
        c.checkedAt,
      ]),
    ).toEqual([
      ['down', T0 + 30_000],
      ['up', T0],
    ]);
    expect(
      (await call('GET', `/targets/${web.id}/history?from=${T0 + 1}`, tokens.viewer)).body.checks,
    ).toHaveLength(1);
    expect(
      await codeOf(call('GET', `/targets/${web.id}/history?limit=5000`, tokens.viewer)),
    ).toEqual([400, 'ERR_REQUEST_INVALID']);
    const uptime = await call('GET', `/targets/${web.id}/uptime?windowHours=1`, tokens.viewer);
    expect(uptime.body).toEqual({
      from: T0 + 30_000 - 3_600_000,
      to: T0 + 30_000,
      checks: 2,
      up: 1,
      degraded: 0,
      down: 1,
      uptimePct: 50,
      latency: { p50: 0, p95: 0, p99: 0, max: 0 },
    });

    const services = await call('GET', '/health/services', tokens.viewer);
    expect(services.body).toEqual({
      summary: { up: 0, degraded: 0, down: 1, unknown: 0 },
      services: [
        {
          id: web.id,
          name: 'web',
          kind: 'http',
          status: 'down',
          lastCheckedAt: T0 + 30_000,
          latencyMs: 0,
          error: 'HTTP 503, expected 200–399',
          uptimePct24h: 50,
        },
      ],
    });
    const database = await call('GET', '/health/database', tokens.viewer);
    expect(database.body).toMatchObject({
      eventStore: { ok: true, sizeBytes: 4_096, error: null },
      metaStore: { ok: true, latencyMs: 0, error: null },
      summary: { up: 0, degraded: 0, down: 1, unknown: 0 },
      databases: [
        { id: db.body.id, name: 'orders db', kind: 'postgres', status: 'down', uptimePct24h: 0 },
      ],
    });

    const deleted = await call('DELETE', `/targets/${db.body.id}`, tokens.admin);
    expect(deleted.status).toBe(204);
    expect(await codeOf(call('GET', `/targets/${db.body.id}/history`, tokens.admin))).toEqual([
      404,
      'ERR_MONITORING_TARGET_NOT_FOUND',
    ]);
    expect(
      (await call('GET', '/targets', tokens.viewer)).body.targets.map(
        (t: { name: string }) => t.name,
      ),
    ).toEqual(['web']);
  });

  it('reports the host, the event store and query timings', async () => {
    const system = await call('GET', '/metrics/system', tokens.viewer);
    expect(system.body).toMatchObject({
      sampledAt: T0,
      disk: { path: dir.path },
      cpu: { usageWindowMs: null },
    });
    expect(system.body.memory.usedBytes + system.body.memory.freeBytes).toBe(
      system.body.memory.totalBytes,
    );
    clock.advance(15_000);
    expect((await call('GET', '/metrics/system', tokens.viewer)).body.cpu.usageWindowMs).toBe(
      15_000,
    );

    const db = await call('POST', '/targets', tokens.admin, {
      name: 'mysql',
      kind: 'mysql',
      config: { host: '127.0.0.1', port: 1 },
    });
    await monitoring.tick();
    expect((await call('GET', '/metrics/database', tokens.viewer)).body).toEqual({
      eventStore: { ok: true, sizeBytes: 4_096, error: null },
      queries: {
        reports: [{ report: 'trends', count: 2, totalSeconds: 1, avgMs: 500 }],
        cacheHits: 1,
        cacheMisses: 3,
        cacheHitRatio: 0.25,
      },
      databases: [
        {
          id: db.body.id,
          name: 'mysql',
          kind: 'mysql',
          uptime24h: {
            from: T0 + 15_000 - 86_400_000,
            to: T0 + 15_000,
            checks: 1,
            up: 0,
            degraded: 0,
            down: 1,
            uptimePct: 0,
            latency: null,
          },
        },
      ],
    });
    expect((await call('GET', '/store', tokens.viewer)).body).toEqual({
      ok: true,
      sizeBytes: 4_096,
      error: null,
      writerQueue: { depth: 12, capacity: 50_000 },
    });
  });
});

import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../audit/index.ts';
import { createFakeClock } from '../platform/index.ts';
import type { MetaDb } from '../store/index.ts';
import { createTempDir } from '../testing/temp-dir.ts';
import { createMonitoring, type Monitoring } from './create-monitoring.ts';
import { openTestMetaDb } from '../testing/meta-database-at.ts';

const T0 = Date.parse('2026-11-21T04:00:00Z');
const SEC = 1_000;
const DAY = 86_400_000;

async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('createMonitoring', () => {
  const clock = createFakeClock(T0);
  let meta: MetaDb;
  let monitoring: Monitoring;
  let server: Server;
  let url: string;
  let dir: ReturnType<typeof createTempDir>;
  /** How long (by the fake clock) the HTTP target takes to answer each request, in turn. */
  let delaysMs: number[];
  const warnings: string[] = [];

  beforeEach(async () => {
    clock.set(T0);
    delaysMs = [];
    dir = createTempDir('sightline-monitoring-');
    meta = await openTestMetaDb();
    monitoring = createMonitoring({
      db: meta,
      clock,
      audit: createAuditLog(meta, clock),
      logger: { warn: (_, message) => warnings.push(message), error: () => {} },
      dataDir: dir.path,
      probeTimeoutMs: 2_000,
    });
    server = createServer((_request, response) => {
      clock.advance(delaysMs.shift() ?? 0);
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  });
  afterEach(async () => {
    await monitoring.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await meta.destroy();
    dir.remove();
  });

  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'resolved',
      (error: { code?: string }) => error.code,
    );

  it('creates, lists, changes and deletes targets, audited', async () => {
    const web = await monitoring.createTarget(
      { name: 'shop web', kind: 'http', config: { url } },
      'user:u1',
    );
    expect(web).toEqual({
      id: web.id,
      name: 'shop web',
      kind: 'http',
      config: { url, method: 'GET', expectedStatus: { min: 200, max: 399 }, headers: {} },
      intervalSec: 60,
      enabled: true,
      createdBy: 'user:u1',
      createdAt: T0,
      updatedAt: T0,
      lastCheckedAt: null,
      lastStatus: 'unknown',
      lastLatencyMs: null,
      lastError: null,
    });
    const db = await monitoring.createTarget(
      { name: 'orders db', kind: 'postgres', config: { host: 'db.internal' }, intervalSec: 30 },
      'user:u1',
    );
    expect((await monitoring.listTargets()).map((t) => t.name)).toEqual(['orders db', 'shop web']);
    expect(
      await codeOf(
        monitoring.createTarget(
          { name: 'shop web', kind: 'tcp', config: { host: 'h', port: 1 } },
          'x',
        ),
      ),
    ).toBe('ERR_MONITORING_TARGET_NAME_TAKEN');
    expect(
      await codeOf(
        monitoring.createTarget(
          { name: 'fast', kind: 'tcp', config: { host: 'h', port: 1 }, intervalSec: 5 },
          'x',
        ),
      ),
    ).toBe('ERR_MONITORING_TARGET_INVALID');

    clock.advance(SEC);
    const changed = await monitoring.updateTarget(
      db.id,
      { kind: 'mysql', config: { host: 'db.internal' }, enabled: false },
      'user:u2',
    );
    expect(changed).toMatchObject({
      kind: 'mysql',
      config: { host: 'db.internal', port: 3306 },
      enabled: false,
      intervalSec: 30,
      updatedAt: T0 + SEC,
    });
    expect(await codeOf(monitoring.updateTarget(db.id, { kind: 'http' }, 'x'))).toBe(
      'ERR_MONITORING_TARGET_INVALID',
    );
    expect(await codeOf(monitoring.updateTarget(db.id, { name: 'shop web' }, 'x'))).toBe(
      'ERR_MONITORING_TARGET_NAME_TAKEN',
    );
    await monitoring.deleteTarget(db.id, 'user:u2');
    expect(await codeOf(monitoring.getTarget(db.id))).toBe('ERR_MONITORING_TARGET_NOT_FOUND');
    expect(await codeOf(monitoring.deleteTarget(db.id, 'x'))).toBe(
      'ERR_MONITORING_TARGET_NOT_FOUND',
    );

    const audit = await createAuditLog(meta, clock).list({ limit: 10 });
    expect(audit.map((entry) => [entry.action, entry.actor])).toEqual([
      ['monitoring.target.delete', 'user:u2'],
      ['monitoring.target.update', 'user:u2'],
      ['monitoring.target.create', 'user:u1'],
      ['monitoring.target.create', 'user:u1'],
    ]);
  });

  it('checks each enabled target when due, by the clock, and keeps the history', async () => {
    const web = await monitoring.createTarget({ name: 'web', kind: 'http', config: { url } }, 'u');
    const port = await closedPort();
    const cache = await monitoring.createTarget(
      { name: 'cache', kind: 'tcp', config: { host: '127.0.0.1', port }, intervalSec: 30 },
      'u',
    );
    const paused = await monitoring.createTarget(
      { name: 'paused', kind: 'tcp', config: { host: '127.0.0.1', port }, enabled: false },
      'u',
    );
    const names = (checks: Array<{ targetId: string }>) =>
      checks
        .map((c) => (c.targetId === web.id ? 'web' : c.targetId === cache.id ? 'cache' : 'paused'))
        .sort();

    delaysMs = [100];
    expect(names(await monitoring.tick())).toEqual(['cache', 'web']);
    expect(await monitoring.tick()).toEqual([]);
    clock.advance(29 * SEC);
    expect(await monitoring.tick()).toEqual([]);
    clock.advance(SEC); // T0 + 30 s: the cache is due, the web not yet
    expect(names(await monitoring.tick())).toEqual(['cache']);
    clock.advance(30 * SEC); // T0 + 60 s
    delaysMs = [300];
    expect(names(await monitoring.tick())).toEqual(['cache', 'web']);
    clock.advance(60 * SEC);
    delaysMs = [200];
    expect(names(await monitoring.tick())).toEqual(['cache', 'web']);

    const webChecks = await monitoring.listChecks(web.id, { limit: 10 });
    expect(webChecks.map((c) => [c.checkedAt - T0, c.status, c.latencyMs])).toEqual([
      // checkedAt is when each check started; the server's delay moved the clock meanwhile.
      [120 * SEC + 400, 'up', 200],
      [60 * SEC + 100, 'up', 300],
      [0, 'up', 100],
    ]);
    const cacheChecks = await monitoring.listChecks(cache.id, { limit: 2 });
    expect(cacheChecks).toHaveLength(2);
    expect(cacheChecks[0]).toMatchObject({ status: 'down', detail: {} });
    expect(cacheChecks[0]?.error).toContain('ECONNREFUSED');
    expect(await monitoring.getTarget(cache.id)).toMatchObject({
      lastStatus: 'down',
      lastCheckedAt: cacheChecks[0]?.checkedAt,
    });
    expect(await monitoring.listChecks(paused.id, { limit: 10 })).toEqual([]);

    expect(await monitoring.getUptime(web.id, 3_600_000)).toEqual({
      from: clock.now() - 3_600_000,
      to: clock.now(),
      checks: 3,
      up: 3,
      degraded: 0,
      down: 0,
      uptimePct: 100,
      latency: { p50: 200, p95: 300, p99: 300, max: 300 },
    });
    expect(await monitoring.getUptime(cache.id, 3_600_000)).toMatchObject({
      checks: 4,
      down: 4,
      uptimePct: 0,
      latency: null,
    });
    expect(await monitoring.getUptimeByTarget(3_600_000)).toEqual(
      new Map([
        [web.id, 100],
        [cache.id, 0],
      ]),
    );

    // A paused target can still be checked by hand.
    expect(await monitoring.checkNow(paused.id)).toMatchObject({
      targetId: paused.id,
      status: 'down',
    });
  });

  it('prunes checks older than the history on the hourly pass', async () => {
    const web = await monitoring.createTarget(
      { name: 'web', kind: 'http', config: { url }, intervalSec: 3_600 },
      'u',
    );
    for (let hour = 0; hour < 5; hour += 1) {
      expect(await monitoring.tick()).toHaveLength(1);
      clock.advance(3_600 * SEC);
    }
    // T0 + 7 days + 2.5 h: the checks at T0, T0+1h and T0+2h are older than 7 days.
    clock.set(T0 + 7 * DAY + 2.5 * 3_600 * SEC);
    expect(await monitoring.tick()).toHaveLength(1);
    const left = await monitoring.listChecks(web.id, { limit: 100 });
    expect(left.map((c) => (c.checkedAt - T0) / (3_600 * SEC))).toEqual([7 * 24 + 2.5, 4, 3]);
    expect(await monitoring.prune()).toBe(0);
    expect(warnings).toEqual([]);
  });

  it('runs the schedule in the background once started, until closed', async () => {
    const background = createMonitoring({
      db: meta,
      clock,
      audit: createAuditLog(meta, clock),
      logger: { warn: () => {}, error: () => {} },
      dataDir: dir.path,
      tickIntervalMs: 10,
    });
    const web = await background.createTarget({ name: 'web', kind: 'http', config: { url } }, 'u');
    background.start();
    await expect.poll(async () => (await background.getTarget(web.id)).lastStatus).toBe('up');
    await background.close();
    // Due again by the clock, but nothing runs after close.
    clock.advance(60 * SEC);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await background.listChecks(web.id, { limit: 10 })).toHaveLength(1);
  });

  it('reads the host and pings the metadata store', async () => {
    const host = await monitoring.readHost();
    expect(host.sampledAt).toBe(T0);
    expect(host.disk?.path).toBe(dir.path);
    expect(await monitoring.pingMetaStore()).toEqual({ ok: true, latencyMs: 0, error: null });
  });
});

import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../audit/index.ts';
import { createAuthService, registerAuthorization } from '../auth/index.ts';
import { registerErrorHandling } from '../http/error-handler.ts';
import { registerOpenApi } from '../http/openapi.ts';
import { createFakeClock } from '../platform/index.ts';
import { createProjectService } from '../projects/index.ts';
import type { MetaDb } from '../store/index.ts';
import { makeOrderRow } from '../testing/order-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../testing/query-fixture.ts';
import { registerAnomalyRoutes } from './anomaly-routes.ts';
import { createAnomalies, type Anomalies } from './create-anomalies.ts';
import { openTestMetaDb } from '../testing/meta-database-at.ts';

const T0 = Date.parse('2026-11-20T04:00:00Z');

/** The routes on a bare Fastify with the real error handler and authorization. */
describe('/api/v1/projects/:projectId/anomalies', () => {
  const clock = createFakeClock(T0);
  let f: QueryFixture;
  let db: MetaDb;
  let anomalies: Anomalies;
  let app: FastifyInstance;
  let base: string;
  const tokens = { admin: '', analyst: '', viewer: '' };

  beforeAll(async () => {
    f = await createQueryFixture();
    db = await openTestMetaDb();
    const audit = createAuditLog(db, clock);
    const auth = createAuthService({ db, audit, clock, sessionTtlHours: 24 });
    const projects = createProjectService({ db, audit, clock, masterSecret: 'x'.repeat(32) });
    await projects.create(
      { id: 'p_test', name: 'Test', timeZone: 'Asia/Shanghai', retentionDays: 180 },
      'test',
    );
    await f.load({
      orders: [
        makeOrderRow({
          orderId: 'self',
          paidAt: T0 - 600_000,
          userId: 'agent_1',
          agentId: 'agent_1',
        }),
      ],
    });
    anomalies = createAnomalies({
      db,
      store: f.store,
      clock,
      logger: { error: () => {} },
      audit,
      projects,
    });
    for (const role of ['admin', 'analyst', 'viewer'] as const)
      tokens[role] = (await auth.createToken({ name: role, role }, 'test')).token;
    app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandling(app);
    await app.register(cookie);
    await registerOpenApi(app, 'test');
    registerAuthorization(app, auth);
    registerAnomalyRoutes(app, { anomalies });
    base = `${await app.listen({ port: 0, host: '127.0.0.1' })}/api/v1/projects/p_test/anomalies`;
  });
  afterAll(async () => {
    await app.close();
    await anomalies.stop();
    await db.destroy();
    await f.close();
  });

  async function call(method: string, path: string, token: string | null, body?: unknown) {
    const response = await fetch(`${base}${path}`, {
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

  it('scans with alerts:manage, lists and reads with data:read', async () => {
    expect(await codeOf(call('POST', '/scan', tokens.analyst, {}))).toEqual([
      403,
      'ERR_AUTH_FORBIDDEN',
    ]);
    const scanned = await call('POST', '/scan', tokens.admin, {});
    expect(scanned.status).toBe(200);
    expect(scanned.body.findings.map((x: { dedupKey: string }) => x.dedupKey)).toEqual([
      'commission:self',
    ]);
    expect(await codeOf(call('GET', '', null))).toEqual([401, 'ERR_AUTH_REQUIRED']);
    const listed = await call('GET', '?state=open&kind=self_dealing', tokens.viewer);
    expect(listed.status).toBe(200);
    expect(listed.body.findings).toHaveLength(1);
    const [finding] = listed.body.findings;
    expect(finding).toMatchObject({ kind: 'self_dealing', state: 'open', severity: 'high' });
    expect((await call('GET', '?kind=order_burst', tokens.viewer)).body.findings).toEqual([]);
    expect((await call('GET', `/${finding.id}`, tokens.viewer)).body).toEqual(finding);
    expect(await codeOf(call('GET', '/anm_nope', tokens.viewer))).toEqual([
      404,
      'ERR_ANOMALY_NOT_FOUND',
    ]);
    expect((await call('GET', '?kind=bogus', tokens.viewer)).status).toBe(400);
  });

  it('reviews with alerts:respond', async () => {
    const [finding] = (await call('GET', '', tokens.viewer)).body.findings;
    const review = { state: 'dismissed', note: 'test order by the agent, agreed beforehand' };
    expect(await codeOf(call('POST', `/${finding.id}/review`, tokens.viewer, review))).toEqual([
      403,
      'ERR_AUTH_FORBIDDEN',
    ]);
    expect(
      (await call('POST', `/${finding.id}/review`, tokens.analyst, { state: 'gone' })).status,
    ).toBe(400);
    const reviewed = await call('POST', `/${finding.id}/review`, tokens.analyst, review);
    expect(reviewed.status).toBe(200);
    expect(reviewed.body).toMatchObject({
      state: 'dismissed',
      reviewNote: review.note,
      reviewedAt: T0,
      reviewedBy: expect.stringMatching(/^token:/),
    });
    expect((await call('GET', '?state=dismissed', tokens.viewer)).body.findings).toHaveLength(1);
    expect(await codeOf(call('POST', '/anm_nope/review', tokens.analyst, review))).toEqual([
      404,
      'ERR_ANOMALY_NOT_FOUND',
    ]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../platform/index.ts';
import { createWriteBatch } from '../store/index.ts';
import { makeEventRow } from '../testing/event-row-fixture.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);

describe('retention and deletion routes', () => {
  let t: TestApp;
  let viewerToken: string;
  const clock = createFakeClock(NOW);

  beforeEach(async () => {
    clock.set(NOW);
    t = await createTestApp({ clock });
    ({ token: viewerToken } = await t.app.services.auth.createToken(
      { name: 'viewer', role: 'viewer', projectId: t.project.id },
      'test',
    ));
    const projectId = t.project.id;
    await t.app.services.eventStore.commit(
      createWriteBatch({
        events: [
          makeEventRow({ projectId, eventTime: NOW - 200 * DAY_MS, userId: 'u1' }),
          makeEventRow({ projectId, eventTime: NOW - 181 * DAY_MS }),
          makeEventRow({ projectId, eventTime: NOW - 180 * DAY_MS }),
          makeEventRow({ projectId, eventTime: NOW - DAY_MS, userId: 'u1' }),
          makeEventRow({ projectId, eventTime: NOW - DAY_MS, anonymousId: 'a1' }),
        ],
        identities: [{ projectId, anonymousId: 'a1', userId: 'u1', linkedAt: NOW }],
      }),
    );
  });
  afterEach(() => t.close());

  function call(method: 'POST' | 'DELETE', url: string, token: string | null = t.adminToken) {
    return t.app.fastify.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  }

  it('runs retention for the project and answers its result', async () => {
    const res = await call('POST', '/api/v1/projects/shop/retention/run');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      projectId: 'shop',
      retentionDays: 180,
      cutoff: NOW - 180 * DAY_MS,
      deletedEvents: 2,
    });
    const [entry] = await t.app.services.audit.list({ action: 'retention.run', limit: 1 });
    expect(entry?.actor).toMatch(/^token:/);
  });

  it("deletes a user's data and answers the counts", async () => {
    const res = await call('DELETE', '/api/v1/projects/shop/users/u1/data');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      projectId: 'shop',
      userId: 'u1',
      deletedEvents: 3,
      deletedIdentities: 1,
      anonymisedOrders: 0,
      anonymisedRefunds: 0,
    });
  });

  it('needs retention:run and data:delete, which a viewer does not have', async () => {
    for (const [method, url] of [
      ['POST', '/api/v1/projects/shop/retention/run'],
      ['DELETE', '/api/v1/projects/shop/users/u1/data'],
    ] as const) {
      const forbidden = await call(method, url, viewerToken);
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.json()).toMatchObject({ error: { code: 'ERR_AUTH_FORBIDDEN' } });
      expect((await call(method, url, null)).statusCode).toBe(401);
    }
    expect(
      await t.app.services.eventStore.query('SELECT count(*)::INTEGER AS n FROM events'),
    ).toEqual([{ n: 5 }]);
  });

  it('answers 404 for an unknown project and decodes an escaped user id', async () => {
    const missing = await call('POST', '/api/v1/projects/nope/retention/run');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'ERR_PROJECT_NOT_FOUND' } });
    const escaped = await call(
      'DELETE',
      `/api/v1/projects/shop/users/${encodeURIComponent('用户 1')}/data`,
    );
    expect(escaped.statusCode).toBe(200);
    expect(escaped.json()).toMatchObject({ userId: '用户 1', deletedEvents: 0 });
  });
});

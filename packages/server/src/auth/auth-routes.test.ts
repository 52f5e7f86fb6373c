import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../platform/index.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);

describe('accounts, projects and keys over HTTP', () => {
  let t: TestApp;
  const clock = createFakeClock(NOW);
  beforeEach(async () => {
    clock.set(NOW);
    t = await createTestApp({ clock });
  });
  afterEach(() => t.close());

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    token?: string,
    payload?: unknown,
  ) =>
    t.app.fastify.inject({
      method,
      url,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  it('logs in with a session cookie and rejects a wrong password', async () => {
    await t.app.services.auth.createUser(
      { email: 'ana@shop.test', password: 'correct horse', role: 'analyst', projectIds: ['shop'] },
      'test',
    );
    const wrong = await call('POST', '/api/v1/auth/login', undefined, {
      email: 'ana@shop.test',
      password: 'nope nope nope',
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('ERR_AUTH_INVALID_CREDENTIALS');
    const ok = await call('POST', '/api/v1/auth/login', undefined, {
      email: 'ANA@shop.test',
      password: 'correct horse',
    });
    expect(ok.statusCode).toBe(200);
    const cookie = ok.cookies.find((c) => c.name === 'sl_session');
    expect(cookie?.httpOnly).toBe(true);
    const me = await t.app.fastify.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { sl_session: String(cookie?.value) },
    });
    expect(me.json()).toMatchObject({
      kind: 'user',
      label: 'ana@shop.test',
      role: 'analyst',
      projects: ['shop'],
    });
    const logout = await t.app.fastify.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      cookies: { sl_session: String(cookie?.value) },
    });
    expect(logout.statusCode).toBe(204);
    const after = await t.app.fastify.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { sl_session: String(cookie?.value) },
    });
    expect(after.statusCode).toBe(401);
    const actions = (await t.app.services.audit.list({ limit: 10 })).map((e) => e.action);
    expect(actions).toContain('auth.login');
    expect(actions).toContain('auth.login.failed');
  });

  it('throttles password guesses per client IP', async () => {
    const guess = () =>
      t.app.fastify.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'admin@shop.test', password: 'wrong guess 123' },
        remoteAddress: '203.0.113.9',
      });
    for (let i = 0; i < 10; i += 1) expect((await guess()).statusCode).toBe(401);
    const limited = await guess();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('6');
    clock.advance(6_000);
    expect((await guess()).statusCode).toBe(401);
  });

  it('checks permissions and project access in one place', async () => {
    const other = await t.app.services.projects.create(
      { id: 'other', name: 'Other', timeZone: 'UTC', retentionDays: 30 },
      'test',
    );
    const { token: viewer } = await t.app.services.auth.createToken(
      { name: 'v', role: 'viewer', projectId: 'shop' },
      'test',
    );
    expect((await call('GET', '/api/v1/projects')).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/projects', 'slt_bogus')).json().error.code).toBe(
      'ERR_AUTH_TOKEN_INVALID',
    );
    const list = await call('GET', '/api/v1/projects', viewer);
    expect(list.json().projects.map((p: { id: string }) => p.id)).toEqual(['shop']);
    expect((await call('GET', '/api/v1/projects/shop', viewer)).statusCode).toBe(200);
    const denied = await call('GET', `/api/v1/projects/${other.project.id}`, viewer);
    expect(denied.statusCode).toBe(403);
    const create = await call('POST', '/api/v1/projects', viewer, { name: 'Nope' });
    expect(create.statusCode).toBe(403);
    expect(create.json().error).toMatchObject({
      code: 'ERR_AUTH_FORBIDDEN',
      message: 'Missing permission projects:manage',
    });
    const scoped = await t.app.services.auth.createToken(
      { name: 's', role: 'admin', scopes: ['projects:read'] },
      'test',
    );
    expect((await call('GET', '/api/v1/projects', scoped.token)).statusCode).toBe(200);
    expect((await call('GET', '/api/v1/users', scoped.token)).statusCode).toBe(403);
    await t.app.services.auth.revokeToken(scoped.id, 'test');
    expect((await call('GET', '/api/v1/projects', scoped.token)).statusCode).toBe(401);
  });

  it('creates projects with keys, validates input, and records settings changes', async () => {
    const created = await call('POST', '/api/v1/projects', t.adminToken, {
      name: 'Mall',
      id: 'mall',
      timeZone: 'Europe/Berlin',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      project: { id: 'mall', timeZone: 'Europe/Berlin', retentionDays: 180 },
    });
    expect(created.json().writeKey).toMatch(/^wk_/);
    expect(created.json().secretKey).toMatch(/^sk_/);
    expect(
      (await call('POST', '/api/v1/projects', t.adminToken, { name: 'Mall', id: 'mall' })).json()
        .error.code,
    ).toBe('ERR_PROJECT_EXISTS');
    const invalid = await call('POST', '/api/v1/projects', t.adminToken, {
      name: '',
      timeZone: 'Nowhere/City',
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.code).toBe('ERR_REQUEST_INVALID');
    const patched = await call('PATCH', '/api/v1/projects/mall', t.adminToken, {
      retentionDays: 30,
      fieldDenylist: ['phone'],
    });
    expect(patched.json()).toMatchObject({ retentionDays: 30, fieldDenylist: ['phone'] });
    expect((await call('GET', '/api/v1/projects/nope', t.adminToken)).statusCode).toBe(404);
    const audit = await call('GET', '/api/v1/audit?project=mall', t.adminToken);
    expect(audit.json().entries.map((e: { action: string }) => e.action)).toEqual([
      'project.settings.update',
      'project.create',
    ]);
  });

  it('rotates a write key with a grace period, then the old key stops working', async () => {
    const send = (key: string) =>
      t.app.fastify.inject({
        method: 'POST',
        url: '/api/v1/batch',
        headers: { 'x-sightline-key': key },
        payload: { batch: [{ type: 'event', name: 'x' }] },
      });
    const rotated = await call('POST', '/api/v1/projects/shop/keys/rotate', t.adminToken, {
      kind: 'write',
      graceHours: 1,
    });
    const fresh = rotated.json().key as string;
    expect((await send(t.project.writeKey)).statusCode).toBe(200);
    expect((await send(fresh)).statusCode).toBe(200);
    clock.advance(3_600_000 + 10_000); // past the grace period and the key cache
    expect((await send(t.project.writeKey)).json().error.code).toBe('ERR_INGEST_KEY_INVALID');
    expect((await send(fresh)).statusCode).toBe(200);
    const keys = await call('GET', '/api/v1/projects/shop/keys', t.adminToken);
    expect(
      keys
        .json()
        .keys.filter((k: { kind: string }) => k.kind === 'write')
        .map((k: { display: string }) => k.display),
    ).toEqual([fresh]);
    expect(keys.json().keys.find((k: { kind: string }) => k.kind === 'secret').display).toMatch(
      /^sk_.{7}…$/,
    );
  });

  it('manages users and their project access', async () => {
    const created = await call('POST', '/api/v1/users', t.adminToken, {
      email: 'op@shop.test',
      role: 'operator',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().password).toHaveLength(18);
    const id = created.json().user.id as string;
    expect(
      (
        await call('POST', '/api/v1/users', t.adminToken, { email: 'op@shop.test', role: 'viewer' })
      ).json().error.code,
    ).toBe('ERR_USER_EXISTS');
    expect(
      (
        await call('POST', '/api/v1/users', t.adminToken, {
          email: 'x@shop.test',
          role: 'viewer',
          password: 'short',
        })
      ).json().error.code,
    ).toBe('ERR_USER_PASSWORD_WEAK');
    expect(
      (await call('PUT', `/api/v1/users/${id}/projects`, t.adminToken, { projectIds: ['shop'] }))
        .statusCode,
    ).toBe(204);
    const users = await call('GET', '/api/v1/users', t.adminToken);
    expect(users.json().users.find((u: { id: string }) => u.id === id)).toMatchObject({
      role: 'operator',
      projectIds: ['shop'],
    });
  });

  it('creates nothing for an unknown project, and refuses to revoke an unknown token', async () => {
    const created = await call('POST', '/api/v1/users', t.adminToken, {
      email: 'ghost@example.com',
      role: 'analyst',
      projectIds: [t.project.id, 'no-such-project'],
    });
    expect(created.statusCode).toBe(404);
    expect(created.json().error).toMatchObject({
      code: 'ERR_PROJECT_NOT_FOUND',
      message: 'Project no-such-project not found',
    });
    const users = await call('GET', '/api/v1/users', t.adminToken);
    expect(JSON.stringify(users.json())).not.toContain('ghost@example.com');

    const unknown = await call('DELETE', '/api/v1/tokens/tok_nope', t.adminToken);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('ERR_TOKEN_NOT_FOUND');
    const { id } = await t.app.services.auth.createToken(
      { name: 'ci', role: 'analyst', projectId: t.project.id },
      'test',
    );
    expect((await call('DELETE', `/api/v1/tokens/${id}`, t.adminToken)).statusCode).toBe(204);
    expect((await call('DELETE', `/api/v1/tokens/${id}`, t.adminToken)).statusCode).toBe(204);
    const actions = (await t.app.services.audit.list({ limit: 20 })).map((e) => e.action);
    // One revocation recorded, none for the unknown id or the repeat.
    expect(actions.filter((action) => action === 'token.revoke')).toHaveLength(1);
  });

  it('serves the OpenAPI document with every route', async () => {
    const doc = (await call('GET', '/openapi.json')).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/batch',
        '/api/v1/projects',
        '/api/v1/projects/{projectId}/keys/rotate',
        '/api/v1/auth/login',
        '/readyz',
      ]),
    );
    expect((await call('GET', '/docs/')).statusCode).toBe(200);
    const ready = await call('GET', '/readyz');
    expect(ready.json()).toMatchObject({
      ready: true,
      store: { ok: true },
      writer: { queueDepth: 0 },
    });
    const missing = await call('GET', '/nope');
    expect(missing.json()).toEqual({
      error: { code: 'ERR_NOT_FOUND', message: 'No route GET /nope' },
    });
  });
});

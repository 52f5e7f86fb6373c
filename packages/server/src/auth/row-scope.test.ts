import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../cli/run-cli.ts';
import { createFakeClock } from '../platform/index.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);
const WECHAT = [{ dimension: 'channel', op: 'eq', value: 'wechat' }];
const PASSWORD = 'correct horse battery';

describe('setting row-level scopes on users and tokens', () => {
  let t: TestApp;
  const clock = createFakeClock(NOW);
  beforeEach(async () => {
    clock.set(NOW);
    t = await createTestApp({ clock });
  });
  afterEach(() => t.close());

  const call = (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: unknown,
    token = t.adminToken,
  ) =>
    t.app.fastify.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  async function createAnalyst(email: string, role = 'analyst'): Promise<string> {
    const res = await call('POST', '/api/v1/users', { email, password: PASSWORD, role });
    expect(res.statusCode).toBe(201);
    return res.json<{ user: { id: string } }>().user.id;
  }

  async function login(email: string): Promise<string> {
    const res = await call('POST', '/api/v1/auth/login', { email, password: PASSWORD });
    return String(res.cookies.find((c) => c.name === 'sl_session')?.value);
  }

  const me = (session: string) =>
    t.app.fastify.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { sl_session: session },
    });

  it('restricts a user per project, shows and audits it, and lifts it at once', async () => {
    const id = await createAnalyst('ana@shop.test');
    const put = await call('PUT', `/api/v1/users/${id}/projects`, {
      projects: [{ projectId: 'shop', rowScope: WECHAT }],
    });
    expect(put.statusCode).toBe(204);
    const users = (await call('GET', '/api/v1/users')).json().users;
    expect(users).toContainEqual(
      expect.objectContaining({ id, projectIds: ['shop'], rowScopes: { shop: WECHAT } }),
    );
    const [entry] = await t.app.services.audit.list({ action: 'user.access.update', limit: 1 });
    expect(entry).toMatchObject({
      actor: expect.stringMatching(/^token:/),
      target: 'ana@shop.test',
      details: { projectIds: ['shop'], rowScopes: { shop: WECHAT } },
    });
    const session = await login('ana@shop.test');
    expect((await me(session)).json()).toMatchObject({
      projects: ['shop'],
      rowScopes: { shop: WECHAT },
    });
    // The legacy body form grants without a scope; an open session sees the change at once.
    const lifted = await call('PUT', `/api/v1/users/${id}/projects`, { projectIds: ['shop'] });
    expect(lifted.statusCode).toBe(204);
    expect((await me(session)).json()).toMatchObject({ projects: ['shop'], rowScopes: {} });
    const [after] = await t.app.services.audit.list({ action: 'user.access.update', limit: 1 });
    expect(after?.details).toEqual({ projectIds: ['shop'], rowScopes: {} });
  });

  it('refuses invalid scopes with ERR_REQUEST_INVALID and a clear reason', async () => {
    const id = await createAnalyst('ana@shop.test');
    const adminId = await createAnalyst('boss@shop.test', 'admin');
    const access = (userId: string, body: unknown) =>
      call('PUT', `/api/v1/users/${userId}/projects`, body);
    const scoped = (rowScope: unknown) =>
      access(id, { projects: [{ projectId: 'shop', rowScope }] });
    const unknown = await scoped([{ dimension: 'nope', op: 'eq', value: 'x' }]);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({
      code: 'ERR_REQUEST_INVALID',
      message:
        'Request is invalid: rowScope of project shop[0]: unknown dimension nope ' +
        '(GET /api/v1/metrics lists the dimensions)',
    });
    const property = await scoped([{ property: 'plan', op: 'eq', value: 'pro' }]);
    expect(property.json().error.message).toBe(
      'Request is invalid: rowScope of project shop[0]: a row scope filters on dimensions only, ' +
        'not properties',
    );
    const tooMany = await scoped(Array.from({ length: 21 }, () => WECHAT[0]));
    expect(tooMany.json().error.code).toBe('ERR_REQUEST_INVALID');
    const badValue = await scoped([{ dimension: 'channel', op: 'in', value: 'wechat' }]);
    expect(badValue.json().error.code).toBe('ERR_REQUEST_INVALID');
    const admin = await access(adminId, { projects: [{ projectId: 'shop', rowScope: WECHAT }] });
    expect(admin.json().error.message).toBe(
      'Request is invalid: admins see every row; a row scope applies to analyst, operator and viewer',
    );
    const twice = await access(id, { projects: [{ projectId: 'shop' }, { projectId: 'shop' }] });
    expect(twice.json().error.message).toBe('Request is invalid: project shop is listed twice');
    const both = await access(id, { projectIds: ['shop'], projects: [{ projectId: 'shop' }] });
    expect(both.json().error.code).toBe('ERR_REQUEST_INVALID');
    // Nothing was stored by the refused calls.
    const users = (await call('GET', '/api/v1/users')).json().users;
    expect(users).toContainEqual(expect.objectContaining({ id, projectIds: [], rowScopes: {} }));
    expect(await t.app.services.audit.list({ action: 'user.access.update', limit: 5 })).toEqual([]);
  });

  it('creates a scoped token for one project only, never an admin one, and audits it', async () => {
    const token = (body: Record<string, unknown>) =>
      call('POST', '/api/v1/tokens', { name: 'embed', role: 'viewer', ...body });
    const noProject = await token({ rowScope: WECHAT });
    expect(noProject.statusCode).toBe(400);
    expect(noProject.json().error.message).toBe(
      'Request is invalid: a token with a row scope must be limited to one project (projectId)',
    );
    const admin = await token({ role: 'admin', projectId: 'shop', rowScope: WECHAT });
    expect(admin.json().error.code).toBe('ERR_REQUEST_INVALID');
    const unknown = await token({
      projectId: 'shop',
      rowScope: [{ dimension: 'region', op: 'eq', value: 'east' }],
    });
    expect(unknown.json().error.message).toBe(
      'Request is invalid: rowScope[0]: unknown dimension region (GET /api/v1/metrics lists the dimensions)',
    );
    const created = await token({ projectId: 'shop', rowScope: WECHAT });
    expect(created.statusCode).toBe(201);
    const { id, token: secret } = created.json<{ id: string; token: string }>();
    const [entry] = await t.app.services.audit.list({ action: 'token.create', limit: 1 });
    expect(entry).toMatchObject({ target: id, projectId: 'shop', details: { rowScope: WECHAT } });
    const self = await call('GET', '/api/v1/auth/me', undefined, secret);
    expect(self.json()).toMatchObject({ projects: ['shop'], rowScopes: { shop: WECHAT } });
    // [] is no restriction at all.
    const open = await token({ projectId: 'shop', rowScope: [] });
    const openSelf = await call('GET', '/api/v1/auth/me', undefined, open.json().token);
    expect(openSelf.json().rowScopes).toEqual({});
  });

  it('fails closed when a stored scope cannot be read', async () => {
    const id = await createAnalyst('ana@shop.test');
    await call('PUT', `/api/v1/users/${id}/projects`, {
      projects: [{ projectId: 'shop', rowScope: WECHAT }],
    });
    const session = await login('ana@shop.test');
    await t.app.services.metaStore.db
      .updateTable('project_access')
      .set({ row_scope: '[{"dimension":"channel"}]' })
      .execute();
    const res = await t.app.fastify.inject({
      method: 'POST',
      url: '/api/v1/projects/shop/reports/trends',
      cookies: { sl_session: session },
      payload: { range: 'today', series: [{ metric: 'gmv' }] },
    });
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe('ERR_INTERNAL');
  });

  describe('sightline token create --row-scope', () => {
    let printed: string[];
    beforeEach(() => {
      printed = [];
      vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
      vi.spyOn(console, 'error').mockImplementation((line: string) => void printed.push(line));
    });
    afterEach(() => vi.restoreAllMocks());

    const cli = (...args: string[]) =>
      runCli(['node', 'sightline', '--data-dir', t.config.dataDir, 'token', 'create', ...args]);

    it('creates a token restricted to the given rows, and refuses a bad scope', async () => {
      const scope = JSON.stringify(WECHAT);
      const code = await cli(
        '--role',
        'analyst',
        '--project',
        'shop',
        '--row-scope',
        scope,
        '--json',
      );
      expect(code).toBe(0);
      const { token } = JSON.parse(printed.join('\n')) as { token: string };
      const self = await call('GET', '/api/v1/auth/me', undefined, token);
      expect(self.json()).toMatchObject({ role: 'analyst', rowScopes: { shop: WECHAT } });

      printed = [];
      expect(await cli('--project', 'shop', '--row-scope', '{"dimension":"channel"')).toBe(1);
      expect(printed.join('\n')).toContain('--row-scope must be JSON');
      printed = [];
      expect(await cli('--row-scope', scope)).toBe(1);
      expect(printed.join('\n')).toContain(
        'ERR_REQUEST_INVALID: Request is invalid: a token with a row scope must be limited',
      );
      printed = [];
      const property = JSON.stringify([{ property: 'plan', op: 'eq', value: 'pro' }]);
      expect(await cli('--project', 'shop', '--row-scope', property)).toBe(1);
      expect(printed.join('\n')).toContain('dimensions only');
    });
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../platform/index.ts';
import { createWriteBatch } from '../store/index.ts';
import { makeOrderRow } from '../testing/order-row-fixture.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

const NOW = Date.parse('2026-11-21T04:00:00Z'); // local (Asia/Shanghai) 2026-11-21 12:00
const HOUR = 3_600_000;
const PASSWORD = 'correct horse battery';
const WECHAT = [{ dimension: 'channel', op: 'eq', value: 'wechat' }];
const GMV_TODAY = { range: 'today', series: [{ metric: 'gmv' }] };
const PATH = '/p/shop/commerce?range=today&channel=wechat';

describe('share links', () => {
  let t: TestApp;
  const clock = createFakeClock(NOW);

  beforeEach(async () => {
    clock.set(NOW);
    t = await createTestApp({ clock });
    const order = (orderId: string, payAmount: number, channel: string) =>
      makeOrderRow({
        projectId: t.project.id,
        orderId,
        paidAt: NOW - HOUR,
        payAmount,
        channel,
      });
    await t.app.services.eventStore.commit(
      createWriteBatch({
        orders: [
          order('o1', 1_000, 'wechat'),
          order('o2', 2_500, 'wechat'),
          order('o3', 9_000, 'douyin'),
        ],
      }),
    );
  });
  afterEach(() => t.close());

  const call = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    auth: { token?: string; session?: string },
    payload?: unknown,
  ) =>
    t.app.fastify.inject({
      method,
      url,
      ...(auth.token ? { headers: { authorization: `Bearer ${auth.token}` } } : {}),
      ...(auth.session ? { cookies: { sl_session: auth.session } } : {}),
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const admin = () => ({ token: t.adminToken });

  /** A signed-in user on the test project, optionally restricted to some rows. */
  async function signIn(email: string, role: string, rowScope?: unknown[]): Promise<string> {
    const created = await call('POST', '/api/v1/users', admin(), {
      email,
      password: PASSWORD,
      role,
      projects: [{ projectId: 'shop', ...(rowScope ? { rowScope } : {}) }],
    });
    expect(created.statusCode).toBe(201);
    const login = await call('POST', '/api/v1/auth/login', {}, { email, password: PASSWORD });
    return String(login.cookies.find((c) => c.name === 'sl_session')?.value);
  }

  async function share(session: string, body: Record<string, unknown> = { path: PATH }) {
    return call('POST', '/api/v1/projects/shop/shares', { session }, body);
  }

  const gmv = async (auth: { token?: string; session?: string }) => {
    const res = await call('POST', '/api/v1/projects/shop/reports/trends', auth, GMV_TODAY);
    expect(res.statusCode).toBe(200);
    type Trend = { result: { series: Array<{ groups: Array<{ total: number }> }> } };
    return res.json<Trend>().result.series[0]?.groups[0]?.total;
  };

  it('opens read-only with the creator’s row scope, counts visits and is audited', async () => {
    const ana = await signIn('ana@shop.test', 'analyst', WECHAT);
    const created = await share(ana, { path: PATH, label: 'WeChat today', expiresInHours: 24 });
    expect(created.statusCode).toBe(201);
    const { share: link, token } = created.json();
    expect(token).toMatch(/^slv_/);
    expect(link).toMatchObject({
      projectId: 'shop',
      path: PATH,
      label: 'WeChat today',
      createdBy: { email: 'ana@shop.test' },
      expiresAt: NOW + 24 * HOUR,
      status: 'active',
      openCount: 0,
    });

    const opened = await call('POST', '/api/v1/shares/open', {}, { token });
    expect(opened.statusCode).toBe(200);
    expect(opened.json()).toEqual({
      id: link.id,
      projectId: 'shop',
      path: PATH,
      label: 'WeChat today',
      expiresAt: NOW + 24 * HOUR,
      createdBy: 'ana',
    });

    // The link reads what its creator reads: WeChat orders only, not the whole shop.
    expect(await gmv({ token })).toBe(3_500);
    expect(await gmv({ session: ana })).toBe(3_500);
    expect(await gmv(admin())).toBe(12_500);
    const me = await call('GET', '/api/v1/auth/me', { token });
    expect(me.json()).toMatchObject({
      kind: 'share',
      role: 'viewer',
      permissions: ['projects:read', 'data:read'],
      projects: ['shop'],
      rowScopes: { shop: WECHAT },
    });
    const projects = await call('GET', '/api/v1/projects', { token });
    expect(projects.json().projects.map((p: { id: string }) => p.id)).toEqual(['shop']);

    // Read-only: it cannot make links, save anything or see keys.
    const again = await call('POST', '/api/v1/projects/shop/shares', { token }, { path: PATH });
    expect(again.statusCode).toBe(403);
    expect((await call('GET', '/api/v1/projects/shop/keys', { token })).statusCode).toBe(403);

    const listed = await call('GET', '/api/v1/projects/shop/shares', { session: ana });
    expect(listed.json().shares).toEqual([
      expect.objectContaining({ id: link.id, openCount: 1, lastOpenedAt: NOW, status: 'active' }),
    ]);
    const [entry] = await t.app.services.audit.list({ action: 'share.create', limit: 1 });
    expect(entry).toMatchObject({
      actor: `user:${link.createdBy.id}`,
      projectId: 'shop',
      target: link.id,
      details: { path: PATH, label: 'WeChat today' },
    });
  });

  it('stops at its expiry with ERR_SHARE_EXPIRED, saying when', async () => {
    const ana = await signIn('ana@shop.test', 'analyst');
    const { token } = (await share(ana, { path: PATH, expiresInHours: 2 })).json();
    expect(await gmv({ token })).toBe(12_500);
    clock.set(NOW + 2 * HOUR);
    for (const res of [
      await call('POST', '/api/v1/projects/shop/reports/trends', { token }, GMV_TODAY),
      await call('POST', '/api/v1/shares/open', {}, { token }),
    ]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toMatchObject({
        code: 'ERR_SHARE_EXPIRED',
        message: `This share link expired at ${new Date(NOW + 2 * HOUR).toISOString()}`,
      });
    }
    const listed = await call('GET', '/api/v1/projects/shop/shares', { session: ana });
    expect(listed.json().shares[0].status).toBe('expired');
  });

  it('is revoked by its creator or an admin only, and dies with the creator’s access', async () => {
    const ana = await signIn('ana@shop.test', 'analyst');
    const bob = await signIn('bob@shop.test', 'operator');
    const first = (await share(ana)).json();
    const second = (await share(ana)).json();

    // Others do not see or revoke it; an admin sees every link of the project.
    expect((await call('GET', '/api/v1/projects/shop/shares', { session: bob })).json()).toEqual({
      shares: [],
    });
    const all = await call('GET', '/api/v1/projects/shop/shares', admin());
    expect(all.json().shares.map((s: { id: string }) => s.id)).toEqual([
      second.share.id,
      first.share.id,
    ]);
    const url = `/api/v1/projects/shop/shares/${first.share.id}`;
    const denied = await call('DELETE', url, { session: bob });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('ERR_AUTH_FORBIDDEN');
    expect((await call('DELETE', url, { session: ana })).statusCode).toBe(204);
    expect((await call('DELETE', url, { session: ana })).statusCode).toBe(204);
    expect(await t.app.services.audit.list({ action: 'share.revoke', limit: 10 })).toHaveLength(1);
    const revoked = await call('POST', '/api/v1/shares/open', {}, { token: first.token });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error.code).toBe('ERR_SHARE_INVALID');
    const missing = await call('DELETE', '/api/v1/projects/shop/shares/sh_nope', admin());
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('ERR_SHARE_NOT_FOUND');

    // The other link works until Ana loses the project.
    expect(await gmv({ token: second.token })).toBe(12_500);
    const users = (await call('GET', '/api/v1/users', admin())).json().users;
    const anaId = users.find((u: { email: string }) => u.email === 'ana@shop.test').id;
    await call('PUT', `/api/v1/users/${anaId}/projects`, admin(), { projectIds: [] });
    const gone = await call(
      'POST',
      '/api/v1/projects/shop/reports/trends',
      { token: second.token },
      GMV_TODAY,
    );
    expect(gone.statusCode).toBe(401);
    expect(gone.json().error.code).toBe('ERR_SHARE_INVALID');
  });

  it('refuses paths outside the project’s pages, long expiries, tokens and viewers', async () => {
    await t.app.services.projects.create(
      { id: 'other', name: 'Other', timeZone: 'Asia/Shanghai', retentionDays: 30 },
      'test',
    );
    const ana = await signIn('ana@shop.test', 'analyst');
    for (const [path, reason] of [
      ['/p/shop/settings', 'settings cannot be shared'],
      ['/p/other/overview', 'another project'],
      ['https://evil.test/p/shop/overview', 'not of the form /p/<project>/<page>?<filters>'],
      ['/p/shop/../settings', 'not of the form /p/<project>/<page>?<filters>'],
    ]) {
      const res = await share(ana, { path });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'ERR_SHARE_PATH_INVALID',
        message: `A share link must point at a dashboard page of project shop: ${reason}`,
      });
    }
    const tooLong = await share(ana, { path: PATH, expiresInHours: 91 * 24 });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.code).toBe('ERR_REQUEST_INVALID');
    const byToken = await call('POST', '/api/v1/projects/shop/shares', admin(), { path: PATH });
    expect(byToken.statusCode).toBe(403);
    const viewer = await signIn('vic@shop.test', 'viewer');
    const byViewer = await share(viewer);
    expect(byViewer.statusCode).toBe(403);
    expect(byViewer.json().error.message).toBe('Missing permission data:share');
    const unknown = await call('POST', '/api/v1/shares/open', {}, { token: 'slv_nope' });
    expect(unknown.json().error.code).toBe('ERR_SHARE_INVALID');
    expect(
      await t.app.services.metaStore.db.selectFrom('share_links').selectAll().execute(),
    ).toEqual([]);
  });
});

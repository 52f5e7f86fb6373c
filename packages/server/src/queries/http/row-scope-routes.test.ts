import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../platform/index.ts';
import { createWriteBatch } from '../../store/index.ts';
import { makeEventRow } from '../../testing/event-row-fixture.ts';
import { makeOrderRow } from '../../testing/order-row-fixture.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';

// The test project is in Asia/Shanghai: local 2026-11-20 is 2026-11-19T16:00Z … 11-20T16:00Z.
const NOW = Date.parse('2026-11-21T04:00:00Z'); // local 2026-11-21 12:00
const at = (iso: string) => Date.parse(iso);
const WECHAT = [{ dimension: 'channel', op: 'eq', value: 'wechat' }];
const DOUYIN = [{ dimension: 'channel', op: 'in', value: ['douyin'] }];
const GMV_TREND = { from: '2026-11-20', to: '2026-11-21', series: [{ metric: 'gmv' }] };

describe('row-level scope on report routes', () => {
  let t: TestApp;
  const clock = createFakeClock(NOW);

  beforeEach(async () => {
    clock.set(NOW);
    t = await createTestApp({ clock });
    const projectId = t.project.id;
    const order = (orderId: string, iso: string, payAmount: number, channel: string, coupon = '') =>
      makeOrderRow({
        projectId,
        orderId,
        paidAt: at(iso),
        payAmount,
        channel,
        couponId: coupon || null,
      });
    const view = (userId: string, iso: string, channel: string) =>
      makeEventRow({
        projectId,
        userId,
        name: 'page_view',
        type: 'page',
        eventTime: at(iso),
        channel,
      });
    await t.app.services.eventStore.commit(
      createWriteBatch({
        orders: [
          order('o0', '2026-11-18T02:00:00Z', 4_000, 'wechat'), // local 18th
          order('o1', '2026-11-19T15:00:00Z', 1_000, 'wechat'), // local 19th 23:00
          order('o2', '2026-11-19T16:00:00Z', 2_000, 'wechat', 'C1'), // local 20th 00:00
          order('o3', '2026-11-20T12:00:00Z', 3_000, 'douyin'), // local 20th 20:00
          order('o4', '2026-11-21T01:00:00Z', 5_000, 'douyin'), // local 21st 09:00
          order('o5', '2026-11-21T02:00:00Z', 700, 'wechat', 'C1'), // local 21st 10:00
        ],
        events: [
          view('u1', '2026-11-20T01:00:00Z', 'wechat'), // local 20th
          view('u2', '2026-11-20T02:00:00Z', 'douyin'), // local 20th
          view('u3', '2026-11-20T03:00:00Z', 'douyin'), // local 20th
          view('u3', '2026-11-21T01:00:00Z', 'wechat'), // local 21st
        ],
      }),
    );
  });
  afterEach(() => t.close());

  /** An analyst logged in with a session, restricted on the test project by `rowScope`. */
  async function loginWithScope(email: string, rowScope: unknown[]): Promise<string> {
    const created = await t.app.fastify.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload: {
        email,
        password: 'correct horse battery',
        role: 'analyst',
        projects: [{ projectId: t.project.id, rowScope }],
      },
    });
    expect(created.statusCode).toBe(201);
    const login = await t.app.fastify.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: 'correct horse battery' },
    });
    const cookie = login.cookies.find((c) => c.name === 'sl_session');
    return String(cookie?.value);
  }

  async function scopedToken(rowScope: unknown[], role = 'analyst'): Promise<string> {
    const res = await t.app.fastify.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload: { name: 'scoped', role, projectId: t.project.id, rowScope },
    });
    expect(res.statusCode).toBe(201);
    return res.json<{ token: string }>().token;
  }

  /** `who` is an admin or scoped token (`slt_…`) or a session cookie (`sls_…`). */
  const post = (path: string, body: unknown, who = t.adminToken) =>
    t.app.fastify.inject({
      method: 'POST',
      url: `/api/v1/projects/${t.project.id}/reports/${path}`,
      ...(who.startsWith('sls_')
        ? { cookies: { sl_session: who } }
        : { headers: { authorization: `Bearer ${who}` } }),
      payload: body as Record<string, unknown>,
    });
  const groupsOf = (res: Awaited<ReturnType<typeof post>>) =>
    res.json<{ result: { series: Array<{ groups: unknown[] }> } }>().result.series[0]?.groups;

  it('shows a restricted user only their rows in trends, and a filter cannot widen them', async () => {
    const ana = await loginWithScope('ana@shop.test', WECHAT);
    const mine = await post('trends', GMV_TREND, ana);
    expect(mine.statusCode).toBe(200);
    // 20th: o2 (wechat 2000); o3 is douyin. 21st: o5 (wechat 700); o4 is douyin.
    expect(groupsOf(mine)).toEqual([{ key: null, values: [2_000, 700], total: 2_700 }]);
    const widened = await post('trends', { ...GMV_TREND, filters: DOUYIN }, ana);
    expect(widened.statusCode).toBe(200);
    expect(groupsOf(widened)).toEqual([{ key: null, values: [0, 0], total: 0 }]);
    // Events too: wechat visitors are u1 on the 20th and u3 on the 21st (total: daily mean).
    const dau = { ...GMV_TREND, series: [{ metric: 'dau' }] };
    expect(groupsOf(await post('trends', dau, ana))).toEqual([
      { key: null, values: [1, 1], total: 1 },
    ]);
    expect(groupsOf(await post('trends', dau))).toEqual([{ key: null, values: [3, 1], total: 2 }]);
    // The admin is unrestricted: all of the 20th and the 21st.
    expect(groupsOf(await post('trends', GMV_TREND))).toEqual([
      { key: null, values: [5_000, 5_700], total: 10_700 },
    ]);
  });

  it('applies the scope to KPI cards and their comparison range', async () => {
    const ana = await loginWithScope('ana@shop.test', WECHAT);
    const body = { range: 'today', metrics: ['gmv', 'orders'], compare: 'same_time_yesterday' };
    const res = await post('kpis', body, ana);
    expect(res.statusCode).toBe(200);
    const [gmv, orders] = res.json().result.kpis;
    // Today until 12:00 local: o5 (700). Yesterday until 12:00 local: o2 (2000).
    expect(gmv).toMatchObject({ value: 700, previous: 2_000, change: -1_300, changeRatio: -0.65 });
    expect(orders).toMatchObject({ value: 1, previous: 1 });
    const admin = (await post('kpis', body)).json().result.kpis[0];
    expect(admin).toMatchObject({ value: 5_700, previous: 2_000 });
  });

  it('exports only the rows in scope as CSV, and audits the scope', async () => {
    const ana = await loginWithScope('ana@shop.test', WECHAT);
    const body = { ...GMV_TREND, breakdown: { dimension: 'channel', limit: 5 } };
    const res = await post('trends.csv', body, ana);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(
      '\uFEFFseries,group,2026-11-20,2026-11-21,total\r\nGMV (paid),wechat,2000,700,2700\r\n',
    );
    const [entry] = await t.app.services.audit.list({ action: 'data.export', limit: 1 });
    expect(entry?.details).toMatchObject({ rowScope: WECHAT });
  });

  it('restricts a token with a row scope the same way', async () => {
    const token = await scopedToken(DOUYIN);
    expect(groupsOf(await post('trends', GMV_TREND, token))).toEqual([
      { key: null, values: [3_000, 5_000], total: 8_000 },
    ]);
    const widened = await post('trends', { ...GMV_TREND, filters: WECHAT }, token);
    expect(groupsOf(widened)).toEqual([{ key: null, values: [0, 0], total: 0 }]);
    const csv = await post('trends.csv', GMV_TREND, token);
    expect(csv.body).toBe(
      '\uFEFFseries,group,2026-11-20,2026-11-21,total\r\nGMV (paid),,3000,5000,8000\r\n',
    );
  });

  it('never serves one scope a cached answer computed for another', async () => {
    const ana = await loginWithScope('ana@shop.test', WECHAT);
    const token = await scopedToken(DOUYIN);
    const admin = await post('trends', GMV_TREND);
    expect(admin.json()).toMatchObject({ cached: false });
    const first = await post('trends', GMV_TREND, ana);
    expect(first.json()).toMatchObject({ cached: false });
    expect(groupsOf(first)).toEqual([{ key: null, values: [2_000, 700], total: 2_700 }]);
    const again = await post('trends', GMV_TREND, ana);
    expect(again.json()).toMatchObject({ cached: true });
    expect(groupsOf(again)).toEqual([{ key: null, values: [2_000, 700], total: 2_700 }]);
    const other = await post('trends', GMV_TREND, token);
    expect(other.json()).toMatchObject({ cached: false });
    expect(groupsOf(other)).toEqual([{ key: null, values: [3_000, 5_000], total: 8_000 }]);
    expect((await post('trends', GMV_TREND)).json()).toMatchObject({ cached: true });
    expect(groupsOf(await post('trends', GMV_TREND))).toEqual([
      { key: null, values: [5_000, 5_700], total: 10_700 },
    ]);
  });

  it('refuses a report whose data cannot apply the scope instead of answering unscoped', async () => {
    // Coupons are on orders only: GMV can be scoped, visitors (events) cannot.
    const coupon = await loginWithScope('cora@shop.test', [
      { dimension: 'coupon', op: 'eq', value: 'C1' },
    ]);
    expect(groupsOf(await post('trends', GMV_TREND, coupon))).toEqual([
      { key: null, values: [2_000, 700], total: 2_700 },
    ]);
    const dau = await post('trends', { ...GMV_TREND, series: [{ metric: 'dau' }] }, coupon);
    expect(dau.statusCode).toBe(400);
    expect(dau.json().error).toEqual({
      code: 'ERR_QUERY_DIMENSION_UNSUPPORTED',
      message: 'Dimension coupon is not available for events (your row-level scope needs it)',
    });
    const paths = await post(
      'paths',
      { range: 'last_7_days', start: { event: 'page_view' } },
      coupon,
    );
    expect(paths.json().error.code).toBe('ERR_QUERY_DIMENSION_UNSUPPORTED');
    // The admin asking the same is answered.
    expect((await post('trends', { ...GMV_TREND, series: [{ metric: 'dau' }] })).statusCode).toBe(
      200,
    );
  });

  it('scopes campaign spend and refuses ingest quality, which has no dimensions', async () => {
    const token = await scopedToken(WECHAT);
    const call = (method: 'GET' | 'PUT', url: string, who: string, payload?: unknown) =>
      t.app.fastify.inject({
        method,
        url: `/api/v1/projects/${t.project.id}/${url}`,
        headers: { authorization: `Bearer ${who}` },
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });
    const put = await call('PUT', 'campaign-costs', t.adminToken, {
      costs: [
        { day: '2026-11-20', channel: 'wechat', cost: 100 },
        { day: '2026-11-20', channel: 'douyin', cost: 900 },
      ],
    });
    expect(put.statusCode).toBe(200);
    const range = 'campaign-costs?from=2026-11-20&to=2026-11-21';
    const channelsOf = (res: Awaited<ReturnType<typeof call>>) =>
      res.json<{ costs: Array<{ channel: string }> }>().costs.map((c) => c.channel);
    expect(channelsOf(await call('GET', range, token))).toEqual(['wechat']);
    expect(channelsOf(await call('GET', `${range}&channel=douyin`, token))).toEqual([]);
    expect(channelsOf(await call('GET', range, t.adminToken))).toEqual(['douyin', 'wechat']);
    const quality = await call('GET', 'quality', token);
    expect(quality.statusCode).toBe(400);
    expect(quality.json().error.code).toBe('ERR_QUERY_DIMENSION_UNSUPPORTED');
    expect((await call('GET', 'quality', t.adminToken)).statusCode).toBe(200);
  });
});

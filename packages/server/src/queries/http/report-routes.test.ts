import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../platform/index.ts';
import { createWriteBatch } from '../../store/index.ts';
import { makeOrderRow } from '../../testing/order-row-fixture.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';

// The test project is in Asia/Shanghai: local 2026-11-20 is 2026-11-19T16:00Z … 11-20T16:00Z.
const NOW = Date.parse('2026-11-21T04:00:00Z'); // local 2026-11-21 12:00
const at = (iso: string) => Date.parse(iso);

describe('report routes', () => {
  let t: TestApp;
  const clock = createFakeClock(NOW);

  beforeEach(async () => {
    clock.set(NOW);
    t = await createTestApp({ clock });
    const projectId = t.project.id;
    const order = (orderId: string, iso: string, payAmount: number, channel: string) =>
      makeOrderRow({ projectId, orderId, paidAt: at(iso), payAmount, channel });
    await t.app.services.eventStore.commit(
      createWriteBatch({
        orders: [
          order('o0', '2026-11-18T02:00:00Z', 4_000, 'wechat'), // local 18th
          order('o1', '2026-11-19T15:00:00Z', 1_000, 'wechat'), // local 19th 23:00
          order('o2', '2026-11-19T16:00:00Z', 2_000, 'wechat'), // local 20th 00:00
          order('o3', '2026-11-20T12:00:00Z', 3_000, 'douyin'), // local 20th 20:00
          order('o4', '2026-11-21T01:00:00Z', 5_000, 'douyin'), // local 21st 09:00
        ],
      }),
    );
  });
  afterEach(() => t.close());

  const post = (path: string, body: unknown, token = t.adminToken) =>
    t.app.fastify.inject({
      method: 'POST',
      url: `/api/v1/projects/${t.project.id}/reports/${path}`,
      headers: { authorization: `Bearer ${token}` },
      payload: body as Record<string, unknown>,
    });

  it('answers a trend by local day with a comparison to the previous period', async () => {
    const res = await post('trends', {
      from: '2026-11-20',
      to: '2026-11-21',
      series: [{ metric: 'gmv' }],
      compare: ['previous'],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      from: '2026-11-19T16:00:00.000Z',
      to: '2026-11-21T16:00:00.000Z',
      granularity: 'day',
      cached: false,
    });
    expect(body.result.buckets.map((b: { label: string }) => b.label)).toEqual([
      '2026-11-20',
      '2026-11-21',
    ]);
    expect(body.result.series[0].groups).toEqual([
      { key: null, values: [5_000, 5_000], total: 10_000 },
    ]);
    // The two days before: the 18th and the 19th.
    expect(body.result.series[0].compare.previous).toEqual([
      { key: null, values: [4_000, 1_000], total: 5_000 },
    ]);
    // Asked again: served from the cache.
    expect(
      (
        await post('trends', {
          from: '2026-11-20',
          to: '2026-11-21',
          series: [{ metric: 'gmv' }],
          compare: ['previous'],
        })
      ).json().cached,
    ).toBe(true);
  });

  it('leaves totals out when asked, with the same series', async () => {
    const body = {
      from: '2026-11-20',
      to: '2026-11-21',
      series: [{ metric: 'gmv' }, { metric: 'paying_users' }],
      breakdown: { dimension: 'channel', limit: 1 },
      compare: ['previous'],
    };
    const full = (await post('trends', body)).json().result;
    const res = await post('trends', { ...body, totals: false });
    expect(res.statusCode).toBe(200);
    const bare = res.json().result;
    const withoutTotal = (groups: Array<{ total: number | null }>) =>
      groups.map((group) => ({ ...group, total: null }));
    expect(full.series[0].groups[0].total).toBe(8_000);
    for (const [i, series] of bare.series.entries()) {
      expect(series.groups).toEqual(withoutTotal(full.series[i].groups));
      expect(series.compare.previous).toEqual(withoutTotal(full.series[i].compare.previous));
    }
  });

  it('shows the current top groups of a breakdown in its comparison too', async () => {
    const res = await post('trends', {
      from: '2026-11-20',
      to: '2026-11-21',
      series: [{ metric: 'gmv' }, { metric: 'orders' }],
      breakdown: { dimension: 'channel', limit: 1 },
      compare: ['previous'],
    });
    expect(res.statusCode).toBe(200);
    const [gmv, orders] = res.json().result.series;
    // Now douyin leads (8,000 against wechat's 2,000); before, only wechat sold. The
    // comparison keeps douyin as the group and puts wechat in $other, bucket by bucket.
    expect(gmv.groups).toEqual([
      { key: 'douyin', values: [3_000, 5_000], total: 8_000 },
      { key: '$other', values: [2_000, 0], total: 2_000 },
    ]);
    expect(gmv.compare.previous).toEqual([
      { key: 'douyin', values: [0, 0], total: 0 },
      { key: '$other', values: [4_000, 1_000], total: 5_000 },
    ]);
    expect(orders.groups).toEqual([
      { key: 'douyin', values: [1, 1], total: 2 },
      { key: '$other', values: [1, 0], total: 1 },
    ]);
  });

  it('compares today so far with yesterday up to the same time', async () => {
    const res = await post('kpis', {
      range: 'today',
      metrics: ['gmv', 'orders'],
      compare: 'same_time_yesterday',
    });
    expect(res.statusCode).toBe(200);
    const [gmv, orders] = res.json().result.kpis;
    // Today until 12:00: o4. Yesterday until 12:00 local (04:00Z): o2 only.
    expect(gmv).toMatchObject({
      metric: 'gmv',
      value: 5_000,
      previous: 2_000,
      change: 3_000,
      changeRatio: 1.5,
    });
    expect(orders).toMatchObject({ value: 1, previous: 1, change: 0, changeRatio: 0 });
  });

  it('exports a report as CSV with an audit entry, for callers allowed to export', async () => {
    const body = {
      from: '2026-11-20',
      to: '2026-11-21',
      series: [{ metric: 'gmv' }],
      breakdown: { dimension: 'channel', limit: 5 },
    };
    const res = await post('trends.csv', body);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    // Groups in rank order: douyin sold more.
    expect(res.body).toBe(
      '\uFEFFseries,group,2026-11-20,2026-11-21,total\r\nGMV (paid),douyin,3000,5000,8000\r\nGMV (paid),wechat,2000,0,2000\r\n',
    );
    const audit = await t.app.services.audit.list({ limit: 5 });
    expect(audit[0]).toMatchObject({ action: 'data.export', target: 'report:trends' });
    const { token } = await t.app.services.auth.createToken(
      { name: 'viewer', role: 'viewer', projectId: t.project.id },
      'test',
    );
    expect((await post('trends.csv', body, token)).statusCode).toBe(403);
    expect((await post('trends', body, token)).statusCode).toBe(200);
  });

  it('refuses unknown metrics, bad ranges and unsupported breakdowns with stable codes', async () => {
    const unknown = await post('trends', { range: 'last_7_days', series: [{ metric: 'nope' }] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('ERR_QUERY_INVALID');
    const range = await post('trends', {
      from: '2026-11-21',
      to: '2026-11-20',
      series: [{ metric: 'gmv' }],
    });
    expect(range.json().error.code).toBe('ERR_QUERY_RANGE_INVALID');
    const dim = await post('trends', {
      range: 'today',
      series: [{ metric: 'gmv' }],
      breakdown: { dimension: 'browser' },
    });
    expect(dim.json().error.code).toBe('ERR_QUERY_DIMENSION_UNSUPPORTED');
  });

  it('lists the metric catalog', async () => {
    const res = await t.app.fastify.inject({
      method: 'GET',
      url: '/api/v1/metrics',
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    const ids = res.json().metrics.map((m: { id: string }) => m.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'dau',
        'gmv',
        'retention_d7',
        'api_latency_p95',
        'web_vital_lcp_p75',
      ]),
    );
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../platform/index.ts';
import { createWriteBatch } from '../store/index.ts';
import { makeEventRow } from '../testing/event-row-fixture.ts';
import { makeOrderRow } from '../testing/order-row-fixture.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

// Local 2026-11-21 12:00 in Shanghai, the test project's zone.
const NOW = Date.parse('2026-11-21T04:00:00Z');

describe('campaign cost routes', () => {
  let t: TestApp;
  let analyst: string;
  const clock = createFakeClock(NOW);
  const url = () => `/api/v1/projects/${t.project.id}/campaign-costs`;

  beforeEach(async () => {
    clock.set(NOW);
    t = await createTestApp({ clock });
    ({ token: analyst } = await t.app.services.auth.createToken(
      { name: 'analyst', role: 'analyst', projectId: 'shop' },
      'test',
    ));
  });
  afterEach(() => t.close());

  function call(
    method: 'GET' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    token = t.adminToken,
  ) {
    return t.app.fastify.inject({
      method,
      url: path,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
  }

  it('upserts, lists and deletes spend, auditing the writes', async () => {
    const put = await call('PUT', url(), {
      costs: [
        { day: '2026-11-20', channel: 'wechat', cost: 10_000 },
        { day: '2026-11-20', channel: 'wechat', campaign: 'spring', cost: 6_000 },
        { day: '2026-11-21', channel: 'douyin', cost: 1 },
        // The same key again: the later row wins.
        { day: '2026-11-21', channel: 'douyin', cost: 4_000, currency: 'CNY' },
      ],
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ upserted: 3 });
    // Writing a key again replaces its cost.
    clock.set(NOW + 1_000);
    await call('PUT', url(), { costs: [{ day: '2026-11-20', channel: 'wechat', cost: 12_000 }] });

    const list = await call('GET', `${url()}?from=2026-11-20&to=2026-11-21`, undefined, analyst);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({
      from: '2026-11-20',
      to: '2026-11-21',
      truncated: false,
      costs: [
        {
          day: '2026-11-20',
          channel: 'wechat',
          campaign: '',
          cost: 12_000,
          currency: 'CNY',
          updatedAt: NOW + 1_000,
        },
        {
          day: '2026-11-20',
          channel: 'wechat',
          campaign: 'spring',
          cost: 6_000,
          currency: 'CNY',
          updatedAt: NOW,
        },
        {
          day: '2026-11-21',
          channel: 'douyin',
          campaign: '',
          cost: 4_000,
          currency: 'CNY',
          updatedAt: NOW,
        },
      ],
    });
    // The default range is the last 30 local days; channel narrows it.
    const wechat = await call('GET', `${url()}?channel=wechat`);
    expect(wechat.json()).toMatchObject({ from: '2026-10-23', to: '2026-11-21' });
    expect(wechat.json().costs).toHaveLength(2);

    const del = await call('DELETE', `${url()}?day=2026-11-20&channel=wechat&campaign=spring`);
    expect(del.json()).toEqual({ deleted: 1 });
    expect((await call('GET', `${url()}?from=2026-11-20&to=2026-11-20`)).json().costs).toHaveLength(
      1,
    );

    const audit = await t.app.services.audit.list({ projectId: t.project.id, limit: 10 });
    expect(audit.filter((e) => e.action.startsWith('campaign.')).map((e) => e.action)).toEqual([
      'campaign.cost.delete',
      'campaign.cost.upsert',
      'campaign.cost.upsert',
    ]);
    expect(
      audit.find((e) => e.action === 'campaign.cost.upsert' && e.details.rows === 3)?.details,
    ).toEqual({
      rows: 3,
      from: '2026-11-20',
      to: '2026-11-21',
      total: 20_000,
    });
  });

  it('divides entered spend by new paying users in the CAC metric', async () => {
    const projectId = t.project.id;
    await t.app.services.eventStore.commit(
      createWriteBatch({
        events: [
          makeEventRow({
            projectId,
            userId: 'u1',
            channel: 'wechat',
            eventTime: Date.parse('2026-11-19T20:00:00Z'),
          }),
          makeEventRow({
            projectId,
            userId: 'u2',
            channel: 'wechat',
            eventTime: Date.parse('2026-11-19T21:00:00Z'),
          }),
        ],
        orders: [
          makeOrderRow({
            projectId,
            orderId: 'o1',
            userId: 'u1',
            paidAt: Date.parse('2026-11-20T01:00:00Z'),
          }),
          makeOrderRow({
            projectId,
            orderId: 'o2',
            userId: 'u2',
            paidAt: Date.parse('2026-11-20T02:00:00Z'),
          }),
        ],
      }),
    );
    await call('PUT', url(), { costs: [{ day: '2026-11-20', channel: 'wechat', cost: 9_000 }] });
    const res = await t.app.fastify.inject({
      method: 'POST',
      url: `/api/v1/projects/${projectId}/reports/trends`,
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload: { from: '2026-11-20', to: '2026-11-20', series: [{ metric: 'cac' }] },
    });
    expect(res.json().result.series[0].groups[0].values).toEqual([4_500]);
  });

  it('refuses invalid rows, naming the field', async () => {
    const row = { day: '2026-11-20', channel: 'wechat', cost: 1 };
    const cases: Array<[string, unknown[], string]> = [
      ['a decimal cost', [{ ...row, cost: 19.99 }], 'cost'],
      ['a negative cost', [{ ...row, cost: -1 }], 'cost'],
      ['a day that does not exist', [{ ...row, day: '2026-02-30' }], 'day'],
      ['an empty channel', [{ ...row, channel: '' }], 'channel'],
      ['a lower-case currency', [{ ...row, currency: 'rmb' }], 'currency'],
      ['no rows', [], 'costs'],
      ['1,001 rows', Array.from({ length: 1_001 }, () => row), 'costs'],
    ];
    for (const [name, costs, field] of cases) {
      const res = await call('PUT', url(), { costs });
      expect(res.statusCode, name).toBe(400);
      expect(res.json(), name).toMatchObject({
        error: { code: 'ERR_REQUEST_INVALID', message: expect.stringContaining(field) },
      });
    }
  });

  it('needs data:import to write and data:read to read', async () => {
    const body = { costs: [{ day: '2026-11-20', channel: 'wechat', cost: 1 }] };
    expect((await call('PUT', url(), body, analyst)).statusCode).toBe(403);
    expect(
      (await call('DELETE', `${url()}?day=2026-11-20&channel=wechat`, undefined, analyst))
        .statusCode,
    ).toBe(403);
    expect((await call('GET', url(), undefined, analyst)).statusCode).toBe(200);
    const range = await call('GET', `${url()}?from=2026-11-21&to=2026-11-20`);
    expect(range.statusCode).toBe(400);
  });
});

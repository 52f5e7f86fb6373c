import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../platform/index.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

const NOW = Date.parse('2026-11-21T04:00:00Z');

const trends = {
  name: 'Daily active users by channel',
  kind: 'trends',
  params: { series: [{ metric: 'dau' }], breakdown: { dimension: 'channel', limit: 5 } },
  filters: { range: 'last_7_days', channel: 'wechat,douyin' },
};
const funnel = {
  name: 'Checkout',
  kind: 'funnel',
  params: { steps: [{ event: 'add_to_cart' }, { event: 'order_completed' }], granularity: 'day' },
};

describe('saved insights routes', () => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  let viewer: string;
  const clock = createFakeClock(NOW);
  const base = () => `/api/v1/projects/${t.project.id}/insights`;

  beforeEach(async () => {
    clock.set(NOW);
    t = await createTestApp({ clock });
    const token = async (name: string, role: 'analyst' | 'viewer') =>
      (await t.app.services.auth.createToken({ name, role, projectId: 'shop' }, 'test')).token;
    alice = await token('alice', 'analyst');
    bob = await token('bob', 'analyst');
    viewer = await token('viewer', 'viewer');
  });
  afterEach(() => t.close());

  function call(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    token: string,
    body?: unknown,
  ) {
    return t.app.fastify.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
  }

  it('saves, lists, reads, changes and deletes an insight, auditing each change', async () => {
    const created = await call('POST', base(), alice, trends);
    expect(created.statusCode, created.body).toBe(201);
    const insight = created.json();
    expect(insight).toMatchObject({
      id: expect.stringMatching(/^ins_/),
      projectId: 'shop',
      name: trends.name,
      kind: 'trends',
      params: trends.params,
      filters: trends.filters,
      owner: expect.stringMatching(/^token:/),
      createdAt: NOW,
      updatedAt: NOW,
      editable: true,
    });
    const url = `${base()}/${insight.id}`;

    clock.advance(1_000);
    const second = await call('POST', base(), bob, funnel);
    expect(second.statusCode, second.body).toBe(201);
    // Params are kept as given (no defaults filled in); filters default to none.
    expect(second.json()).toMatchObject({ params: funnel.params, filters: {} });

    // Everyone on the project reads them, newest change first; only the owner may edit.
    const listed = await call('GET', base(), viewer);
    expect(listed.statusCode).toBe(200);
    expect(listed.json().insights.map((i: { name: string }) => i.name)).toEqual([
      'Checkout',
      trends.name,
    ]);
    expect(listed.json().insights.map((i: { editable: boolean }) => i.editable)).toEqual([
      false,
      false,
    ]);
    expect((await call('GET', url, bob)).json()).toEqual({ ...insight, editable: false });

    clock.advance(1_000);
    const renamed = await call('PATCH', url, alice, { name: 'DAU by channel' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({
      name: 'DAU by channel',
      params: trends.params,
      updatedAt: NOW + 2_000,
    });
    const changed = await call('PATCH', url, alice, {
      params: { series: [{ metric: 'gmv' }] },
      filters: { range: 'last_30_days' },
    });
    expect(changed.json()).toMatchObject({
      params: { series: [{ metric: 'gmv' }] },
      filters: { range: 'last_30_days' },
    });

    expect((await call('DELETE', url, alice)).statusCode).toBe(204);
    const gone = await call('GET', url, alice);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('ERR_INSIGHT_NOT_FOUND');

    const audit = await t.app.services.audit.list({ projectId: 'shop', limit: 20 });
    expect(
      audit
        .filter((entry) => entry.action.startsWith('insight.'))
        .map((entry) => [entry.action, entry.target, entry.details])
        .reverse(),
    ).toEqual([
      ['insight.create', insight.id, { name: trends.name, kind: 'trends' }],
      ['insight.create', second.json().id, { name: 'Checkout', kind: 'funnel' }],
      ['insight.update', insight.id, { fields: ['name'] }],
      ['insight.update', insight.id, { fields: ['params', 'filters'] }],
      ['insight.delete', insight.id, { name: 'DAU by channel', kind: 'trends' }],
    ]);
    expect(audit.find((entry) => entry.target === insight.id)?.actor).toBe(insight.owner);
  });

  it('lets viewers read only, analysts change their own, admins anyone’s', async () => {
    const refused = await call('POST', base(), viewer, trends);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('ERR_AUTH_FORBIDDEN');

    const insight = (await call('POST', base(), alice, trends)).json();
    const url = `${base()}/${insight.id}`;
    for (const [method, body] of [
      ['PATCH', { name: 'mine now' }],
      ['DELETE', undefined],
    ] as const) {
      const byBob = await call(method, url, bob, body);
      expect(byBob.statusCode).toBe(403);
      expect(byBob.json().error.code).toBe('ERR_INSIGHT_NOT_OWNER');
      const byViewer = await call(method, url, viewer, body);
      expect(byViewer.json().error.code).toBe('ERR_AUTH_FORBIDDEN');
    }
    expect((await call('GET', url, alice)).json().name).toBe(trends.name);

    // An admin sees every insight as editable, changes and deletes it; the audit names the owner.
    expect((await call('GET', url, t.adminToken)).json().editable).toBe(true);
    const byAdmin = await call('PATCH', url, t.adminToken, { name: 'Renamed by admin' });
    expect(byAdmin.json()).toMatchObject({ name: 'Renamed by admin', owner: insight.owner });
    expect((await call('DELETE', url, t.adminToken)).statusCode).toBe(204);
    const [entry] = await t.app.services.audit.list({ action: 'insight.delete', limit: 1 });
    expect(entry?.details).toMatchObject({ owner: insight.owner });
    expect(entry?.actor).not.toBe(insight.owner);

    // Another project's insights are out of reach for a token of this one.
    await t.app.services.projects.create(
      { id: 'other', name: 'Other', timeZone: 'UTC', retentionDays: 30 },
      'test',
    );
    const elsewhere = await call('GET', '/api/v1/projects/other/insights', alice);
    expect(elsewhere.json().error.code).toBe('ERR_AUTH_FORBIDDEN');
    const crossed = await call(
      'GET',
      `/api/v1/projects/other/insights/${insight.id}`,
      t.adminToken,
    );
    expect(crossed.json().error.code).toBe('ERR_INSIGHT_NOT_FOUND');
    const missing = await call('GET', '/api/v1/projects/nope/insights', t.adminToken);
    expect(missing.json().error.code).toBe('ERR_PROJECT_NOT_FOUND');
  });

  it('refuses insights that could not run, with stable codes and nothing stored', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ ...trends, kind: 'kpis' }, 'ERR_INSIGHT_KIND_UNKNOWN', 'kpis'],
      [{ ...trends, kind: 'events' }, 'ERR_INSIGHT_KIND_UNKNOWN', 'events'],
      [{ ...trends, params: {} }, 'ERR_INSIGHT_PARAMS_INVALID', 'series'],
      [{ ...trends, params: { series: [] } }, 'ERR_INSIGHT_PARAMS_INVALID', 'series'],
      [{ ...funnel, params: { steps: [{ event: 'a' }] } }, 'ERR_INSIGHT_PARAMS_INVALID', 'steps'],
      [
        { ...trends, params: { ...trends.params, granularity: 'fortnight' } },
        'ERR_INSIGHT_PARAMS_INVALID',
        'granularity',
      ],
      [{ ...funnel, kind: 'paths', params: { steps: 99 } }, 'ERR_INSIGHT_PARAMS_INVALID', 'steps'],
      [
        { ...trends, params: { ...trends.params, pad: 'x'.repeat(40_000) } },
        'ERR_INSIGHT_PARAMS_INVALID',
        'characters',
      ],
    ];
    for (const [body, code, mentioned] of cases) {
      const answer = await call('POST', base(), alice, body);
      expect(answer.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(answer.json().error.code).toBe(code);
      expect(answer.json().error.message).toContain(mentioned);
    }
    const params = await call('POST', base(), alice, { ...trends, params: { series: [] } });
    expect(params.json().error.details).toEqual([{ path: 'series', message: expect.any(String) }]);
    // Request shape errors are the generic validation code.
    const noName = await call('POST', base(), alice, { ...trends, name: ' ' });
    expect(noName.json().error.code).toBe('ERR_REQUEST_INVALID');
    const badFilters = await call('POST', base(), alice, {
      ...trends,
      filters: { 'Bad Key': 'x' },
    });
    expect(badFilters.json().error.code).toBe('ERR_REQUEST_INVALID');

    // A change of kind alone is checked against the kept params.
    const insight = (await call('POST', base(), alice, funnel)).json();
    const asTrends = await call('PATCH', `${base()}/${insight.id}`, alice, { kind: 'trends' });
    expect(asTrends.json().error.code).toBe('ERR_INSIGHT_PARAMS_INVALID');
    const empty = await call('PATCH', `${base()}/${insight.id}`, alice, {});
    expect(empty.json().error.code).toBe('ERR_REQUEST_INVALID');

    const listed = (await call('GET', base(), alice)).json().insights;
    expect(listed).toHaveLength(1);
    expect(listed[0].kind).toBe('funnel');
  });

  it('documents every route in the OpenAPI document', async () => {
    const doc = (await t.app.fastify.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths['/api/v1/projects/{projectId}/insights'])).toEqual([
      'get',
      'post',
    ]);
    expect(Object.keys(doc.paths['/api/v1/projects/{projectId}/insights/{insightId}'])).toEqual([
      'get',
      'patch',
      'delete',
    ]);
    expect(Object.keys(doc.paths['/api/v1/projects/{projectId}/dashboards/{dashboardId}'])).toEqual(
      ['get', 'patch', 'delete'],
    );
  });
});

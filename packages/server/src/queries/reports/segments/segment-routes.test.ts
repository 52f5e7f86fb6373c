import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../../platform/index.ts';
import { createWriteBatch, type EventRow } from '../../../store/index.ts';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';

const DAY = 86_400_000;
// Local 2026-11-21 12:00 in Shanghai (the test project's zone).
const NOW = Date.parse('2026-11-21T04:00:00Z');

describe('segment routes', () => {
  let t: TestApp;
  let viewer: string;
  const clock = createFakeClock(NOW);
  const base = () => `/api/v1/projects/${t.project.id}/segments`;

  beforeEach(async () => {
    clock.set(NOW);
    t = await createTestApp({ clock });
    ({ token: viewer } = await t.app.services.auth.createToken(
      { name: 'viewer', role: 'viewer', projectId: 'shop' },
      'test',
    ));
    const view = (userId: string, ago: number, extra: Partial<EventRow> = {}) =>
      makeEventRow({
        projectId: t.project.id,
        userId,
        name: 'page_view',
        type: 'page',
        eventTime: NOW - ago,
        ...extra,
      });
    await t.app.services.eventStore.commit(
      createWriteBatch({
        events: [
          // "b,2" needs quoting in CSV; "=cmd" must not run as a spreadsheet formula.
          view('a1', DAY),
          view('a1', 2 * DAY),
          view('b,2', DAY),
          view('=cmd', 3 * DAY),
          view('old', 40 * DAY),
        ],
      }),
    );
  });
  afterEach(() => t.close());

  function call(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    token = t.adminToken,
  ) {
    return t.app.fastify.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
  }
  const recent = { kind: 'behavior', event: 'page_view', op: 'gte', count: 1, withinDays: 7 };

  it('creates, lists, changes, refreshes, exports and deletes a segment, auditing each', async () => {
    const created = await call('POST', base(), { name: 'Recent visitors', rules: [recent] });
    expect(created.statusCode).toBe(201);
    const segment = created.json();
    expect(segment).toMatchObject({
      name: 'Recent visitors',
      description: null,
      match: 'all',
      size: 3,
      refreshedAt: NOW,
      createdBy: expect.stringMatching(/^token:/),
    });
    const url = `${base()}/${segment.id}`;

    expect((await call('GET', base(), undefined, viewer)).json().segments).toHaveLength(1);
    expect((await call('GET', url, undefined, viewer)).json()).toEqual(segment);

    // Renaming keeps the members; changing the rules recomputes them.
    clock.set(NOW + 1_000);
    const renamed = (
      await call('PATCH', url, { name: 'Visitors', description: 'last week' })
    ).json();
    expect(renamed).toMatchObject({
      name: 'Visitors',
      description: 'last week',
      size: 3,
      refreshedAt: NOW,
    });
    const twice = { ...recent, count: 2 };
    const narrowed = (await call('PATCH', url, { rules: [twice] })).json();
    expect(narrowed).toMatchObject({ size: 1, refreshedAt: NOW + 1_000 });

    // New data shows after a refresh.
    await t.app.services.eventStore.commit(
      createWriteBatch({
        events: [
          makeEventRow({
            projectId: t.project.id,
            userId: 'b,2',
            name: 'page_view',
            eventTime: NOW - 1_000,
          }),
        ],
      }),
    );
    expect((await call('GET', url)).json().size).toBe(1);
    const refreshed = await call('POST', `${url}/refresh`);
    expect(refreshed.json()).toMatchObject({ size: 2 });

    const csv = await call('GET', `${url}/members.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toBe('\uFEFFperson_id\r\na1\r\n"b,2"\r\n');

    // A report filtered by the segment counts only its members: a1 ×2 and b,2 ×2 page views.
    const trend = await t.app.fastify.inject({
      method: 'POST',
      url: `/api/v1/projects/${t.project.id}/reports/trends`,
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload: {
        range: 'last_7_days',
        granularity: 'all',
        segmentId: segment.id,
        series: [{ metric: 'pv' }],
      },
    });
    expect(trend.json().result.series[0].groups[0].values).toEqual([4]);

    expect((await call('DELETE', url)).statusCode).toBe(204);
    const gone = await call('GET', url);
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ error: { code: 'ERR_SEGMENT_NOT_FOUND' } });
    const left = await t.app.services.eventStore.query(
      `SELECT count(*) AS n FROM segment_members WHERE segment_id = $1`,
      [segment.id],
    );
    expect(left[0]?.n).toBe(0);

    const audit = await t.app.services.audit.list({ projectId: t.project.id, limit: 20 });
    const actions = audit.map((entry) => entry.action).reverse();
    expect(actions.filter((a) => a.startsWith('segment.') || a === 'data.export')).toEqual([
      'segment.create',
      'segment.update',
      'segment.update',
      'segment.refresh',
      'data.export',
      'segment.delete',
    ]);
    expect(audit.find((entry) => entry.action === 'data.export')).toMatchObject({
      target: `segment:${segment.id}`,
      details: { format: 'csv', rows: 2 },
    });
  });

  it('previews the size of an unsaved definition, escaping formula-like ids in exports', async () => {
    const preview = await call(
      'POST',
      `${base()}/preview`,
      { match: 'any', rules: [recent] },
      viewer,
    );
    expect(preview.json()).toEqual({ size: 3, at: NOW });
    const created = (
      await call('POST', base(), { name: 'All', rules: [{ ...recent, withinDays: 365 }] })
    ).json();
    expect(created.size).toBe(4);
    const csv = await call('GET', `${base()}/${created.id}/members.csv`);
    expect(csv.body).toBe('\uFEFFperson_id\r\n\'=cmd\r\na1\r\n"b,2"\r\nold\r\n');
  });

  it('validates definitions and requires data:export to change or export', async () => {
    const invalid = await call('POST', base(), {
      name: 'x',
      rules: [{ kind: 'behavior', event: 'page_view', op: 'gte', count: 1, withinDays: 366 }],
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ error: { code: 'ERR_REQUEST_INVALID' } });
    const noRules = await call('POST', base(), { name: 'x', rules: [] });
    expect(noRules.statusCode).toBe(400);
    const badProperty = await call('POST', `${base()}/preview`, {
      rules: [{ kind: 'property', dimension: 'nope', op: 'eq', value: 'x' }],
    });
    expect(badProperty.json()).toMatchObject({
      error: { code: 'ERR_QUERY_DIMENSION_UNSUPPORTED' },
    });

    const forbidden = await call('POST', base(), { name: 'x', rules: [recent] }, viewer);
    expect(forbidden.statusCode).toBe(403);
    const created = (await call('POST', base(), { name: 'x', rules: [recent] })).json();
    for (const [method, path] of [
      ['POST', `/${created.id}/refresh`],
      ['PATCH', `/${created.id}`],
      ['DELETE', `/${created.id}`],
      ['GET', `/${created.id}/members.csv`],
    ] as const) {
      const res = await call(
        method,
        `${base()}${path}`,
        method === 'PATCH' ? { name: 'y' } : undefined,
        viewer,
      );
      expect(res.statusCode, `${method} ${path}`).toBe(403);
    }
    const doc = (await call('GET', '/openapi.json')).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/projects/{projectId}/segments',
        '/api/v1/projects/{projectId}/segments/preview',
        '/api/v1/projects/{projectId}/segments/{segmentId}/members.csv',
        '/api/v1/projects/{projectId}/campaign-costs',
        '/api/v1/projects/{projectId}/reports/rfm',
        '/api/v1/projects/{projectId}/reports/attribution.csv',
      ]),
    );
    const missing = await call('POST', `${base()}/seg_nope/refresh`);
    expect(missing.json()).toMatchObject({ error: { code: 'ERR_SEGMENT_NOT_FOUND' } });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../../platform/index.ts';
import { createWriteBatch } from '../../../store/index.ts';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';

// Local 2026-11-21 12:00 in Shanghai, the test project's zone.
const NOW = Date.parse('2026-11-21T04:00:00Z');
const D20 = Date.parse('2026-11-19T16:00:00Z');
const STACK =
  'TypeError: x is undefined\n    at render (https://shop.example.com/js/app.1a2b3c4d.js:1:2)';

describe('POST /api/v1/projects/:projectId/reports/api_sli and error_groups', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ clock: createFakeClock(NOW) });
    const api = (at: number, status: number, ms: number) =>
      makeEventRow({
        projectId: 'shop',
        type: 'api',
        name: 'api_call',
        eventTime: at,
        status,
        durationMs: ms,
        props: JSON.stringify({ route: '/api/cart', method: 'GET' }),
      });
    const error = (at: number, userId: string) =>
      makeEventRow({
        projectId: 'shop',
        type: 'error',
        name: 'js_error',
        eventTime: at,
        userId,
        release: 'web@1.0.0',
        props: JSON.stringify({ message: 'TypeError: x is undefined', stack: STACK }),
      });
    await t.app.services.eventStore.commit(
      createWriteBatch({
        events: [
          api(D20 + 1_000, 200, 100),
          api(D20 + 2_000, 500, 300),
          api(D20 + 3_000, 200, 200),
          api(D20 + 4_000, 404, 400),
          error(D20 + 1_000, 'u1'),
          error(D20 + 2_000, 'u2'),
          error(D20 + 3_000, 'u1'),
        ],
      }),
    );
  });
  afterAll(() => t.close());

  const post = (report: string, payload: Record<string, unknown>) =>
    t.app.fastify.inject({
      method: 'POST',
      url: `/api/v1/projects/shop/reports/${report}`,
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload,
    });

  it('documents every report of this area in OpenAPI', async () => {
    const res = await t.app.fastify.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json<{ paths: Record<string, unknown> }>().paths);
    for (const report of [
      'api_sli',
      'error_groups',
      'top_products',
      'agent_leaderboard',
      'commission_anomalies_input',
      'service_stats',
    ])
      expect(paths).toContain(`/api/v1/projects/{projectId}/reports/${report}`);
  });

  it('answers API SLIs as JSON and CSV', async () => {
    const body = { from: '2026-11-20', to: '2026-11-20', slowThresholdMs: 250 };
    const res = await post('api_sli', body);
    expect(res.statusCode).toBe(200);
    const [cart] = res.json().result.endpoints;
    expect(cart).toMatchObject({
      endpoint: 'GET /api/cart',
      requests: 4,
      availability: 0.75,
      errorRate: 0.5,
      slow: true, // p95 of 100 200 300 400 is 385
    });
    expect(cart.latencyMs.p50).toBe(250);
    const csv = await post('api_sli.csv', body);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'endpoint,requests,availability,error_rate,5xx_rate,timeout_rate,p50_ms,p90_ms,p95_ms,p99_ms,qps_avg,qps_peak,slow',
    );
    expect(lines[1]?.startsWith('GET /api/cart,4,0.75,0.5,0.25,0,250,')).toBe(true);
  });

  it('answers error groups as JSON and CSV, refusing a malformed fingerprint', async () => {
    const body = { from: '2026-11-20', to: '2026-11-20' };
    const res = await post('error_groups', body);
    expect(res.statusCode).toBe(200);
    expect(res.json().result.groups).toMatchObject([
      {
        title: 'TypeError: x is undefined',
        count: 3,
        users: 2,
        releases: [{ release: 'web@1.0.0', count: 3 }],
      },
    ]);
    const csv = await post('error_groups.csv', body);
    expect(csv.statusCode).toBe(200);
    const [header, row] = csv.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(header).toBe(
      'fingerprint,type,title,count,users,first_seen,last_seen,releases,top_pages',
    );
    expect(row).toContain(',TypeError,TypeError: x is undefined,3,2,');
    const bad = await post('error_groups', { ...body, fingerprint: 'not-hex' });
    expect(bad.statusCode).toBe(400);
  });
});

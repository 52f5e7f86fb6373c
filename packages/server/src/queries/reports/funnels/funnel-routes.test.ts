import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../../platform/index.ts';
import { createWriteBatch } from '../../../store/index.ts';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';

// The test project is in Asia/Shanghai: local 2026-11-20 is 2026-11-19T16:00Z … 11-20T16:00Z.
const NOW = Date.parse('2026-11-22T04:00:00Z');
const at = (iso: string) => Date.parse(iso);

describe('POST /api/v1/projects/:projectId/reports/funnel', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ clock: createFakeClock(NOW) });
    const ev = (userId: string, name: string, iso: string, amount: number | null = null) =>
      makeEventRow({
        projectId: t.project.id,
        userId,
        name,
        eventTime: at(iso),
        receivedAt: at(iso),
        amount,
      });
    await t.app.services.eventStore.commit(
      createWriteBatch({
        events: [
          ev('u1', 'view_product', '2026-11-19T16:00:00Z'),
          ev('u1', 'order_completed', '2026-11-19T16:30:00Z', 2_500),
          ev('u2', 'view_product', '2026-11-20T10:00:00Z'),
          ev('u2', 'order_completed', '2026-11-21T09:00:00Z', 1_000), // next day, in the window
          ev('u3', 'view_product', '2026-11-20T11:00:00Z'),
          ev('u4', 'view_product', '2026-11-19T15:00:00Z'), // local 19th: outside the range
          ev('u4', 'order_completed', '2026-11-19T17:00:00Z', 9_000),
        ],
      }),
    );
  });
  afterAll(() => t.close());

  const body = {
    from: '2026-11-20',
    to: '2026-11-20',
    steps: [{ event: 'view_product', label: 'Viewed' }, { event: 'order_completed' }],
  };
  const post = (path: string, payload: Record<string, unknown>) =>
    t.app.fastify.inject({
      method: 'POST',
      url: `/api/v1/projects/${t.project.id}/reports/${path}`,
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload,
    });

  it('answers counts, conversion, times and revenue in JSON', async () => {
    const res = await post('funnel', body);
    expect(res.statusCode).toBe(200);
    const { result } = res.json();
    expect(result.order).toBe('ordered');
    expect(result.steps.map((s: { count: number }) => s.count)).toEqual([3, 2]);
    // u1 30 min, u2 23 h.
    expect(result.steps[1]).toMatchObject({
      conversionFromPrevious: 2 / 3,
      dropOff: 1,
      medianSecondsToConvert: (1_800 + 82_800) / 2,
      revenue: 3_500,
    });
    expect(result.overallConversion).toBe(2 / 3);
  });

  it('exports the same numbers as CSV', async () => {
    const res = await post('funnel.csv', body);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.replace('\uFEFF', '').trim().split('\r\n');
    expect(lines[0]).toBe(
      'group,step,label,count,conversion_from_first,conversion_from_previous,drop_off,' +
        'median_seconds_to_convert,avg_seconds_to_convert,revenue',
    );
    expect(lines.slice(1)).toEqual([
      ',1,Viewed,3,1,,,,,0',
      `,2,order_completed,2,${2 / 3},${2 / 3},1,42300,42300,3500`,
    ]);
  });

  it('documents the funnel and paths reports in OpenAPI', async () => {
    const res = await t.app.fastify.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json<{ paths: Record<string, unknown> }>().paths);
    for (const report of ['funnel', 'funnel.csv', 'paths', 'paths.csv'])
      expect(paths).toContain(`/api/v1/projects/{projectId}/reports/${report}`);
  });

  it('refuses an invalid funnel with a 400', async () => {
    const res = await post('funnel', { ...body, steps: [{ event: 'view_product' }] });
    expect(res.statusCode).toBe(400);
  });
});

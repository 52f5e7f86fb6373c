import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../../platform/index.ts';
import { createWriteBatch } from '../../../store/index.ts';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { EVENTS, IDENTITIES, NOW } from './retention-test-data.ts';

// The test project is in Asia/Shanghai, like the data of retention-test-data.ts.
describe('retention, lifecycle and stickiness routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ clock: createFakeClock(NOW) });
    const projectId = t.project.id;
    await t.app.services.eventStore.commit(
      createWriteBatch({
        events: EVENTS.map((e) => ({ ...e, projectId })),
        identities: IDENTITIES.map((i) => ({ ...i, projectId })),
      }),
    );
  });
  afterAll(() => t.close());

  const post = (path: string, body: Record<string, unknown>) =>
    t.app.fastify.inject({
      method: 'POST',
      url: `/api/v1/projects/${t.project.id}/reports/${path}`,
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload: body,
    });
  const range = { from: '2026-11-20', to: '2026-11-22' };

  it('answers the retention matrix as JSON', async () => {
    const res = await post('retention', { ...range, periods: 2 });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ report: 'retention', from: '2026-11-19T16:00:00.000Z' });
    expect(body.result.cohorts[1]).toMatchObject({ label: '2026-11-21', size: 2 });
    // u3 (one of u3 and u4) came back on the 22nd, as the anonymous id linked to u3.
    expect(body.result.cohorts[1].cells[1]).toEqual({
      offset: 1,
      count: 1,
      value: 0.5,
      complete: true,
    });
    expect(body.result.average.cells[1].value).toBe(0.6);
  });

  it('exports the matrix as CSV', async () => {
    const res = await post('retention.csv', { ...range, periods: 1 });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.body).toBe(
      '\uFEFFcohort,size,measure,D0,D1\r\n' +
        '2026-11-20,2,retained,2,2\r\n' +
        '2026-11-20,2,rate,1,1\r\n' +
        '2026-11-21,2,retained,2,1\r\n' +
        '2026-11-21,2,rate,1,0.5\r\n' +
        '2026-11-22,1,retained,1,0\r\n' +
        '2026-11-22,1,rate,1,0\r\n' +
        'average,5,rate,1,0.6\r\n',
    );
  });

  it('refuses params that do not fit together with ERR_QUERY_INVALID', async () => {
    const res = await post('retention', { ...range, value: 'repeat_purchase', cohortBy: 'signup' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('ERR_QUERY_INVALID');
  });

  it('answers lifecycle and stickiness', async () => {
    const lifecycle = await post('lifecycle', { ...range, granularity: 'day' });
    expect(lifecycle.statusCode).toBe(200);
    expect(lifecycle.json().result.buckets[1]).toMatchObject({
      label: '2026-11-21',
      new: 1,
      returning: 2,
      resurrecting: 1,
      dormant: 0,
    });
    const stickiness = await post('stickiness.csv', { ...range });
    expect(stickiness.statusCode).toBe(200);
    // 20th–22nd: u4 and u5 one day; u1, u2 and u3 two days.
    expect(stickiness.body).toBe(
      '\uFEFFdays_active,people,share\r\n1,2,0.4\r\n2,3,0.6\r\n3,0,0\r\n',
    );
  });
});

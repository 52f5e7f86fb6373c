import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../../platform/index.ts';
import { createWriteBatch } from '../../../store/index.ts';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';

// The test project is in Asia/Shanghai: local 2026-11-20 is 2026-11-19T16:00Z … 11-20T16:00Z.
const NOW = Date.parse('2026-11-22T04:00:00Z');
const T = Date.parse('2026-11-20T02:00:00Z');

describe('POST /api/v1/projects/:projectId/reports/paths', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ clock: createFakeClock(NOW) });
    const view = (userId: string, seconds: number, page: string) =>
      makeEventRow({
        projectId: t.project.id,
        userId,
        sessionId: `${userId}-s`,
        type: 'page',
        name: 'page_view',
        page,
        eventTime: T + seconds * 1000,
        receivedAt: T + seconds * 1000,
      });
    await t.app.services.eventStore.commit(
      createWriteBatch({
        events: [
          view('u1', 0, '/home'),
          view('u1', 10, '/list'),
          view('u1', 20, '/item'),
          view('u2', 0, '/home'),
          view('u2', 10, '/list'),
          view('u3', 0, '/home'),
        ],
      }),
    );
  });
  afterAll(() => t.close());

  const body = {
    from: '2026-11-20',
    to: '2026-11-20',
    start: { event: 'page_view', filters: [{ dimension: 'page', op: 'eq', value: '/home' }] },
    eventType: 'page',
    steps: 2,
  };
  const post = (path: string) =>
    t.app.fastify.inject({
      method: 'POST',
      url: `/api/v1/projects/${t.project.id}/reports/${path}`,
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload: body,
    });

  it('answers top paths, drop-offs and sankey links in JSON', async () => {
    const res = await post('paths');
    expect(res.statusCode).toBe(200);
    const { result } = res.json();
    expect(result.totals).toEqual({ occurrences: 3, people: 3, personPaths: 3 });
    expect(result.topPaths[0]).toEqual({
      nodes: ['/home', '/list', '/item'],
      people: 1,
      occurrences: 1,
    });
    expect(result.sankey.links).toEqual([
      { source: '0:/home', target: '1:/list', value: 2 },
      { source: '1:/list', target: '2:/item', value: 1 },
    ]);
  });

  it('exports the same numbers as CSV', async () => {
    const res = await post('paths.csv');
    expect(res.statusCode).toBe(200);
    const lines = res.body.replace('\uFEFF', '').trim().split('\r\n');
    expect(lines).toEqual([
      'kind,path,depth,people,count,drop_off_rate',
      'path,/home > /list > /item,2,1,1,',
      'path,/home > /list,1,1,1,',
      'path,/home,0,1,1,',
      'drop_off,/home,0,1,1,0.3333333333333333',
      'drop_off,/list,1,1,1,0.5',
      'link,0:/home > 1:/list,0,,2,',
      'link,1:/list > 2:/item,1,,1,',
    ]);
  });
});

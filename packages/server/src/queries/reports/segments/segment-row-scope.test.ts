import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../../platform/index.ts';
import { createWriteBatch } from '../../../store/index.ts';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';
import { createQueryFixture } from '../../../testing/query-fixture.ts';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { segmentMatchSchema } from './segment-definition.ts';
import { readScopedSegmentMembers, refreshSegmentMembers } from './segment-members.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-21T04:00:00Z');
const WECHAT = [{ dimension: 'channel', op: 'eq', value: 'wechat' }] as const;
const recent = { kind: 'behavior', event: 'page_view', op: 'gte', count: 1, withinDays: 7 };

/** Page views: w1 and w2 came through wechat (w2 also through douyin), d1 and d2 only douyin. */
function visits(projectId: string) {
  const view = (userId: string, ago: number, channel: string) =>
    makeEventRow({
      projectId,
      userId,
      name: 'page_view',
      type: 'page',
      eventTime: NOW - ago,
      channel,
    });
  return [
    view('w1', DAY, 'wechat'),
    view('w2', 2 * DAY, 'wechat'),
    view('w2', DAY, 'douyin'),
    view('d1', DAY, 'douyin'),
    view('d1', DAY + 60_000, 'douyin'),
    view('d2', 3 * DAY, 'douyin'),
  ];
}

describe('segments under a row-level scope', () => {
  let t: TestApp;
  let scoped: string;
  const clock = createFakeClock(NOW);
  const base = () => `/api/v1/projects/${t.project.id}/segments`;

  beforeEach(async () => {
    clock.set(NOW);
    t = await createTestApp({ clock });
    ({ token: scoped } = await t.app.services.auth.createToken(
      { name: 'wechat team', role: 'analyst', projectId: 'shop', rowScope: [...WECHAT] },
      'test',
    ));
    await t.app.services.eventStore.commit(createWriteBatch({ events: visits(t.project.id) }));
  });
  afterEach(() => t.close());

  const call = (method: 'GET' | 'POST', url: string, body?: unknown, token = t.adminToken) =>
    t.app.fastify.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
  const pageViews = async (segmentId: string, token: string) =>
    (
      await call(
        'POST',
        `/api/v1/projects/${t.project.id}/reports/trends`,
        { range: 'last_7_days', granularity: 'all', segmentId, series: [{ metric: 'pv' }] },
        token,
      )
    ).json().result.series[0].groups[0].values;

  it('previews, exports and refreshes within the caller scope; reports apply both', async () => {
    const preview = (token: string) =>
      call('POST', `${base()}/preview`, { rules: [recent] }, token);
    expect((await preview(t.adminToken)).json().size).toBe(4);
    expect((await preview(scoped)).json().size).toBe(2);

    // Created by the admin: everyone. The scoped caller's export names only w1 and w2.
    const segment = (await call('POST', base(), { name: 'Recent', rules: [recent] })).json();
    expect(segment.size).toBe(4);
    const url = `${base()}/${segment.id}`;
    expect((await call('GET', `${url}/members.csv`, undefined, scoped)).body).toBe(
      '\uFEFFperson_id\r\nw1\r\nw2\r\n',
    );
    expect((await call('GET', `${url}/members.csv`)).body).toBe(
      '\uFEFFperson_id\r\nd1\r\nd2\r\nw1\r\nw2\r\n',
    );
    const [exported] = await t.app.services.audit.list({ action: 'data.export', limit: 2 });
    expect(exported?.details).not.toHaveProperty('rowScope');
    const [scopedExport] = (
      await t.app.services.audit.list({ action: 'data.export', limit: 2 })
    ).slice(1);
    expect(scopedExport?.details).toMatchObject({ rowScope: WECHAT });

    // Reports on the segment still apply the caller's scope: wechat views of w1 and w2 (2),
    // against every view of the four members (6) for the admin.
    expect(await pageViews(segment.id, scoped)).toEqual([2]);
    expect(await pageViews(segment.id, t.adminToken)).toEqual([6]);

    // Refreshed by the scoped caller: members are computed within their scope, for everyone.
    const refreshed = await call('POST', `${url}/refresh`, undefined, scoped);
    expect(refreshed.json().size).toBe(2);
    const [entry] = await t.app.services.audit.list({ action: 'segment.refresh', limit: 1 });
    expect(entry?.details).toEqual({ size: 2, rowScope: WECHAT });
    expect((await call('GET', `${url}/members.csv`)).body).toBe('\uFEFFperson_id\r\nw1\r\nw2\r\n');
    // Past the result cache's freshness window for live ranges (10 s), the admin sees the
    // new members: w1's view and both of w2's.
    clock.advance(11_000);
    expect(await pageViews(segment.id, t.adminToken)).toEqual([3]);
  });

  it('refuses a scope events cannot apply before any member is streamed', async () => {
    const { token: couponed } = await t.app.services.auth.createToken(
      {
        name: 'coupon team',
        role: 'analyst',
        projectId: 'shop',
        rowScope: [{ dimension: 'coupon', op: 'eq', value: 'C1' }],
      },
      'test',
    );
    const preview = await call('POST', `${base()}/preview`, { rules: [recent] }, couponed);
    expect(preview.statusCode).toBe(400);
    expect(preview.json().error.code).toBe('ERR_QUERY_DIMENSION_UNSUPPORTED');
    const segment = (await call('POST', base(), { name: 'Recent', rules: [recent] })).json();
    const csv = await call('GET', `${base()}/${segment.id}/members.csv`, undefined, couponed);
    expect(csv.statusCode).toBe(400);
    expect(csv.json().error.code).toBe('ERR_QUERY_DIMENSION_UNSUPPORTED');
    const refresh = await call('POST', `${base()}/${segment.id}/refresh`, undefined, couponed);
    expect(refresh.statusCode).toBe(400);
    // The refused refresh left the members alone.
    expect((await call('GET', `${base()}/${segment.id}`)).json().size).toBe(4);
  });
});

describe('readScopedSegmentMembers', () => {
  it('pages through the members with an event in the scope', async () => {
    const f = await createQueryFixture();
    try {
      await f.load({ events: visits('p_test') });
      const scope = { store: f.store, projectId: 'p_test', now: NOW };
      const everyone = segmentMatchSchema.parse({ rules: [recent] });
      expect(await refreshSegmentMembers(scope, 'seg', everyone)).toBe(4);
      const read = async (rowScope: readonly (typeof WECHAT)[number][]) => {
        const pages: string[][] = [];
        for await (const page of readScopedSegmentMembers({ ...scope, rowScope }, 'seg', 1))
          pages.push(page);
        return pages;
      };
      expect(await read(WECHAT)).toEqual([['w1'], ['w2']]);
      expect(await read([])).toEqual([['d1'], ['d2'], ['w1'], ['w2']]);
    } finally {
      await f.close();
    }
  });
});

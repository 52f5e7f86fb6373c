import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../auth/index.ts';
import { createFakeClock } from '../platform/index.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

const NOW = Date.parse('2026-11-21T04:00:00Z');

describe('dashboard routes', () => {
  let t: TestApp;
  /** An analyst signed in with a session (owner `user:<id>`). */
  let alice: { cookie: string; id: string };
  let bob: string;
  let viewer: string;
  let trendsId: string;
  let funnelId: string;
  const clock = createFakeClock(NOW);
  const base = () => `/api/v1/projects/${t.project.id}/dashboards`;

  type Who = string | { cookie: string };
  function call(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    who: Who,
    body?: unknown,
  ) {
    return t.app.fastify.inject({
      method,
      url,
      headers:
        typeof who === 'string'
          ? { authorization: `Bearer ${who}` }
          : { cookie: `${SESSION_COOKIE}=${who.cookie}` },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
  }

  beforeEach(async () => {
    clock.set(NOW);
    t = await createTestApp({ clock });
    const { auth } = t.app.services;
    const password = 'correct horse battery staple';
    const { user } = await auth.createUser(
      { email: 'alice@example.com', password, role: 'analyst', projectIds: ['shop'] },
      'test',
    );
    alice = { cookie: (await auth.login('alice@example.com', password)).sessionToken, id: user.id };
    bob = (await auth.createToken({ name: 'bob', role: 'analyst', projectId: 'shop' }, 'test'))
      .token;
    viewer = (await auth.createToken({ name: 'v', role: 'viewer', projectId: 'shop' }, 'test'))
      .token;
    const save = async (body: Record<string, unknown>) => {
      const answer = await call('POST', `/api/v1/projects/shop/insights`, alice, body);
      expect(answer.statusCode, answer.body).toBe(201);
      return answer.json().id as string;
    };
    trendsId = await save({ name: 'GMV', kind: 'trends', params: { series: [{ metric: 'gmv' }] } });
    funnelId = await save({
      name: 'Checkout',
      kind: 'funnel',
      params: { steps: [{ event: 'add_to_cart' }, { event: 'order_completed' }] },
    });
  });
  afterEach(() => t.close());

  it('composes, reorders, shares and deletes a dashboard; private ones stay private', async () => {
    const created = await call('POST', base(), alice, {
      name: 'Weekly',
      layout: [{ insightId: trendsId, width: 2 }, { insightId: funnelId }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const board = created.json();
    expect(board).toMatchObject({
      id: expect.stringMatching(/^dsh_/),
      name: 'Weekly',
      owner: `user:${alice.id}`,
      layout: [
        { insightId: trendsId, width: 2 },
        { insightId: funnelId, width: 1 },
      ],
      shared: false,
      editable: true,
    });
    const url = `${base()}/${board.id}`;

    // Not shared: its owner and admins see it; others do not even learn it exists.
    expect((await call('GET', base(), alice)).json().dashboards).toHaveLength(1);
    expect((await call('GET', base(), t.adminToken)).json().dashboards).toHaveLength(1);
    expect((await call('GET', base(), bob)).json().dashboards).toEqual([]);
    for (const who of [bob, viewer]) {
      const hidden = await call('GET', url, who);
      expect(hidden.statusCode).toBe(404);
      expect(hidden.json().error.code).toBe('ERR_INSIGHT_DASHBOARD_NOT_FOUND');
    }
    expect((await call('PATCH', url, bob, { name: 'x' })).json().error.code).toBe(
      'ERR_INSIGHT_DASHBOARD_NOT_FOUND',
    );

    // Viewing brings the insights of the tiles.
    const viewed = (await call('GET', url, alice)).json();
    expect(viewed.insights.map((i: { id: string }) => i.id).sort()).toEqual(
      [trendsId, funnelId].sort(),
    );
    expect(viewed.insights.find((i: { id: string }) => i.id === funnelId)).toMatchObject({
      kind: 'funnel',
      params: { steps: [{ event: 'add_to_cart' }, { event: 'order_completed' }] },
    });

    // Reorder, change a width, then share.
    clock.advance(1_000);
    const reordered = await call('PATCH', url, alice, {
      layout: [
        { insightId: funnelId, width: 2 },
        { insightId: trendsId, width: 1 },
      ],
    });
    expect(reordered.json()).toMatchObject({
      layout: [
        { insightId: funnelId, width: 2 },
        { insightId: trendsId, width: 1 },
      ],
      updatedAt: NOW + 1_000,
    });
    expect((await call('PATCH', url, alice, { shared: true })).json().shared).toBe(true);

    // Shared: everyone on the project sees it, nobody but the owner (or an admin) changes it.
    for (const who of [bob, viewer]) {
      const listed = (await call('GET', base(), who)).json().dashboards;
      expect(listed.map((d: { id: string; editable: boolean }) => [d.id, d.editable])).toEqual([
        [board.id, false],
      ]);
      expect((await call('GET', url, who)).json().insights).toHaveLength(2);
    }
    const byBob = await call('PATCH', url, bob, { shared: false });
    expect(byBob.statusCode).toBe(403);
    expect(byBob.json().error.code).toBe('ERR_INSIGHT_NOT_OWNER');
    expect((await call('DELETE', url, bob)).json().error.code).toBe('ERR_INSIGHT_NOT_OWNER');
    expect((await call('DELETE', url, viewer)).json().error.code).toBe('ERR_AUTH_FORBIDDEN');
    expect((await call('POST', base(), viewer, { name: 'v' })).json().error.code).toBe(
      'ERR_AUTH_FORBIDDEN',
    );

    // An admin may change and delete anyone's dashboard.
    expect((await call('PATCH', url, t.adminToken, { name: 'Weekly review' })).statusCode).toBe(
      200,
    );
    expect((await call('DELETE', url, t.adminToken)).statusCode).toBe(204);
    expect((await call('GET', url, alice)).statusCode).toBe(404);

    const audit = await t.app.services.audit.list({ projectId: 'shop', limit: 30 });
    const entries = audit.filter((entry) => entry.action.startsWith('dashboard.')).reverse();
    expect(entries.map((entry) => [entry.action, entry.details])).toEqual([
      ['dashboard.create', { name: 'Weekly', tiles: 2, shared: false }],
      ['dashboard.update', { fields: ['layout'], tiles: 2 }],
      ['dashboard.update', { fields: ['shared'], shared: true }],
      ['dashboard.update', { fields: ['name'], owner: `user:${alice.id}` }],
      ['dashboard.delete', { name: 'Weekly review', owner: `user:${alice.id}` }],
    ]);
    expect(entries[0]?.actor).toBe(`user:${alice.id}`);
  });

  it('refuses tiles of unknown insights and bad widths', async () => {
    await t.app.services.projects.create(
      { id: 'other', name: 'Other', timeZone: 'UTC', retentionDays: 30 },
      'test',
    );
    const elsewhere = await call('POST', '/api/v1/projects/other/insights', t.adminToken, {
      name: 'Other GMV',
      kind: 'trends',
      params: { series: [{ metric: 'gmv' }] },
    });
    for (const insightId of ['ins_missing', elsewhere.json().id as string]) {
      const answer = await call('POST', base(), alice, {
        name: 'Broken',
        layout: [{ insightId: trendsId }, { insightId }],
      });
      expect(answer.statusCode).toBe(400);
      expect(answer.json().error).toMatchObject({
        code: 'ERR_INSIGHT_TILE_INVALID',
        message: `Tile 1 names insight ${insightId}, which is not saved in this project`,
      });
    }
    const wide = await call('POST', base(), alice, {
      name: 'Wide',
      layout: [{ insightId: trendsId, width: 3 }],
    });
    expect(wide.json().error.code).toBe('ERR_REQUEST_INVALID');
    const board = (await call('POST', base(), alice, { name: 'Empty' })).json();
    expect(board).toMatchObject({ layout: [], shared: false });
    const patched = await call('PATCH', `${base()}/${board.id}`, alice, {
      layout: [{ insightId: 'ins_missing' }],
    });
    expect(patched.json().error.code).toBe('ERR_INSIGHT_TILE_INVALID');
    expect((await call('GET', base(), alice)).json().dashboards).toHaveLength(1);
  });

  it('removes a deleted insight from every dashboard that showed it', async () => {
    const mine = (
      await call('POST', base(), alice, {
        name: 'Mine',
        layout: [{ insightId: trendsId }, { insightId: funnelId }, { insightId: trendsId }],
      })
    ).json();
    const theirs = (
      await call('POST', base(), bob, {
        name: 'Theirs',
        shared: true,
        layout: [{ insightId: funnelId, width: 2 }],
      })
    ).json();
    expect(
      (await call('DELETE', `/api/v1/projects/shop/insights/${trendsId}`, alice)).statusCode,
    ).toBe(204);
    expect((await call('GET', `${base()}/${mine.id}`, alice)).json().layout).toEqual([
      { insightId: funnelId, width: 1 },
    ]);
    expect((await call('GET', `${base()}/${theirs.id}`, bob)).json().layout).toHaveLength(1);
    expect(
      (await call('DELETE', `/api/v1/projects/shop/insights/${funnelId}`, alice)).statusCode,
    ).toBe(204);
    expect((await call('GET', `${base()}/${theirs.id}`, bob)).json()).toMatchObject({
      layout: [],
      insights: [],
    });
    const deletions = await t.app.services.audit.list({ action: 'insight.delete', limit: 5 });
    expect(deletions.map((entry) => entry.details.removedFromDashboards).reverse()).toEqual([
      [mine.id],
      expect.arrayContaining([mine.id, theirs.id]),
    ]);
  });
});

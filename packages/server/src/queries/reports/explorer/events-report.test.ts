import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../../platform/index.ts';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import type { EventsResult, ListedEvent } from './events-report.ts';

// Local 2026-11-21 12:00 in Shanghai (the test project's zone): `today` began 12 hours ago.
const NOW = Date.parse('2026-11-21T04:00:00Z');
const DAY = 86_400_000;
const BROWSER =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) ' +
  'Chrome/120.0.0.0 Safari/537.36';

interface Sent {
  id: string;
  ts: number;
  [field: string]: unknown;
}

/** Ids sorted as the list sorts them within one millisecond: descending text. */
const descending = (ids: string[]) => [...ids].sort((a, b) => (a < b ? 1 : -1));

describe('event explorer reports (events, event_detail)', () => {
  let t: TestApp;
  let douyinOnly: string;
  let viewer: string;
  const clock = createFakeClock(NOW);
  const sent: Record<string, Sent> = {};

  async function send(events: Array<Record<string, unknown>>) {
    const answer = await t.app.fastify.inject({
      method: 'POST',
      url: '/api/v1/batch',
      headers: { 'x-sightline-key': t.project.writeKey, 'user-agent': BROWSER },
      payload: { batch: events },
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ accepted: events.length, rejected: [] });
  }

  /** Sends one event `ago` ms before now under a test name, and remembers it. */
  function event(key: string, ago: number, fields: Record<string, unknown>): Sent {
    const made = { id: randomUUID(), ts: NOW - ago, ...fields };
    sent[key] = made;
    return made;
  }
  const wire = ({ id, ...rest }: Sent) => ({ event_id: id, ...rest });

  function report(name: string, body: Record<string, unknown>, token = t.adminToken) {
    return t.app.fastify.inject({
      method: 'POST',
      url: `/api/v1/projects/${t.project.id}/reports/${name}`,
      headers: { authorization: `Bearer ${token}` },
      payload: body,
    });
  }
  async function list(body: Record<string, unknown>, token = t.adminToken) {
    const answer = await report('events', { range: 'today', ...body }, token);
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json<{ cached: boolean; result: EventsResult }>();
  }
  const idsOf = (events: ListedEvent[]) => events.map((e) => e.eventId);
  const keysOf = (events: ListedEvent[]) =>
    events.map((e) => Object.keys(sent).find((key) => sent[key]?.id === e.eventId));

  beforeEach(async () => {
    clock.set(NOW);
    t = await createTestApp({ clock });
    ({ token: douyinOnly } = await t.app.services.auth.createToken(
      {
        name: 'douyin team',
        role: 'analyst',
        projectId: 'shop',
        rowScope: [{ dimension: 'channel', op: 'eq', value: 'douyin' }],
      },
      'test',
    ));
    ({ token: viewer } = await t.app.services.auth.createToken(
      { name: 'viewer', role: 'viewer', projectId: 'shop' },
      'test',
    ));
    await send(
      [
        event('home', 60_000, {
          type: 'page',
          user_id: 'u1',
          anonymous_id: 'a1',
          page: '/home',
          channel: 'wechat',
        }),
        event('cart', 50_000, {
          type: 'event',
          name: 'add_to_cart',
          user_id: 'u2',
          channel: 'douyin',
          props: { sku: 'S1', qty: 2 },
        }),
        event('error', 40_000, {
          type: 'error',
          anonymous_id: 'a2',
          page: '/cart',
          channel: 'wechat',
          message: 'TypeError: Cannot read x',
          stack: 'at f (app.js:1:2)',
        }),
        event('api', 30_000, {
          type: 'api',
          user_id: 'u1',
          page: '/api/cart',
          status: 500,
          duration_ms: 120,
          channel: 'wechat',
        }),
        // Two events in the same millisecond: ordered by event id, descending.
        event('tieA', 20_000, {
          type: 'page',
          user_id: 'U3',
          page: '/product/p1',
          channel: 'douyin',
        }),
        event('tieB', 20_000, { type: 'event', name: 'share', user_id: 'u3', channel: 'douyin' }),
        event('yesterday', DAY, { type: 'page', user_id: 'u1', page: '/old', channel: 'wechat' }),
      ].map(wire),
    );
  });
  afterEach(() => t.close());

  const ties = () => descending([sent.tieA?.id ?? '', sent.tieB?.id ?? '']);

  it('lists the range newest first, ties by event id, with every listed field', async () => {
    const { result, cached } = await list({});
    expect(cached).toBe(false);
    expect(idsOf(result.events)).toEqual([
      ...ties(),
      sent.api?.id,
      sent.error?.id,
      sent.cart?.id,
      sent.home?.id,
    ]);
    expect(result.hasMore).toBe(false);
    expect(result.events.find((e) => e.eventId === sent.error?.id)).toEqual({
      eventId: sent.error?.id,
      time: new Date(NOW - 40_000).toISOString(),
      type: 'error',
      name: 'js_error',
      userId: null,
      anonymousId: 'a2',
      page: '/cart',
      platform: null,
      channel: 'wechat',
      message: 'TypeError: Cannot read x',
    });
    // A longer range reaches yesterday's event.
    const week = await list({ range: 'last_7_days' });
    expect(keysOf(week.result.events).at(-1)).toBe('yesterday');
    // Viewers read too (data:read).
    expect((await list({}, viewer)).result.events).toHaveLength(6);
  });

  it('applies the type filter, the filter bar and a case-insensitive search', async () => {
    const types = await list({ types: ['error', 'api'] });
    expect(keysOf(types.result.events)).toEqual(['api', 'error']);

    const wechat = await list({ filters: [{ dimension: 'channel', op: 'in', value: ['wechat'] }] });
    expect(keysOf(wechat.result.events)).toEqual(['api', 'error', 'home']);

    const search = async (text: string) => keysOf((await list({ search: text })).result.events);
    expect(await search('typeerror')).toEqual(['error']); // the message, any case
    expect(await search('u3')).toEqual(keysOf((await list({})).result.events).slice(0, 2)); // U3 and u3
    expect(await search('/cart')).toEqual(['api', 'error']); // pages
    expect(await search('A2')).toEqual(['error']); // anonymous id
    expect(await search('add_to')).toEqual(['cart']); // name
    expect(await search('nothing like it')).toEqual([]);
    // Search and filters together.
    const both = await list({
      search: 'cart',
      filters: [{ dimension: 'channel', op: 'eq', value: 'douyin' }],
    });
    expect(keysOf(both.result.events)).toEqual(['cart']);
  });

  it('keeps a row-level scope: filters only narrow it, detail hides rows outside it', async () => {
    const scoped = await list({}, douyinOnly);
    expect(idsOf(scoped.result.events)).toEqual([...ties(), sent.cart?.id]);
    const widened = await list(
      { filters: [{ dimension: 'channel', op: 'eq', value: 'wechat' }] },
      douyinOnly,
    );
    expect(widened.result.events).toEqual([]);
    const hidden = await report('event_detail', { eventId: sent.error?.id }, douyinOnly);
    expect(hidden.json().result).toEqual({ event: null });
    const shown = await report('event_detail', { eventId: sent.cart?.id }, douyinOnly);
    expect(shown.json().result.event.name).toBe('add_to_cart');
  });

  it('pages with keyset cursors: before for older events, after for newer ones', async () => {
    const all = idsOf((await list({})).result.events);
    const pages: string[][] = [];
    let before: { time: string; eventId: string } | undefined;
    for (;;) {
      const { result } = await list({ limit: 2, ...(before ? { before } : {}) });
      pages.push(idsOf(result.events));
      const last = result.events.at(-1);
      if (!result.hasMore || !last) break;
      before = { time: last.time, eventId: last.eventId };
    }
    // The tie is split across pages without losing or repeating an event.
    expect(pages).toEqual([all.slice(0, 2), all.slice(2, 4), all.slice(4, 6)]);
    const middle = (
      await list({
        limit: 1,
        before: { time: new Date(NOW - 20_000).toISOString(), eventId: ties()[0] },
      })
    ).result;
    expect(idsOf(middle.events)).toEqual([ties()[1]]);

    const newest = (await list({ limit: 1 })).result.events[0];
    if (!newest) throw new Error('no events');
    const cursor = { time: newest.time, eventId: newest.eventId };
    expect((await list({ after: cursor })).result).toEqual({ events: [], hasMore: false });

    // Three new events arrive: the same request sees them at once (never cached) …
    clock.advance(5_000);
    const fresh = [0, 1, 2].map((i) =>
      event(`new${i}`, -1_000 * (i + 1), { type: 'event', name: `live_${i}` }),
    );
    await send(fresh.map(wire));
    const after = await list({ after: cursor });
    expect(after.cached).toBe(false);
    expect(keysOf(after.result.events)).toEqual(['new2', 'new1', 'new0']);
    // … and a smaller page says more are waiting between it and the cursor.
    const partial = await list({ after: cursor, limit: 2 });
    expect(keysOf(partial.result.events)).toEqual(['new2', 'new1']);
    expect(partial.result.hasMore).toBe(true);
  });

  it('shows one event with every stored column and its props', async () => {
    const answer = await report('event_detail', { eventId: sent.cart?.id });
    expect(answer.statusCode, answer.body).toBe(200);
    const { event: detail } = answer.json<{ result: { event: Record<string, unknown> } }>().result;
    expect(detail).toMatchObject({
      event_id: sent.cart?.id,
      project_id: t.project.id,
      event_time: new Date(NOW - 50_000).toISOString(),
      received_at: new Date(NOW).toISOString(),
      type: 'event',
      name: 'add_to_cart',
      user_id: 'u2',
      channel: 'douyin',
      is_bot: false,
      ua_browser: 'Chrome',
      amount: null,
      props: { sku: 'S1', qty: 2 },
    });
    expect(Object.keys(detail)).toContain('ua_device_model');
    const error = (await report('event_detail', { eventId: sent.error?.id })).json().result.event;
    expect(error).toMatchObject({ type: 'error', page: '/cart' });
    expect(error.props).toMatchObject({ message: 'TypeError: Cannot read x' });
    const api = (await report('event_detail', { eventId: sent.api?.id })).json().result.event;
    expect(api).toMatchObject({ status: 500, duration_ms: 120 });

    // Any time (the range does not apply); a time hint must match; unknown ids are null.
    const old = await report('event_detail', { eventId: sent.yesterday?.id, range: 'today' });
    expect(old.json().result.event.page).toBe('/old');
    const hinted = await report('event_detail', {
      eventId: sent.yesterday?.id,
      eventTime: new Date(NOW - DAY).toISOString(),
    });
    expect(hinted.json().result.event.event_id).toBe(sent.yesterday?.id);
    const wrongHint = await report('event_detail', {
      eventId: sent.yesterday?.id,
      eventTime: new Date(NOW).toISOString(),
    });
    expect(wrongHint.json().result.event).toBeNull();
    expect(
      (await report('event_detail', { eventId: randomUUID() })).json().result.event,
    ).toBeNull();
    const bad = await report('event_detail', { eventId: "x' OR 1=1" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('ERR_REQUEST_INVALID');
  });

  it('refuses a bad request with stable codes and exports CSV', async () => {
    const tooMany = await report('events', { limit: 201 });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.code).toBe('ERR_REQUEST_INVALID');
    const badType = await report('events', { types: ['click'] });
    expect(badType.json().error.code).toBe('ERR_REQUEST_INVALID');
    const csv = await t.app.fastify.inject({
      method: 'POST',
      url: `/api/v1/projects/${t.project.id}/reports/events.csv`,
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload: { range: 'today', types: ['error'] },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.body.split('\r\n')[0]).toBe(
      '\uFEFFtime,event_id,type,name,user_id,anonymous_id,page,platform,channel,message',
    );
    expect(csv.body).toContain(`${sent.error?.id},error,js_error,,a2,/cart,,wechat,`);

    const openapi = (await t.app.fastify.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(openapi.paths).toHaveProperty(['/api/v1/projects/{projectId}/reports/events']);
    expect(openapi.paths).toHaveProperty(['/api/v1/projects/{projectId}/reports/event_detail']);
  });
});

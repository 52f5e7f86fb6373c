import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient, hashToUnit, type ClientOptions } from '../../packages/sdk/src/client.ts';
import { fetchPost } from '../../packages/sdk/src/fetch-post.ts';
import { createTestApp, type TestApp } from '../../packages/server/src/testing/test-app.ts';

function memoryStorage() {
  const data = new Map<string, string>();
  return {
    get: (key: string) => data.get(key) ?? null,
    set: (key: string, value: string) => void data.set(key, value),
  };
}

describe('SDK client against a real server', () => {
  let t: TestApp;
  let endpoint = '';
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
    endpoint = `http://127.0.0.1:${(t.app.fastify.server.address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  /** A client on a fresh device (its own storage) of the test project. */
  function device(options: Partial<ClientOptions> = {}, extra: { dnt?: boolean } = {}) {
    const storage = memoryStorage();
    const client = createClient(
      {
        endpoint,
        writeKey: t.project.writeKey,
        app: 'shop-web',
        release: 'shop-web@1.0.0',
        ...options,
      },
      {
        post: fetchPost,
        storage,
        doNotTrack: () => extra.dnt ?? false,
        context: () => ({ url: 'https://shop.example.com/cart', page: '/cart' }),
      },
    );
    return { client, storage };
  }

  const eventsOf = (anonymousId: string) =>
    t.app.services.eventStore.query(
      `SELECT type, name, user_id, session_id, app, release, page, props FROM events
       WHERE anonymous_id = $1 ORDER BY name`,
      [anonymousId],
    );

  it('sends tracks, page views, identify and errors with ids, session and app fields', async () => {
    const { client } = device();
    client.page();
    client.track('add_to_cart', { product_id: 'p1' });
    client.identify('u-42', { plan: 'pro' });
    client.trackError(new TypeError('cart is undefined'));
    await client.flush();
    const rows = await eventsOf(client.anonymousId);
    // By name (the four share a millisecond): identify, then the events after it carry u-42.
    expect(rows.map((r) => [r.type, r.name, r.user_id])).toEqual([
      ['identify', '$identify', 'u-42'],
      ['event', 'add_to_cart', null],
      ['error', 'js_error', 'u-42'],
      ['page', 'page_view', null],
    ]);
    expect(new Set(rows.map((r) => r.session_id))).toEqual(new Set([client.sessionId]));
    expect(rows[1]).toMatchObject({ app: 'shop-web', release: 'shop-web@1.0.0', page: '/cart' });
    expect(JSON.parse(String(rows[1]?.props))).toEqual({ product_id: 'p1' });
    expect(JSON.parse(String(rows[2]?.props))).toMatchObject({ message: 'cart is undefined' });
    const linked = await t.app.services.eventStore.query(
      `SELECT user_id FROM identities WHERE anonymous_id = $1`,
      [client.anonymousId],
    );
    expect(linked).toEqual([{ user_id: 'u-42' }]);
    client.close();
  });

  it('sends nothing when opted out or under Do-Not-Track, and resumes after opting in', async () => {
    const { client } = device();
    client.optOut();
    client.track('hidden');
    await client.flush();
    expect(await eventsOf(client.anonymousId)).toEqual([]);
    client.optIn();
    client.track('visible');
    await client.flush();
    expect((await eventsOf(client.anonymousId)).map((r) => r.name)).toEqual(['visible']);
    client.close();

    const dnt = device({}, { dnt: true }).client;
    dnt.track('dnt');
    await dnt.flush();
    expect(await eventsOf(dnt.anonymousId)).toEqual([]);
    dnt.close();
    const ignoring = device({ respectDoNotTrack: false }, { dnt: true }).client;
    ignoring.track('dnt_ignored');
    await ignoring.flush();
    expect((await eventsOf(ignoring.anonymousId)).map((r) => r.name)).toEqual(['dnt_ignored']);
    ignoring.close();
  });

  it('holds events until consent is granted, drops them when it is denied or set to drop', async () => {
    const held = device({ consent: 'pending' }).client;
    held.track('before_consent');
    await held.flush();
    expect(await eventsOf(held.anonymousId)).toEqual([]);
    held.setConsent('granted');
    await held.flush();
    expect((await eventsOf(held.anonymousId)).map((r) => r.name)).toEqual(['before_consent']);
    held.close();

    const denied = device({ consent: 'pending' }).client;
    denied.track('never');
    denied.setConsent('denied');
    denied.track('never_either');
    await denied.flush();
    expect(await eventsOf(denied.anonymousId)).toEqual([]);
    denied.close();

    const dropping = device({ consent: 'pending', whilePending: 'drop' }).client;
    dropping.track('dropped');
    dropping.setConsent('granted');
    dropping.track('after');
    await dropping.flush();
    expect((await eventsOf(dropping.anonymousId)).map((r) => r.name)).toEqual(['after']);
    dropping.close();
  });

  it('samples whole devices by a hash of their id', async () => {
    const clients = Array.from({ length: 40 }, () => device({ sampleRate: 0.5 }).client);
    for (const client of clients) client.track('sampled');
    await Promise.all(clients.map((client) => client.flush()));
    for (const client of clients) {
      const sent = (await eventsOf(client.anonymousId)).length;
      expect(sent).toBe(hashToUnit(client.anonymousId) < 0.5 ? 1 : 0);
      client.close();
    }
  });

  it('lets beforeSend change or drop events', async () => {
    const { client } = device({
      beforeSend: (event) =>
        event.name === 'secret'
          ? null
          : { ...event, props: { ...(event.props as object), tagged: true } },
    });
    client.track('secret');
    client.track('public', { a: 1 });
    await client.flush();
    const rows = await eventsOf(client.anonymousId);
    expect(rows.map((r) => [r.name, JSON.parse(String(r.props))])).toEqual([
      ['public', { a: 1, tagged: true }],
    ]);
    client.close();
  });

  it('starts a new session after 30 idle minutes and a new identity on reset', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.parse('2026-11-20T02:00:00Z'));
      const { client } = device();
      client.track('first');
      const first = client.sessionId;
      vi.setSystemTime(Date.parse('2026-11-20T02:29:00Z'));
      client.track('same_session');
      expect(client.sessionId).toBe(first);
      vi.setSystemTime(Date.parse('2026-11-20T03:00:00Z'));
      client.track('new_session');
      expect(client.sessionId).not.toBe(first);
      const before = client.anonymousId;
      client.identify('u-7');
      client.reset();
      expect(client.anonymousId).not.toBe(before);
      client.track('after_logout');
      vi.useRealTimers(); // delivery paces itself by the clock: let it run
      await client.flush();
      const after = await eventsOf(client.anonymousId);
      expect(after.map((r) => [r.name, r.user_id])).toEqual([['after_logout', null]]);
      client.close();
    } finally {
      vi.useRealTimers();
    }
  });
});

import type { AddressInfo } from 'node:net';
import { SDK_CONFIG_DEFAULTS, SDK_REQUIRED_FIELDS, type SdkConfigPatch } from '@sightline/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient, hashToUnit, type ClientOptions } from '../../packages/sdk/src/client.ts';
import { fetchGet, fetchPost } from '../../packages/sdk/src/fetch-post.ts';
import {
  REMOTE_CONFIG_DEFAULTS,
  REQUIRED_FIELDS,
  type GetJson,
} from '../../packages/sdk/src/remote-config.ts';
import { createTestApp, type TestApp } from '../../packages/server/src/testing/test-app.ts';

function memoryStorage() {
  const data = new Map<string, string>();
  return {
    data,
    get: (key: string) => data.get(key) ?? null,
    set: (key: string, value: string) => void data.set(key, value),
  };
}

/** An anonymous id whose sampling hash falls in [from, to): decides which sample it is in. */
function idHashedBetween(from: number, to: number): string {
  for (let i = 0; ; i += 1) {
    const id = `device-${i}`;
    const unit = hashToUnit(id);
    if (unit >= from && unit < to) return id;
  }
}

describe('SDK remote config against a real server', () => {
  let t: TestApp;
  let endpoint = '';
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
    endpoint = `http://127.0.0.1:${(t.app.fastify.server.address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  async function setConfig(patch: SdkConfigPatch) {
    const answer = await t.app.fastify.inject({
      method: 'PATCH',
      url: `/api/v1/projects/${t.project.id}`,
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload: { sdkConfig: patch },
    });
    expect(answer.statusCode).toBe(200);
  }
  beforeEach(() => setConfig(SDK_CONFIG_DEFAULTS));

  /**
   * A client on a device (its own storage unless given one) that records the config requests
   * (status, If-None-Match) and the batch requests it makes.
   */
  function device(
    options: Partial<ClientOptions> & { anonymousId?: string } = {},
    using: { storage?: ReturnType<typeof memoryStorage>; get?: GetJson } = {},
  ) {
    const storage = using.storage ?? memoryStorage();
    if (options.anonymousId) storage.set('sightline_anon', options.anonymousId);
    const configRequests: Array<{ status: number; ifNoneMatch: string | null }> = [];
    const batches: number[] = [];
    const get = using.get ?? fetchGet;
    const client = createClient(
      { endpoint, writeKey: t.project.writeKey, app: 'remote', flushInterval: 100_000, ...options },
      {
        post: async (url, body, headers, o) => {
          batches.push((JSON.parse(body) as { batch: unknown[] }).batch.length);
          return fetchPost(url, body, headers, o);
        },
        get: async (url, headers) => {
          const answer = await get(url, headers);
          configRequests.push({
            status: answer.status,
            ifNoneMatch: headers['if-none-match'] ?? null,
          });
          return answer;
        },
        storage,
        context: () => ({ url: 'https://shop.example.com/cart', page: '/cart' }),
      },
    );
    return { client, storage, configRequests, batches };
  }

  const eventsOf = (anonymousId: string) =>
    t.app.services.eventStore.query(
      `SELECT type, name, url, page, props FROM events WHERE anonymous_id = $1 ORDER BY name`,
      [anonymousId],
    );

  it('has the same defaults and required fields as the server', () => {
    expect(REMOTE_CONFIG_DEFAULTS).toEqual(SDK_CONFIG_DEFAULTS);
    expect(REQUIRED_FIELDS).toEqual(SDK_REQUIRED_FIELDS);
  });

  it('samples telemetry (perf, api) by audience, never page views or business events', async () => {
    // Seed 004 defaults: consumer 1%, business 5%. A device hashed at 0.03 is in the business
    // sample only; one at 0.005 is in both.
    const middle = idHashedBetween(0.01, 0.05);
    const low = idHashedBetween(0, 0.01);
    const runs = [
      { id: middle, audience: 'consumer' as const, telemetry: false },
      { id: middle, audience: 'business' as const, telemetry: true },
      { id: low, audience: 'consumer' as const, telemetry: true },
    ];
    for (const run of runs) {
      await t.app.services.eventStore.query(`DELETE FROM events WHERE anonymous_id = $1`, [run.id]);
      const { client } = device({ anonymousId: run.id, audience: run.audience });
      client.page();
      client.track('add_to_cart');
      client.trackPerf('web_vital', { metric: 'LCP', value: 1200 });
      client.capture({ type: 'api', name: 'api_call', status: 200, duration_ms: 30 });
      await client.flush();
      const names = (await eventsOf(run.id)).map((r) => r.name);
      expect(names).toEqual(
        run.telemetry
          ? ['add_to_cart', 'api_call', 'page_view', 'web_vital']
          : ['add_to_cart', 'page_view'],
      );
      client.close();
    }
  });

  it('applies the kill switch from the first event, before the answer has arrived', async () => {
    await setConfig({ enabled: false });
    const { client, batches, configRequests } = device();
    client.page(); // captured while the config request is under way
    client.track('add_to_cart');
    await client.flush();
    expect(configRequests).toEqual([{ status: 200, ifNoneMatch: null }]);
    expect(batches).toEqual([]);
    expect(await eventsOf(client.anonymousId)).toEqual([]);
    client.close();
  });

  it('removes disabled fields, keeps only allowlisted events and uses the batch size', async () => {
    await setConfig({
      disabledFields: ['url', 'coupon'],
      eventAllowlist: ['add_to_cart', 'pay_success'],
      batchSize: 2,
    });
    const { client, batches } = device();
    client.page();
    client.track('add_to_cart', { product_id: 'p1', coupon: 'SPRING' });
    client.track('hover_banner'); // not on the allowlist
    client.track('pay_success', { amount: 100 });
    client.track('pay_success', { amount: 200 });
    await client.flush();
    // The first full batch went as soon as it was full, the rest on flush.
    expect(batches).toEqual([2, 2]);
    const rows = await eventsOf(client.anonymousId);
    expect(rows.map((r) => r.name)).toEqual([
      'add_to_cart',
      'page_view',
      'pay_success',
      'pay_success',
    ]);
    for (const row of rows) {
      expect(row.url).toBeNull();
      expect(row.page).toBe('/cart');
    }
    expect(JSON.parse(String(rows[0]?.props))).toEqual({ product_id: 'p1' });
    client.close();
  });

  it('caches the config with its ETag: 304 when unchanged, the saved one when offline', async () => {
    await setConfig({ disabledFields: ['url'] });
    const storage = memoryStorage();
    const first = device({}, { storage });
    await first.client.flush();
    first.client.close();
    expect(first.configRequests).toEqual([{ status: 200, ifNoneMatch: null }]);
    const saved = JSON.parse(storage.data.get('sightline_config') ?? '{}') as { etag: string };
    expect(saved.etag).toMatch(/^".+"$/);

    // The next page: the saved config applies at once, and the server says it is unchanged.
    const second = device({}, { storage });
    second.client.page();
    await second.client.flush();
    second.client.close();
    expect(second.configRequests).toEqual([{ status: 304, ifNoneMatch: saved.etag }]);
    expect((await eventsOf(second.client.anonymousId))[0]?.url).toBeNull();

    // The config server cannot be reached: still the saved config.
    const offline = device(
      {},
      { storage, get: () => Promise.reject(new TypeError('fetch failed')) },
    );
    offline.client.track('offline_config');
    await offline.client.flush();
    offline.client.close();
    const rows = await eventsOf(offline.client.anonymousId);
    expect(rows.find((r) => r.name === 'offline_config')?.url).toBeNull();

    // A change on the server replaces the saved config on the next fetch.
    await setConfig({ disabledFields: [] });
    const third = device({}, { storage });
    third.client.track('after_change');
    await third.client.flush();
    third.client.close();
    expect(third.configRequests[0]?.status).toBe(200);
    expect(JSON.parse(storage.data.get('sightline_config') ?? '{}')).toMatchObject({
      config: { disabledFields: [] },
    });
  });

  it('falls back to the defaults without a server answer, and can be turned off', async () => {
    const id = idHashedBetween(0.5, 1);
    await t.app.services.eventStore.query(`DELETE FROM events WHERE anonymous_id = $1`, [id]);
    const unreachable = device(
      { anonymousId: id },
      { get: () => Promise.reject(new TypeError('fetch failed')) },
    );
    unreachable.client.page();
    unreachable.client.trackPerf('web_vital', { metric: 'LCP', value: 900 });
    await unreachable.client.flush();
    unreachable.client.close();
    // Nothing captured is lost; telemetry is sampled as the defaults say (1%: not this device).
    expect((await eventsOf(id)).map((r) => r.name)).toEqual(['page_view']);

    await setConfig({ enabled: false });
    const off = device({ remoteConfig: false });
    off.client.trackPerf('web_vital', { metric: 'LCP', value: 900 });
    await off.client.flush();
    off.client.close();
    expect(off.configRequests).toEqual([]);
    expect((await eventsOf(off.client.anonymousId)).map((r) => r.name)).toEqual(['web_vital']);
  });
});

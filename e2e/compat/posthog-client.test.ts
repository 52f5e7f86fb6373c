import { PostHog } from 'posthog-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCompatServer, type CompatServer } from './compat-server.ts';

/**
 * PostHog's official Node library, unmodified, pointed at a real Sightline server: its gzip
 * batches must land as the events, identities and orders our own SDKs produce.
 */
describe('posthog-node against a real server', () => {
  let server: CompatServer;
  // Whole seconds an hour ago, so client times are exact and in the past.
  const base = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
  const at = (second: number) => new Date(base + second * 1000);

  beforeAll(async () => {
    server = await startCompatServer();
  });
  afterAll(() => server.close());
  const query = (sql: string) => server.query(sql);

  it('turns gzip batches of page views, events, identify and exceptions into our events', async () => {
    const posthog = new PostHog(server.t.project.writeKey, {
      host: server.endpoint,
      flushAt: 50,
      flushInterval: 60_000,
      fetchRetryCount: 0,
      // Watches what the library sends, and sends it unchanged.
      fetch: async (url, options) => {
        sent.push({ path: new URL(url).pathname, headers: options.headers });
        const response = await fetch(url, options);
        statuses.push(response.status);
        return response;
      },
    });
    const sent: Array<{ path: string; headers: Record<string, string> }> = [];
    const statuses: number[] = [];
    const errors: unknown[] = [];
    posthog.on('error', (error) => errors.push(error));
    const uuid = (n: number) => `0190a0b0-0000-7000-8000-${String(n).padStart(12, '0')}`;
    posthog.capture({
      distinctId: 'u-ph-1',
      event: '$pageview',
      properties: {
        $current_url: 'https://shop.example/p/2?utm_source=google',
        $pathname: '/p/2',
        $referrer: 'https://www.google.com/',
        title: 'Oolong',
        utm_source: 'google',
        utm_medium: 'organic',
      },
      timestamp: at(21),
      uuid: uuid(1),
    });
    posthog.capture({
      distinctId: 'u-ph-1',
      event: 'Wishlist Item Added',
      properties: { product_id: 'p2', $set: { vip: true } },
      timestamp: at(22),
      uuid: uuid(2),
    });
    posthog.capture({
      distinctId: 'u-ph-1',
      event: 'order_completed',
      properties: {
        order_id: 'SO-PH-1',
        amount: 4_500,
        currency: 'CNY',
        items: [{ product_id: 'p2', quantity: 1, price: 5_000 }],
        discount: 500,
      },
      timestamp: at(23),
      uuid: uuid(3),
    });
    posthog.identify({
      distinctId: 'u-ph-1',
      properties: { plan: 'gold', $anon_distinct_id: 'anon-ph-1' },
    });
    posthog.captureException(new Error('boom'), 'u-ph-1');
    posthog.groupIdentify({ groupType: 'company', groupKey: 'c-1', properties: { name: 'ACME' } });
    await posthog.shutdown();
    expect(errors).toEqual([]);
    expect(statuses).toEqual([200]);
    expect(sent).toMatchObject([{ path: '/batch/', headers: { 'Content-Encoding': 'gzip' } }]);

    const events = await query(
      `SELECT event_id::VARCHAR AS event_id, type, name, user_id, anonymous_id, platform, page, url,
         referrer, title, utm_source, utm_medium, amount, currency, epoch_ms(client_time) AS client_ms,
         props, is_bot, json_extract_string(props, '$.message') AS message,
         json_extract_string(props, '$.stack') AS stack
       FROM events WHERE user_id = 'u-ph-1' ORDER BY name`,
    );
    const byName = Object.fromEntries(events.map((event) => [event.name, event]));
    expect(Object.keys(byName)).toEqual([
      '$identify',
      'order_completed',
      'page_view',
      'server_error',
      'wishlist_item_added',
    ]);
    expect(byName.page_view).toEqual({
      event_id: uuid(1),
      type: 'page',
      name: 'page_view',
      user_id: 'u-ph-1',
      anonymous_id: null,
      platform: 'server',
      page: '/p/2',
      url: 'https://shop.example/p/2?utm_source=google',
      referrer: 'https://www.google.com/',
      title: 'Oolong',
      utm_source: 'google',
      utm_medium: 'organic',
      amount: null,
      currency: null,
      client_ms: base + 21_000,
      props: '{}',
      is_bot: false,
      message: null,
      stack: null,
    });
    expect(byName.wishlist_item_added).toMatchObject({
      event_id: uuid(2),
      type: 'event',
      props: '{"product_id":"p2"}',
    });
    expect(byName.order_completed).toMatchObject({ amount: 4_500, currency: 'CNY' });
    expect(byName.$identify).toMatchObject({ type: 'identify', anonymous_id: 'anon-ph-1' });
    expect(JSON.parse(byName.$identify.props)).toEqual({ plan: 'gold' });
    expect(byName.server_error).toMatchObject({ type: 'error', message: 'boom' });
    expect(byName.server_error.stack).toMatch(
      /^Error: boom\n {4}at .*posthog-client\.test\.ts:\d+:\d+\)/,
    );
    expect(JSON.parse(byName.server_error.props)).toMatchObject({
      error_name: 'Error',
      handled: true,
    });

    expect(
      await query(
        `SELECT order_id, user_id, gross_amount, discount_amount, pay_amount FROM orders
         WHERE order_id = 'SO-PH-1'`,
      ),
    ).toEqual([
      {
        order_id: 'SO-PH-1',
        user_id: 'u-ph-1',
        gross_amount: 5_000,
        discount_amount: 500,
        pay_amount: 4_500,
      },
    ]);
    expect(await query(`SELECT user_id FROM identities WHERE anonymous_id = 'anon-ph-1'`)).toEqual([
      { user_id: 'u-ph-1' },
    ]);
  });
});

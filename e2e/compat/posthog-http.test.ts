import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStableEventId } from '../../packages/server/src/ingest/compat/compat-values.ts';
import { createFakeClock } from '../../packages/server/src/platform/index.ts';
import { startCompatServer, type CompatServer } from './compat-server.ts';

const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);

/** PostHog's capture API as raw HTTP, in each body encoding its libraries use. */
describe('PostHog endpoints over HTTP', () => {
  let server: CompatServer;
  beforeAll(async () => {
    server = await startCompatServer({ clock: createFakeClock(NOW) });
  });
  afterAll(() => server.close());

  const post = (path: string, body: string | Uint8Array, headers: Record<string, string>) =>
    server.post(path, body, headers);
  const postJson = (path: string, body: unknown) =>
    post(path, JSON.stringify(body), { 'content-type': 'application/json' });
  const query = (sql: string) => server.query(sql);
  const uuid = (n: number) => `0190a0b0-0000-7000-8000-${String(n).padStart(12, '0')}`;

  /** As posthog-js sends them: key and distinct id in properties, time as an offset. */
  const browserEvent = (n: number, event: string, properties: Record<string, unknown>) => ({
    uuid: uuid(n),
    event,
    offset: 5_000,
    properties: {
      token: server.t.project.writeKey,
      distinct_id: 'anon-js-1',
      $device_id: 'anon-js-1',
      $is_identified: false,
      $lib: 'web',
      $browser: 'Chrome',
      $session_id: 'sess-js-1',
      $current_url: 'https://shop.example/tea?utm_source=wechat',
      $pathname: '/tea',
      $referrer: '$direct',
      utm_source: 'wechat',
      ...properties,
    },
  });

  it('reads posthog-js gzip-js bodies (gzip bytes as text/plain) with offsets', async () => {
    const body = gzipSync(
      JSON.stringify([
        browserEvent(1, '$pageview', { title: '有机绿茶' }),
        browserEvent(2, 'Add To Cart', { product_id: 'p-7', price: 1290 }),
      ]),
    );
    const result = await post('/e/?compression=gzip-js&ip=1&_=1763611200000&ver=1.200.0', body, {
      'content-type': 'text/plain',
    });
    expect({ status: result.status, body: result.body }).toEqual({
      status: 200,
      body: { status: 1, accepted: 2, duplicates: 0, dropped: 0, rejected: [] },
    });
    expect(
      await query(
        `SELECT event_id::VARCHAR AS event_id, type, name, user_id, anonymous_id, session_id,
           platform, page, url, referrer, title, utm_source, epoch_ms(event_time) AS event_ms, props
         FROM events WHERE anonymous_id = 'anon-js-1' ORDER BY event_id`,
      ),
    ).toEqual([
      {
        event_id: uuid(1),
        type: 'page',
        name: 'page_view',
        user_id: null,
        anonymous_id: 'anon-js-1',
        session_id: 'sess-js-1',
        platform: 'web',
        page: '/tea',
        url: 'https://shop.example/tea?utm_source=wechat',
        referrer: null,
        title: '有机绿茶',
        utm_source: 'wechat',
        event_ms: NOW - 5_000,
        props: '{}',
      },
      {
        event_id: uuid(2),
        type: 'event',
        name: 'add_to_cart',
        user_id: null,
        anonymous_id: 'anon-js-1',
        session_id: 'sess-js-1',
        platform: 'web',
        page: '/tea',
        url: 'https://shop.example/tea?utm_source=wechat',
        referrer: null,
        title: null,
        utm_source: 'wechat',
        event_ms: NOW - 5_000,
        props: '{"product_id":"p-7","price":1290}',
      },
    ]);
  });

  it('reads form bodies data=<base64> (posthog-js compression=base64)', async () => {
    const json = JSON.stringify([
      browserEvent(11, 'Base64 Sent', {
        note: '绿茶 ✓',
        $is_identified: true,
        distinct_id: 'u-b64',
      }),
    ]);
    const form = `data=${encodeURIComponent(Buffer.from(json).toString('base64'))}`;
    const result = await post('/e/?compression=base64', form, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(result.body).toMatchObject({ status: 1, accepted: 1 });
    // Identified: the distinct id is the user, the device id the browser's anonymous id.
    expect(
      await query(`SELECT name, user_id, anonymous_id, props FROM events WHERE user_id = 'u-b64'`),
    ).toEqual([
      {
        name: 'base64_sent',
        user_id: 'u-b64',
        anonymous_id: 'anon-js-1',
        props: '{"note":"绿茶 ✓"}',
      },
    ]);
  });

  it('takes a single event on /capture/, keeps its uuid and stores a retry once', async () => {
    const event = {
      api_key: server.t.project.writeKey,
      event: 'signed up',
      distinct_id: 'u-single',
      properties: { method: 'phone' },
      timestamp: new Date(NOW - 60_000).toISOString(),
      uuid: uuid(21),
    };
    expect((await postJson('/capture/', event)).body).toMatchObject({ accepted: 1, duplicates: 0 });
    expect((await postJson('/capture', event)).body).toMatchObject({ accepted: 0, duplicates: 1 });
    // A uuid that is not a UUID still dedupes, through a stable id.
    const odd = { ...event, uuid: 'not-a-uuid', event: 'odd id' };
    await postJson('/capture/', odd);
    await postJson('/capture/', odd);
    expect(
      await query(
        `SELECT event_id::VARCHAR AS event_id, name, user_id, epoch_ms(event_time) AS event_ms, props
         FROM events WHERE user_id = 'u-single' ORDER BY name`,
      ),
    ).toEqual([
      {
        event_id: createStableEventId(server.t.project.id, 'posthog', 'not-a-uuid'),
        name: 'odd_id',
        user_id: 'u-single',
        event_ms: NOW - 60_000,
        props: '{"method":"phone"}',
      },
      {
        event_id: uuid(21),
        name: 'signed_up',
        user_id: 'u-single',
        event_ms: NOW - 60_000,
        props: '{"method":"phone"}',
      },
    ]);
  });

  it('links identities on $identify and reads $exception frames into a stack', async () => {
    const result = await postJson('/batch/', {
      api_key: server.t.project.writeKey,
      sent_at: new Date(NOW).toISOString(),
      batch: [
        {
          event: '$identify',
          distinct_id: 'u-id-1',
          properties: { $anon_distinct_id: 'anon-id-1', $set_once: { first_seen: 'ad' } },
          $set: { plan: 'gold' },
          uuid: uuid(31),
        },
        {
          event: '$exception',
          distinct_id: 'u-id-1',
          properties: {
            $lib: 'web',
            $exception_list: [
              {
                type: 'TypeError',
                value: 'x is undefined',
                mechanism: { handled: false },
                stacktrace: {
                  type: 'raw',
                  frames: [
                    {
                      filename: 'https://shop.example/app.js',
                      function: 'main',
                      lineno: 10,
                      colno: 2,
                    },
                    {
                      filename: 'https://shop.example/cart.js',
                      function: 'addItem',
                      lineno: 42,
                      colno: 7,
                    },
                  ],
                },
              },
            ],
          },
          uuid: uuid(32),
        },
      ],
    });
    expect(result.body).toMatchObject({ accepted: 2, rejected: [] });
    expect(
      await query(
        `SELECT type, name, anonymous_id, props FROM events WHERE user_id = 'u-id-1' ORDER BY type`,
      ),
    ).toEqual([
      {
        type: 'error',
        name: 'js_error',
        anonymous_id: null,
        props: JSON.stringify({
          error_name: 'TypeError',
          handled: false,
          message: 'x is undefined',
          stack:
            'TypeError: x is undefined\n' +
            '    at addItem (https://shop.example/cart.js:42:7)\n' +
            '    at main (https://shop.example/app.js:10:2)',
        }),
      },
      {
        type: 'identify',
        name: '$identify',
        anonymous_id: 'anon-id-1',
        props: '{"first_seen":"ad","plan":"gold"}',
      },
    ]);
    expect(await query(`SELECT user_id FROM identities WHERE anonymous_id = 'anon-id-1'`)).toEqual([
      { user_id: 'u-id-1' },
    ]);
  });

  it('stores the valid events of a mixed batch and reports each rejected one', async () => {
    const result = await postJson('/batch/', {
      api_key: server.t.project.writeKey,
      batch: [
        { event: 'mixed ok', distinct_id: 'u-mix', uuid: uuid(41) },
        { event: '$create_alias', distinct_id: 'u-mix', properties: { alias: 'x' } },
        { distinct_id: 'u-mix' },
        { event: 'elsewhere', distinct_id: 'u-mix', properties: { token: 'phc_other' } },
        { event: '$identify', distinct_id: 'u-mix', $set: { plan: 'gold' } },
        { event: 'constructor', distinct_id: 'u-mix', uuid: uuid(42) },
      ],
    });
    expect({ status: result.status, body: result.body }).toEqual({
      status: 200,
      body: {
        status: 1,
        accepted: 2,
        duplicates: 0,
        dropped: 0,
        rejected: [
          {
            index: 1,
            code: 'ERR_INGEST_EVENT_INVALID',
            message:
              'Event is invalid: PostHog alias is not supported (send $identify with $anon_distinct_id)',
          },
          {
            index: 2,
            code: 'ERR_INGEST_EVENT_INVALID',
            message: 'Event is invalid: name is required for type "event"',
          },
          {
            index: 3,
            code: 'ERR_INGEST_EVENT_INVALID',
            message: 'Event is invalid: api_key: differs from the key of the request',
          },
          {
            index: 4,
            code: 'ERR_INGEST_EVENT_INVALID',
            message: 'Event is invalid: identify needs user_id and anonymous_id',
          },
        ],
      },
    });
    // Names are data, never looked up on an object's prototype.
    expect(await query(`SELECT name FROM events WHERE user_id = 'u-mix' ORDER BY name`)).toEqual([
      { name: 'constructor' },
      { name: 'mixed_ok' },
    ]);
  });

  it('answers key and body errors with stable codes', async () => {
    const wrong = await postJson('/batch/', { api_key: 'phc_wrong', batch: [{ event: 'x' }] });
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'ERR_INGEST_KEY_INVALID']);
    const missing = await postJson('/e/', [{ event: 'x', properties: {} }]);
    expect([missing.status, missing.body.error.code]).toEqual([401, 'ERR_INGEST_KEY_MISSING']);
    const corrupt = Buffer.concat([gzipSync('{"event":"x"}').subarray(0, 12), Buffer.from('zz')]);
    const badGzip = await post('/e/?compression=gzip-js', corrupt, {
      'content-type': 'text/plain',
    });
    expect([badGzip.status, badGzip.body.error.code]).toEqual([400, 'ERR_REQUEST_INVALID']);
    // 2 MB of spaces inflate past the 1 MB body limit.
    const bomb = gzipSync(`{"api_key":"${server.t.project.writeKey}"${' '.repeat(2_000_000)}}`);
    const tooLarge = await post('/batch/', bomb, { 'content-type': 'text/plain' });
    expect([tooLarge.status, tooLarge.body.error.code]).toEqual([
      413,
      'ERR_REQUEST_BODY_TOO_LARGE',
    ]);
    const noData = await post('/e/', 'compression=base64', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect([noData.status, noData.body.error.code]).toEqual([400, 'ERR_REQUEST_INVALID']);
  });
});

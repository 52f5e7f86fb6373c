import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStableEventId } from '../../packages/server/src/ingest/compat/compat-values.ts';
import { createFakeClock } from '../../packages/server/src/platform/index.ts';
import { startCompatServer, type CompatServer } from './compat-server.ts';

const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);

/** Segment's HTTP Tracking API as raw HTTP: keys, retries, mixed batches and body encodings. */
describe('Segment endpoints over HTTP', () => {
  let server: CompatServer;
  beforeAll(async () => {
    server = await startCompatServer({ clock: createFakeClock(NOW) });
  });
  afterAll(() => server.close());

  const basic = (user: string) => `Basic ${Buffer.from(user).toString('base64')}`;
  /** JSON (or the bytes given) with the key in Basic auth unless the headers say otherwise. */
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    server.post(
      path,
      typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
      {
        'content-type': 'application/json',
        authorization: basic(`${server.t.project.writeKey}:`),
        ...headers,
      },
    );
  const query = (sql: string) => server.query(sql);
  const id = (messageId: string, project = server.t.project.id) =>
    createStableEventId(project, 'segment', messageId);

  it('stores a retried batch once: messageId becomes a stable event id per project', async () => {
    const batch = {
      batch: [
        { type: 'track', event: 'Coupon Entered', userId: 'u-r1', messageId: 'retry-1' },
        { type: 'page', anonymousId: 'a-r1', messageId: 'retry-2', properties: { path: '/r' } },
      ],
    };
    const first = await post('/v1/batch', batch);
    expect(first).toMatchObject({ status: 200 });
    expect(first.body).toEqual({
      success: true,
      accepted: 2,
      duplicates: 0,
      dropped: 0,
      rejected: [],
    });
    const retry = await post('/v1/batch', batch, { 'x-retry-count': '1' });
    expect(retry.body).toEqual({
      success: true,
      accepted: 0,
      duplicates: 2,
      dropped: 0,
      rejected: [],
    });

    // The same message id in another project is another event.
    const other = await server.t.app.services.projects.create(
      { id: 'shop2', name: 'Shop 2', timeZone: 'Asia/Shanghai', retentionDays: 180 },
      'test',
    );
    const elsewhere = await post('/v1/batch', batch, {
      authorization: basic(`${other.writeKey}:`),
    });
    expect(elsewhere.body).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(
      await query(
        `SELECT project_id, event_id::VARCHAR AS event_id, name FROM events
         WHERE user_id = 'u-r1' OR anonymous_id = 'a-r1' ORDER BY project_id, name`,
      ),
    ).toEqual([
      { project_id: 'shop', event_id: id('retry-1'), name: 'coupon_entered' },
      { project_id: 'shop', event_id: id('retry-2'), name: 'page_view' },
      { project_id: 'shop2', event_id: id('retry-1', 'shop2'), name: 'coupon_entered' },
      { project_id: 'shop2', event_id: id('retry-2', 'shop2'), name: 'page_view' },
    ]);
  });

  it('authenticates with Basic auth (with or without the colon) or writeKey in the body', async () => {
    const track = (userId: string) => ({
      event: 'Auth Checked',
      userId,
      messageId: `auth-${userId}`,
    });
    expect((await post('/v1/track', track('u-a1'))).status).toBe(200);
    expect(
      (await post('/v1/track', track('u-a2'), { authorization: basic(server.t.project.writeKey) }))
        .status,
    ).toBe(200);
    expect(
      (
        await post(
          '/v1/track',
          { ...track('u-a3'), writeKey: server.t.project.writeKey },
          { authorization: '' },
        )
      ).status,
    ).toBe(200);

    // analytics.js: text/plain, the key in the body, the call's first letter as the path.
    const browser = await post(
      '/v1/t',
      JSON.stringify({ ...track('u-a7'), type: 'track', writeKey: server.t.project.writeKey }),
      { authorization: '', 'content-type': 'text/plain' },
    );
    expect(browser.body).toMatchObject({ success: true, accepted: 1 });
    const browserBatch = await post(
      '/v1/b',
      {
        writeKey: server.t.project.writeKey,
        batch: [{ type: 'page', userId: 'u-a8', properties: { path: '/b' } }],
      },
      { authorization: '' },
    );
    expect(browserBatch.body).toMatchObject({ success: true, accepted: 1 });

    const wrong = await post('/v1/track', track('u-a4'), { authorization: basic('wk_wrong:') });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('ERR_INGEST_KEY_INVALID');
    const wrongInBody = await post(
      '/v1/batch',
      { writeKey: 'wk_wrong', batch: [{ type: 'track', ...track('u-a5') }] },
      { authorization: '' },
    );
    expect(wrongInBody.body.error.code).toBe('ERR_INGEST_KEY_INVALID');
    const missing = await post('/v1/track', track('u-a6'), { authorization: '' });
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatchObject({
      code: 'ERR_INGEST_KEY_MISSING',
      details: { howToSend: expect.stringContaining('Basic') },
    });
    expect(
      await query(`SELECT user_id FROM events WHERE name = 'auth_checked' ORDER BY user_id`),
    ).toEqual([{ user_id: 'u-a1' }, { user_id: 'u-a2' }, { user_id: 'u-a3' }, { user_id: 'u-a7' }]);
  });

  it('stores the valid messages of a mixed batch and reports each rejected one', async () => {
    const result = await post('/v1/batch', {
      batch: [
        { type: 'track', event: 'Mixed Ok', userId: 'u-m1', messageId: 'mixed-1' },
        { type: 'track', event: 'toString', userId: 'u-m1', messageId: 'mixed-3' },
        { type: 'group', userId: 'u-m1', groupId: 'g-1' },
        { type: 'track', userId: 'u-m1' },
        { type: 'identify', userId: 'u-m1', traits: { plan: 'pro' } },
        'not a message',
        { type: 'page', userId: 'u-m1', properties: { path: '/m' }, messageId: 'mixed-2' },
      ],
    });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      success: true,
      accepted: 3,
      duplicates: 0,
      dropped: 0,
      rejected: [
        {
          index: 2,
          code: 'ERR_INGEST_EVENT_INVALID',
          message:
            'Event is invalid: Segment group calls are not supported (Sightline has no account/group model)',
        },
        {
          index: 3,
          code: 'ERR_INGEST_EVENT_INVALID',
          message: 'Event is invalid: name is required for type "event"',
        },
        {
          index: 4,
          code: 'ERR_INGEST_EVENT_INVALID',
          message: 'Event is invalid: identify needs user_id and anonymous_id',
        },
        {
          index: 5,
          code: 'ERR_INGEST_EVENT_INVALID',
          message: 'Event is invalid: must be a JSON object',
        },
      ],
    });
    expect(
      await query(`SELECT type, name FROM events WHERE user_id = 'u-m1' ORDER BY name`),
    ).toEqual([
      { type: 'event', name: 'mixed_ok' },
      { type: 'page', name: 'page_view' },
      // Names are data, never looked up on an object's prototype.
      { type: 'event', name: 'to_string' },
    ]);

    const none = await post('/v1/group', { userId: 'u-m1', groupId: 'g-1' });
    expect(none.status).toBe(400);
    expect(none.body.error).toMatchObject({
      code: 'ERR_INGEST_BATCH_INVALID',
      details: { accepted: 0, rejected: [{ index: 0, code: 'ERR_INGEST_EVENT_INVALID' }] },
    });
  });

  it('reads gzip bodies and text/plain, and refuses bodies that are not JSON', async () => {
    const gzipped = await post(
      '/v1/track',
      gzipSync(JSON.stringify({ event: 'Zipped', userId: 'u-zip', messageId: 'zip-1' })),
      { 'content-encoding': 'gzip' },
    );
    expect(gzipped.body).toMatchObject({ success: true, accepted: 1 });
    const plain = await post('/v1/track', JSON.stringify({ event: 'Plain', userId: 'u-zip' }), {
      'content-type': 'text/plain',
    });
    expect(plain.body).toMatchObject({ success: true, accepted: 1 });
    const broken = await post('/v1/batch', '{"batch": [');
    expect([broken.status, broken.body.error.code]).toEqual([400, 'ERR_REQUEST_INVALID']);
    const form = await post('/v1/batch', 'a=1', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect([form.status, form.body.error.code]).toEqual([415, 'ERR_REQUEST_UNSUPPORTED_MEDIA']);
  });
});

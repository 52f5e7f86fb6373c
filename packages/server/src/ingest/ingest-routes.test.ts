import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createFakeClock } from '../platform/index.ts';
import { signBody } from './index.ts';

const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);

describe('POST /api/v1/batch', () => {
  let t: TestApp;
  const clock = createFakeClock(NOW);

  beforeEach(async () => {
    clock.set(NOW);
    t = await createTestApp({ clock });
  });
  afterEach(() => t.close());

  function post(
    body: unknown,
    headers: Record<string, string> = {},
    remoteAddress = '120.24.78.68',
  ) {
    return t.app.fastify.inject({
      method: 'POST',
      url: '/api/v1/batch',
      payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
      headers: {
        'content-type': 'application/json',
        'x-sightline-key': t.project.writeKey,
        ...headers,
      },
      remoteAddress,
    });
  }
  const query = (sql: string, params: (string | number)[] = []) =>
    t.app.services.eventStore.query(sql, params);

  it('stores an enriched event and never the raw IP', async () => {
    const id = randomUUID();
    const res = await post(
      {
        sent_at: NOW - 1_000,
        batch: [
          {
            event_id: id,
            type: 'page',
            ts: NOW - 3_000,
            url: 'https://shop.example/p/1?utm_source=baidu&utm_medium=cpc',
            utm_source: 'baidu',
            utm_medium: 'cpc',
            anonymous_id: 'anon-1',
            props: { contact: 'Alice@Example.com', note: 'call 138-1234-5678' },
          },
        ],
      },
      { 'user-agent': CHROME_UA },
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ accepted: 1, duplicates: 0, dropped: 0, rejected: [] });
    const [row] = await query(
      `SELECT name, epoch_ms(event_time) AS t, epoch_ms(client_time) AS c, country, province, city, channel, ua_browser, ua_os, is_bot, ip_hash, props::VARCHAR AS props FROM events WHERE event_id = $1::UUID`,
      [id],
    );
    // sent 1 s "ago" by the client clock and received now: the 1 s skew is added back.
    expect(row).toMatchObject({
      name: 'page_view',
      t: NOW - 2_000,
      c: NOW - 3_000,
      country: '中国',
      province: '广东省',
      city: '深圳市',
      channel: 'paid_search',
      ua_browser: 'Chrome',
      ua_os: 'Windows',
      is_bot: false,
    });
    expect(String(row?.ip_hash)).toMatch(/^[0-9a-f]{32}$/);
    const props = JSON.parse(String(row?.props)) as Record<string, string>;
    expect(props.contact).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(props.note).toMatch(/^sha256:/);
    const everything = JSON.stringify(
      await query('SELECT * EXCLUDE (event_time, client_time, received_at) FROM events'),
    );
    expect(everything).not.toContain('120.24.78');
    expect(everything).not.toContain('Alice@');
  });

  it('accepts the key in the body, and answers missing or unknown keys with 401', async () => {
    const ok = await post(
      { write_key: t.project.writeKey, batch: [{ type: 'event', name: 'x' }] },
      { 'x-sightline-key': '' },
    );
    expect(ok.statusCode).toBe(200);
    const missing = await t.app.fastify.inject({
      method: 'POST',
      url: '/api/v1/batch',
      payload: { batch: [] },
    });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().error.code).toBe('ERR_INGEST_KEY_MISSING');
    const unknown = await post({ batch: [] }, { 'x-sightline-key': 'wk_nope' });
    expect(unknown.json().error.code).toBe('ERR_INGEST_KEY_INVALID');
  });

  it('keeps the valid items of a mixed batch and lists each rejected one', async () => {
    const res = await post({
      batch: [
        { type: 'event', name: 'ok_1' },
        { type: 'nope', name: 'bad type' },
        { type: 'event' },
        { type: 'event', name: 'ok_2', ts: NOW + 2 * 86_400_000 },
        { type: 'identify', user_id: 'u1' },
        {
          type: 'event',
          name: 'ok_3',
          props: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i])),
        },
        { type: 'event', name: 'big', props: { blob: 'x'.repeat(33_000) } },
        { type: 'event', name: 'ok_4' },
      ],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
      [1, 'ERR_INGEST_EVENT_INVALID'],
      [2, 'ERR_INGEST_EVENT_INVALID'],
      [3, 'ERR_INGEST_EVENT_TIME_INVALID'],
      [4, 'ERR_INGEST_EVENT_INVALID'],
      [5, 'ERR_INGEST_EVENT_INVALID'],
      [6, 'ERR_INGEST_EVENT_TOO_LARGE'],
    ]);
    expect(await query('SELECT name FROM events ORDER BY name')).toEqual([
      { name: 'ok_1' },
      { name: 'ok_4' },
    ]);
    const stats = await query(
      `SELECT outcome, code, sum(count)::INTEGER AS n FROM ingest_stats GROUP BY ALL ORDER BY outcome, code`,
    );
    expect(stats).toEqual([
      { outcome: 'accepted', code: '', n: 2 },
      { outcome: 'rejected', code: 'ERR_INGEST_EVENT_INVALID', n: 4 },
      { outcome: 'rejected', code: 'ERR_INGEST_EVENT_TIME_INVALID', n: 1 },
      { outcome: 'rejected', code: 'ERR_INGEST_EVENT_TOO_LARGE', n: 1 },
    ]);
  });

  it('answers 400 with every rejection when nothing in the batch is valid', async () => {
    const res = await post({ batch: [{ type: 'event' }, 42] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('ERR_INGEST_BATCH_INVALID');
    expect(res.json().error.details.rejected).toHaveLength(2);
  });

  it('never counts a replayed batch twice', async () => {
    const batch = {
      batch: [1, 2, 3].map((n) => ({ event_id: randomUUID(), type: 'event', name: `e${n}` })),
    };
    expect((await post(batch)).json()).toMatchObject({ accepted: 3, duplicates: 0 });
    expect((await post(batch)).json()).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(await query('SELECT count(*) AS n FROM events')).toEqual([{ n: 3 }]);
  });

  it('enforces the batch, body and encoding limits', async () => {
    const tooMany = await post({
      batch: Array.from({ length: 501 }, () => ({ type: 'event', name: 'x' })),
    });
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.json().error.code).toBe('ERR_INGEST_BATCH_TOO_LARGE');
    const huge = await post({
      batch: [{ type: 'event', name: 'x', props: { s: 'y'.repeat(1_100_000) } }],
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('ERR_REQUEST_BODY_TOO_LARGE');
    const bomb = gzipSync(Buffer.from(JSON.stringify({ batch: [], pad: ' '.repeat(2_000_000) })));
    const bombed = await post(bomb, { 'content-encoding': 'gzip' });
    expect(bombed.statusCode).toBe(413);
    const brotli = await post('{}', { 'content-encoding': 'br' });
    expect(brotli.statusCode).toBe(415);
    const xml = await post('<batch/>', { 'content-type': 'application/xml' });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().error.code).toBe('ERR_REQUEST_UNSUPPORTED_MEDIA');
    const broken = await post('{"batch": [', {});
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('ERR_REQUEST_INVALID');
  });

  it('accepts gzip and text/plain (sendBeacon) bodies, and answers CORS preflights', async () => {
    const gz = gzipSync(JSON.stringify({ batch: [{ type: 'event', name: 'gz' }] }));
    expect((await post(gz, { 'content-encoding': 'gzip' })).json().accepted).toBe(1);
    const plain = await post(JSON.stringify({ batch: [{ type: 'event', name: 'beacon' }] }), {
      'content-type': 'text/plain;charset=UTF-8',
    });
    expect(plain.json().accepted).toBe(1);
    expect(plain.headers['access-control-allow-origin']).toBe('*');
    const preflight = await t.app.fastify.inject({ method: 'OPTIONS', url: '/api/v1/batch' });
    expect(preflight.statusCode).toBe(204);
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('x-sightline-key');
  });

  it('honours Do-Not-Track: dropped by default, anonymised when the project says so', async () => {
    const dropped = await post(
      { batch: [{ type: 'event', name: 'x', user_id: 'u1' }] },
      { dnt: '1' },
    );
    expect(dropped.json()).toMatchObject({ accepted: 0, dropped: 1 });
    await t.app.services.projects.update(
      t.project.id,
      { dntMode: 'anonymize', fieldDenylist: ['secret_note'] },
      'test',
    );
    const anonymised = await post({
      dnt: true,
      batch: [
        {
          type: 'event',
          name: 'y',
          user_id: 'u1',
          anonymous_id: 'a1',
          props: { secret_note: 'x', keep: 1 },
        },
      ],
    });
    expect(anonymised.json()).toMatchObject({ accepted: 1, dropped: 0 });
    const rows = await query(
      'SELECT name, user_id, anonymous_id, ip_hash, props::VARCHAR AS props FROM events',
    );
    expect(rows).toEqual([
      { name: 'y', user_id: null, anonymous_id: null, ip_hash: null, props: '{"keep":1}' },
    ]);
  });

  it('links identities and materialises orders and refunds idempotently', async () => {
    const order = {
      event_id: randomUUID(),
      type: 'event',
      name: 'order_completed',
      user_id: 'u1',
      amount: 17_000,
      currency: 'CNY',
      props: {
        order_id: 'o-1',
        items: [
          { product_id: 'p1', quantity: 2, price: 5_000, cost: 3_000 },
          { product_id: 'p2', quantity: 1, price: 9_000, cost: 4_000 },
        ],
        discount: 2_000,
        agent_id: 'agent_07',
        commission: 1_700,
        address: '上海市 浦东新区 世纪大道 1 号',
      },
    };
    const refund = {
      type: 'event',
      name: 'order_refunded',
      amount: 5_000,
      props: { order_id: 'o-1', refund_id: 'r-1' },
    };
    const identify = { type: 'identify', anonymous_id: 'anon-9', user_id: 'u1' };
    expect((await post({ batch: [identify, order, refund] })).json().accepted).toBe(3);
    expect((await post({ batch: [order] })).json().duplicates).toBe(1);
    expect(await query('SELECT anonymous_id, user_id FROM identities')).toEqual([
      { anonymous_id: 'anon-9', user_id: 'u1' },
    ]);
    const orders = await query(
      'SELECT order_id, gross_amount, discount_amount, pay_amount, cost_amount, commission_amount, agent_id, address_hash FROM orders',
    );
    expect(orders).toMatchObject([
      {
        order_id: 'o-1',
        gross_amount: 19_000,
        discount_amount: 2_000,
        pay_amount: 17_000,
        cost_amount: 10_000,
        commission_amount: 1_700,
        agent_id: 'agent_07',
      },
    ]);
    expect(String(orders[0]?.address_hash)).toMatch(/^[0-9a-f]{32}$/);
    expect(
      await query('SELECT line_no, product_id, quantity, amount FROM order_items ORDER BY line_no'),
    ).toEqual([
      { line_no: 1, product_id: 'p1', quantity: 2, amount: 10_000 },
      { line_no: 2, product_id: 'p2', quantity: 1, amount: 9_000 },
    ]);
    expect(await query('SELECT refund_id, order_id, amount FROM refunds')).toEqual([
      { refund_id: 'r-1', order_id: 'o-1', amount: 5_000 },
    ]);
    const props = await query(
      `SELECT props::VARCHAR AS p FROM events WHERE name = 'order_completed'`,
    );
    expect(String(props[0]?.p)).not.toContain('浦东');
  });

  it('lets a signed server-side sender set the end user IP and user agent', async () => {
    const body = JSON.stringify({
      batch: [
        {
          type: 'api',
          name: 'api_call',
          ip: '8.8.8.8',
          user_agent: CHROME_UA,
          status: 502,
          duration_ms: 1_234,
        },
      ],
    });
    const signature = signBody(t.project.secretKey, body, Math.floor(NOW / 1000));
    const res = await post(body, { 'x-sightline-signature': signature }, '10.0.0.1');
    expect(res.statusCode).toBe(200);
    expect(await query('SELECT country, ua_browser, status, duration_ms FROM events')).toEqual([
      { country: '美国', ua_browser: 'Chrome', status: 502, duration_ms: 1_234 },
    ]);
    const forged = await post(body, {
      'x-sightline-signature': signBody('sk_wrong', body, Math.floor(NOW / 1000)),
    });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('ERR_INGEST_SIGNATURE_INVALID');
    // Without a signature, per-event ip/user_agent are ignored: the request's own are used.
    await post({ batch: [{ type: 'event', name: 'spoof', ip: '8.8.8.8' }] }, {}, '120.24.78.68');
    expect(await query(`SELECT country FROM events WHERE name = 'spoof'`)).toEqual([
      { country: '中国' },
    ]);
  });

  it('does not take a signed sender for a bot: its own user agent is not the end user’s', async () => {
    const body = JSON.stringify({ batch: [{ type: 'event', name: 'service_record' }] });
    const signature = signBody(t.project.secretKey, body, Math.floor(NOW / 1000));
    const res = await post(body, {
      'x-sightline-signature': signature,
      'user-agent': 'node-fetch/1.0',
    });
    expect(res.statusCode).toBe(200);
    expect(
      await query(`SELECT is_bot, ua_browser FROM events WHERE name = 'service_record'`),
    ).toEqual([{ is_bot: false, ua_browser: null }]);
    // Unsigned, the same client is a bot, as any script would be.
    await post(
      { batch: [{ type: 'event', name: 'scripted' }] },
      { 'user-agent': 'node-fetch/1.0' },
    );
    expect(await query(`SELECT is_bot FROM events WHERE name = 'scripted'`)).toEqual([
      { is_bot: true },
    ]);
  });
});

describe('store failure', () => {
  it('answers 503 with Retry-After when the event store cannot take writes', async () => {
    const t = await createTestApp();
    try {
      await t.app.services.eventStore.close();
      const res = await t.app.fastify.inject({
        method: 'POST',
        url: '/api/v1/batch',
        headers: { 'x-sightline-key': t.project.writeKey },
        payload: { batch: [{ type: 'event', name: 'x' }] },
      });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json().error.code).toBe('ERR_STORE_UNAVAILABLE');
      const ready = await t.app.fastify.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
    } finally {
      await t.close();
    }
  });
});

describe('overload', () => {
  it('answers 429 with Retry-After per write key and per IP', async () => {
    const clock = createFakeClock(NOW);
    const t = await createTestApp({
      clock,
      env: { SIGHTLINE_RATE_LIMIT_KEY_PER_SEC: '2', SIGHTLINE_RATE_LIMIT_KEY_BURST: '2' },
    });
    try {
      const send = () =>
        t.app.fastify.inject({
          method: 'POST',
          url: '/api/v1/batch',
          headers: { 'x-sightline-key': t.project.writeKey },
          payload: { batch: [{ type: 'event', name: 'x' }] },
        });
      expect((await send()).statusCode).toBe(200);
      expect((await send()).statusCode).toBe(200);
      const limited = await send();
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['retry-after']).toBe('1');
      expect(limited.json().error.code).toBe('ERR_RATE_LIMITED');
      clock.advance(1_000);
      expect((await send()).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('answers 503 with Retry-After when the writer queue is full, and stores nothing of that request', async () => {
    const t = await createTestApp({
      env: { SIGHTLINE_WRITER_QUEUE_MAX_EVENTS: '100', SIGHTLINE_WRITER_FLUSH_MS: '300' },
    });
    try {
      const send = (name: string) =>
        t.app.fastify.inject({
          method: 'POST',
          url: '/api/v1/batch',
          headers: { 'x-sightline-key': t.project.writeKey },
          payload: { batch: Array.from({ length: 60 }, () => ({ type: 'event', name })) },
        });
      const [first, second] = await Promise.all([send('first'), send('second')]);
      expect(first.statusCode).toBe(200);
      expect(second.statusCode).toBe(503);
      expect(second.headers['retry-after']).toBe('1');
      expect(second.json().error.code).toBe('ERR_INGEST_QUEUE_FULL');
      expect(
        await t.app.services.eventStore.query(
          'SELECT name, count(*) AS n FROM events GROUP BY name',
        ),
      ).toEqual([{ name: 'first', n: 60 }]);
    } finally {
      await t.close();
    }
  });
});

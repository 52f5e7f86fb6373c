import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../packages/server/src/platform/index.ts';
import { startCompatServer, type CompatServer } from './compat-server.ts';

const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);
const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const IPHONE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15';

/** How Segment messages become events: money, times, user agents (fixed clock: exact times). */
describe('Segment messages as Sightline events', () => {
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

  it('converts major-unit money to minor units by currency', async () => {
    const order = (orderId: string, properties: Record<string, unknown>) => ({
      type: 'track',
      event: 'Order Completed',
      userId: 'u-money',
      messageId: orderId,
      properties: { order_id: orderId, ...properties },
    });
    const result = await post('/v1/batch', {
      batch: [
        // Segment's total is what was paid: 25.8 − 3 + 5 = 27.8.
        order('M-CNY', { total: 27.8, revenue: 25.8, discount: 3, shipping: 5, currency: 'CNY' }),
        // Without total the server computes revenue − discount + shipping: 19.99 − 1 + 0.5.
        order('M-USD', { revenue: 19.99, discount: 1, shipping: 0.5, currency: 'usd' }),
        // Yen have no minor unit.
        order('M-JPY', {
          currency: 'JPY',
          products: [{ product_id: 'p-j', price: 1500, quantity: 3 }],
        }),
        // Dinars have three decimals.
        order('M-KWD', { total: 12.345, revenue: 12.345, currency: 'KWD' }),
        order('M-BAD', { total: 'free', currency: 'USD' }),
      ],
    });
    expect(result.body.rejected).toEqual([
      { index: 4, code: 'ERR_INGEST_EVENT_INVALID', message: expect.stringContaining('amount') },
    ]);
    expect(
      await query(
        `SELECT order_id, currency, gross_amount, discount_amount, pay_amount FROM orders
         WHERE user_id = 'u-money' ORDER BY order_id`,
      ),
    ).toEqual([
      {
        order_id: 'M-CNY',
        currency: 'CNY',
        gross_amount: 2580,
        discount_amount: 300,
        pay_amount: 2780,
      },
      {
        order_id: 'M-JPY',
        currency: 'JPY',
        gross_amount: 4500,
        discount_amount: 0,
        pay_amount: 4500,
      },
      {
        order_id: 'M-KWD',
        currency: 'KWD',
        gross_amount: 12345,
        discount_amount: 0,
        pay_amount: 12345,
      },
      {
        order_id: 'M-USD',
        currency: 'USD',
        gross_amount: 1999,
        discount_amount: 100,
        pay_amount: 1949,
      },
    ]);
    expect(
      await query(`SELECT unit_price, quantity, amount FROM order_items WHERE order_id = 'M-JPY'`),
    ).toEqual([{ unit_price: 1500, quantity: 3, amount: 4500 }]);
  });

  it('corrects times with sentAt, and never takes ip or user agent from an unsigned message', async () => {
    const result = await post(
      '/v1/batch',
      {
        sentAt: new Date(NOW - 60_000).toISOString(),
        batch: [
          {
            type: 'track',
            event: 'Timed',
            userId: 'u-time',
            messageId: 'time-1',
            timestamp: new Date(NOW - 90_000).toISOString(),
            context: {
              ip: '120.24.78.68',
              userAgent: IPHONE_UA,
              library: { name: 'analytics.js' },
            },
          },
        ],
      },
      { 'user-agent': CHROME_UA },
    );
    expect(result.status).toBe(200);
    expect(
      await query(
        `SELECT epoch_ms(client_time) AS client_ms, epoch_ms(event_time) AS event_ms, ua_browser,
           ua_os, city, platform FROM events WHERE user_id = 'u-time'`,
      ),
    ).toEqual([
      // The client clock was a minute behind: 90 s before its send time is 30 s before now.
      {
        client_ms: NOW - 90_000,
        event_ms: NOW - 30_000,
        ua_browser: 'Chrome',
        ua_os: 'Windows',
        city: null,
        platform: 'web',
      },
    ]);
  });

  it('takes no user agent from server libraries, so their events are not bots', async () => {
    await post(
      '/v1/track',
      { event: 'From Backend', userId: 'u-backend', messageId: 'backend-1' },
      { 'user-agent': 'python-requests/2.31' },
    );
    await post(
      '/v1/track',
      { event: 'Crawled', userId: 'u-backend', messageId: 'backend-2' },
      { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' },
    );
    expect(
      await query(
        `SELECT name, ua_browser, is_bot FROM events WHERE user_id = 'u-backend' ORDER BY name`,
      ),
    ).toEqual([
      { name: 'crawled', ua_browser: null, is_bot: true },
      { name: 'from_backend', ua_browser: null, is_bot: false },
    ]);
  });
});

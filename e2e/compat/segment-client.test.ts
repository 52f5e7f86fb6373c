import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStableEventId } from '../../packages/server/src/ingest/compat/compat-values.ts';
import { startCompatServer, type CompatServer } from './compat-server.ts';

const IPHONE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15';

/**
 * Segment's official Node library, unmodified, pointed at a real Sightline server: what it sends
 * must land as the events, identities and orders our own SDKs produce.
 */
describe('@segment/analytics-node against a real server', () => {
  let server: CompatServer;
  // Whole seconds an hour ago, so client times are exact and in the past.
  const base = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
  const at = (second: number) => new Date(base + second * 1000);

  beforeAll(async () => {
    server = await startCompatServer();
  });
  afterAll(() => server.close());
  const query = (sql: string) => server.query(sql);

  it('turns page, e-commerce, identify, screen and alias calls into our events', async () => {
    const analytics = new Analytics({
      writeKey: server.t.project.writeKey,
      host: server.endpoint,
      flushAt: 50,
      flushInterval: 60_000,
      maxRetries: 0,
    });
    const statuses: number[] = [];
    analytics.on('http_response', (response) => statuses.push(response.status));
    const anonymousId = 'anon-seg-1';
    const userId = 'u-seg-1';
    analytics.page({
      anonymousId,
      name: 'Product',
      properties: {
        path: '/product/p1',
        url: 'https://shop.example/product/p1?utm_source=baidu',
        title: 'Green tea',
        referrer: 'https://www.baidu.com/s?wd=tea',
      },
      context: { campaign: { source: 'baidu', medium: 'cpc', name: 'spring' } },
      messageId: 'seg-page-1',
      timestamp: at(1),
    });
    analytics.track({
      anonymousId,
      event: 'Product Viewed',
      properties: { product_id: 'p1', sku: 'TEA-1', category: 'tea', price: 12.9, currency: 'cny' },
      // Unsigned: a tracker's context.ip and userAgent must not become the event's.
      context: { ip: '120.24.78.68', userAgent: IPHONE_UA },
      messageId: 'seg-view-1',
      timestamp: at(2),
    });
    analytics.track({
      anonymousId,
      event: 'Product Added',
      properties: { product_id: 'p1', price: 12.9, quantity: 2, currency: 'CNY' },
      messageId: 'seg-add-1',
      timestamp: at(3),
    });
    analytics.identify({
      userId,
      anonymousId,
      traits: { plan: 'pro', email: 'ann@example.com' },
      messageId: 'seg-identify-1',
      timestamp: at(4),
    });
    analytics.track({
      userId,
      event: 'Checkout Started',
      properties: {
        value: 25.8,
        currency: 'CNY',
        products: [{ product_id: 'p1', price: 12.9, quantity: 2 }],
      },
      messageId: 'seg-checkout-1',
      timestamp: at(5),
    });
    analytics.track({
      userId,
      event: 'Order Completed',
      properties: {
        order_id: 'SO-SEG-1',
        total: 27.8,
        revenue: 25.8,
        shipping: 5,
        discount: 3,
        coupon: 'SPRING3',
        currency: 'CNY',
        products: [
          {
            product_id: 'p1',
            sku: 'TEA-1',
            category: 'tea',
            name: 'Green tea',
            price: 12.9,
            quantity: 2,
          },
        ],
      },
      messageId: 'seg-order-1',
      timestamp: at(6),
    });
    analytics.track({
      userId,
      event: 'Order Refunded',
      properties: { order_id: 'SO-SEG-1', total: 12.9, currency: 'CNY' },
      messageId: 'seg-refund-1',
      timestamp: at(7),
    });
    analytics.track({
      userId: 'u-seg-2',
      event: 'Signed Up',
      properties: { type: 'organic' },
      messageId: 'seg-signup-1',
      timestamp: at(8),
    });
    analytics.track({
      userId,
      event: 'Video Played',
      properties: { seconds: 30 },
      messageId: 'seg-video-1',
      timestamp: at(9),
    });
    analytics.screen({ userId, name: 'Cart', messageId: 'seg-screen-1', timestamp: at(10) });
    analytics.alias({ previousId: 'anon-seg-9', userId: 'u-seg-9', timestamp: at(11) });
    analytics.group({ userId, groupId: 'g-1', traits: { name: 'ACME' }, timestamp: at(12) });
    await analytics.closeAndFlush();
    expect(statuses).toEqual([200]);

    const events = await query(
      `SELECT event_id::VARCHAR AS event_id, type, name, user_id, anonymous_id, platform, page, url,
         referrer, title, utm_source, utm_medium, utm_campaign, amount, currency,
         epoch_ms(client_time) AS client_ms, epoch_ms(event_time) - epoch_ms(client_time) AS skew_ms,
         props, city, ua_os, is_bot
       FROM events WHERE user_id IN ('u-seg-1', 'u-seg-2', 'u-seg-9') OR anonymous_id = 'anon-seg-1'
       ORDER BY client_time`,
    );
    expect(
      events.map((event) => Number(event.skew_ms) >= 0 && Number(event.skew_ms) < 60_000),
    ).toEqual(events.map(() => true));
    // The library's own user agent is not the end user's: no event is taken for a bot.
    expect(events.map((event) => event.is_bot)).toEqual(events.map(() => false));
    const id = (messageId: string) =>
      createStableEventId(server.t.project.id, 'segment', messageId);
    const shape = (event: Record<string, unknown>) => ({
      event_id: event.event_id,
      type: event.type,
      name: event.name,
      user_id: event.user_id,
      anonymous_id: event.anonymous_id,
      amount: event.amount,
      currency: event.currency,
      client_ms: event.client_ms,
      props: JSON.parse(event.props as string),
    });
    const [page, view, add, identify, checkout, order, refund, signUp, video, screen, alias] =
      events;
    expect(events).toHaveLength(11);
    expect(page).toMatchObject({
      event_id: id('seg-page-1'),
      type: 'page',
      name: 'page_view',
      anonymous_id: anonymousId,
      platform: 'server',
      page: '/product/p1',
      url: 'https://shop.example/product/p1?utm_source=baidu',
      referrer: 'https://www.baidu.com/s?wd=tea',
      title: 'Green tea',
      utm_source: 'baidu',
      utm_medium: 'cpc',
      utm_campaign: 'spring',
      client_ms: base + 1_000,
    });
    expect(JSON.parse(page!.props as string)).toEqual({ name: 'Product' });
    expect(shape(view!)).toEqual({
      event_id: id('seg-view-1'),
      type: 'event',
      name: 'view_product',
      user_id: null,
      anonymous_id: anonymousId,
      amount: null,
      currency: 'CNY',
      client_ms: base + 2_000,
      props: { product_id: 'p1', sku: 'TEA-1', category: 'tea', price: 1290 },
    });
    expect([view!.city, view!.ua_os]).toEqual([null, null]);
    expect(shape(add!)).toMatchObject({
      name: 'add_to_cart',
      props: { product_id: 'p1', price: 1290, quantity: 2 },
    });
    expect(shape(identify!)).toMatchObject({
      type: 'identify',
      name: '$identify',
      user_id: userId,
      anonymous_id: anonymousId,
    });
    const traits = JSON.parse(identify!.props as string);
    expect(traits.plan).toBe('pro');
    expect(traits.email).toMatch(/^sha256:/);
    expect(shape(checkout!)).toMatchObject({
      name: 'checkout_started',
      amount: 2580,
      currency: 'CNY',
      props: {
        value: 2580,
        item_count: 2,
        items: [{ product_id: 'p1', price: 1290, quantity: 2 }],
      },
    });
    expect(shape(order!)).toEqual({
      event_id: id('seg-order-1'),
      type: 'event',
      name: 'order_completed',
      user_id: userId,
      anonymous_id: null,
      amount: 2780,
      currency: 'CNY',
      client_ms: base + 6_000,
      props: {
        order_id: 'SO-SEG-1',
        total: 2580,
        shipping: 500,
        discount: 300,
        coupon_id: 'SPRING3',
        items: [
          {
            product_id: 'p1',
            sku: 'TEA-1',
            category: 'tea',
            name: 'Green tea',
            quantity: 2,
            price: 1290,
          },
        ],
      },
    });
    expect(shape(refund!)).toMatchObject({ name: 'order_refunded', amount: 1290 });
    expect(shape(signUp!)).toMatchObject({ name: 'sign_up', props: { type: 'organic' } });
    expect(shape(video!)).toMatchObject({ name: 'video_played', props: { seconds: 30 } });
    expect(screen).toMatchObject({ type: 'page', name: 'page_view', page: 'Cart' });
    expect(alias).toMatchObject({
      type: 'identify',
      user_id: 'u-seg-9',
      anonymous_id: 'anon-seg-9',
    });

    expect(
      await query(
        `SELECT order_id, user_id, currency, gross_amount, discount_amount, pay_amount, coupon_id
         FROM orders WHERE order_id = 'SO-SEG-1'`,
      ),
    ).toEqual([
      {
        order_id: 'SO-SEG-1',
        user_id: userId,
        currency: 'CNY',
        gross_amount: 2580,
        discount_amount: 300,
        pay_amount: 2780,
        coupon_id: 'SPRING3',
      },
    ]);
    expect(
      await query(
        `SELECT line_no, product_id, sku, category, quantity, unit_price, amount FROM order_items
         WHERE order_id = 'SO-SEG-1'`,
      ),
    ).toEqual([
      {
        line_no: 1,
        product_id: 'p1',
        sku: 'TEA-1',
        category: 'tea',
        quantity: 2,
        unit_price: 1290,
        amount: 2580,
      },
    ]);
    expect(
      await query(`SELECT refund_id, amount FROM refunds WHERE order_id = 'SO-SEG-1'`),
    ).toEqual([{ refund_id: id('seg-refund-1'), amount: 1290 }]);
    expect(
      await query(
        `SELECT anonymous_id, user_id FROM identities WHERE user_id LIKE 'u-seg-%' ORDER BY 1`,
      ),
    ).toEqual([
      { anonymous_id: 'anon-seg-1', user_id: 'u-seg-1' },
      { anonymous_id: 'anon-seg-9', user_id: 'u-seg-9' },
    ]);
    // The group call was reported, not stored.
    expect(
      await query(
        `SELECT code, count FROM ingest_stats WHERE project_id = 'shop' AND outcome = 'rejected'`,
      ),
    ).toEqual([{ code: 'ERR_INGEST_EVENT_INVALID', count: 1 }]);
  });
});

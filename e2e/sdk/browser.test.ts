import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SdkConfigPatch } from '@sightline/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createTestApp, type TestApp } from '../../packages/server/src/testing/test-app.ts';
import { launchChromium } from '../support/chromium.ts';

/** The shop's test page: SPA links, a tracked banner, a broken button, an API call. */
function shopPage(sdkTag: string): string {
  return `<!doctype html><html><head><title>Test shop</title>${sdkTag}</head><body>
  <a id="to-product" href="#">product</a>
  <div id="banner" data-sl-click="banner" data-sl-banner-id="b1" data-sl-position="top">sale</div>
  <input id="secret" value="my password">
  <button id="broken">broken</button>
  <button id="works">works</button><span id="status"></span>
  <button id="slow">slow</button><p id="hero" style="font-size:40px">Spring sale</p>
  <script>
    document.getElementById('to-product').addEventListener('click', (e) => {
      e.preventDefault();
      history.pushState({}, '', '/app/product/42');
    });
    document.getElementById('broken').addEventListener('click', () => {
      setTimeout(() => { throw new TypeError('cart is undefined'); });
    });
    document.getElementById('works').addEventListener('click', () => {
      document.getElementById('status').textContent = 'clicked';
    });
 document.getElementById('slow').addEventListener('click', () => {
      const until = Date.now() + 120;
      while (Date.now() < until) {}
      document.getElementById('hero').textContent = 'Sale ends soon';
    });
    window.callApi = () => fetch('/api/products/123').then((r) => r.status);
    window.callFlaky = async () => {
      const first = await fetch('/api/flaky', { method: 'POST' });
      return first.ok ? first.status : (await fetch('/api/flaky', { method: 'POST' })).status;
    };
    window.rejectLater = () => { Promise.reject(new Error('payment failed')); };
  </script></body></html>`;
}

describe('browser SDK in real Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let site: Server;
  let siteUrl = '';
  let sightlineUrl = '';
  let sdk = '';
  let vitals = '';
  let websocket = '';
  let sockets: WebSocketServer;
  /** Per path: the <script> tag the page gets (its data-* configure the SDK). */
  const tags = new Map<string, string>();
  let flakyCalls = 0;

  beforeAll(async () => {
    execFileSync(process.execPath, ['packages/sdk/build.mjs'], { stdio: 'pipe' });
    sdk = readFileSync('packages/sdk/dist/sightline.js', 'utf8');
    vitals = readFileSync('packages/sdk/dist/sightline-vitals.js', 'utf8');
    websocket = readFileSync('packages/sdk/dist/sightline-websocket.js', 'utf8');
    t = await createTestApp();
    await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
    sightlineUrl = `http://127.0.0.1:${(t.app.fastify.server.address() as AddressInfo).port}`;
    site = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (path === '/sdk.js' || path === '/vitals.js' || path === '/websocket.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(path === '/sdk.js' ? sdk : path === '/vitals.js' ? vitals : websocket);
      } else if (path === '/api/flaky') {
        // Down on the first call, up on the next: the page retries.
        flakyCalls += 1;
        res.writeHead(flakyCalls === 1 ? 503 : 200, { 'content-type': 'application/json' });
        res.end('{}');
      } else if (path.startsWith('/api/')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      } else {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(shopPage(tags.get(path.split('/')[1] ?? '') ?? ''));
      }
    });
    // The shop's push service: /ws/orders stays up until the page closes it, /ws/flaky drops
    // every connection right after it opens (as a crashed server or a lost network would).
    sockets = new WebSocketServer({ server: site });
    sockets.on('connection', (socket, request) => {
      if (request.url?.startsWith('/ws/flaky')) setTimeout(() => socket.terminate(), 20);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    browser = await launchChromium();
    // Every test device sends its telemetry (vitals, API calls); the default samples 1%.
    await setSdkConfig({ telemetrySampleRate: { consumer: 1, business: 1 } });
  });

  async function setSdkConfig(patch: SdkConfigPatch) {
    const answer = await t.app.fastify.inject({
      method: 'PATCH',
      url: `/api/v1/projects/${t.project.id}`,
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload: { sdkConfig: patch },
    });
    expect(answer.statusCode).toBe(200);
  }
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => sockets?.close(() => resolve()));
    await new Promise<void>((resolve) => site?.close(() => resolve()));
    await t?.close();
  });

  /** A variant of the shop whose SDK tag has these data-* attributes. */
  function variant(name: string, attributes: Record<string, string> = {}, endpoint?: string) {
    const data = {
      endpoint: endpoint ?? sightlineUrl,
      'write-key': t.project.writeKey,
      app: name,
      'flush-interval': '100000',
      ...attributes,
    };
    const attrs = Object.entries(data)
      .map(([k, v]) => `data-${k}="${v}"`)
      .join(' ');
    tags.set(name, `<script src="/sdk.js" ${attrs}></script>`);
    return `${siteUrl}/${name}/home`;
  }

  async function open(url: string) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      // The browser itself logs refused connections; the SDK logs nothing.
      if (message.type() === 'error' && !message.text().includes('ERR_CONNECTION_REFUSED'))
        problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    await page.goto(url);
    return { context, page, problems };
  }

  const flush = (page: Page) =>
    page.evaluate(() =>
      (globalThis as unknown as { sightline: { flush(): Promise<void> } }).sightline.flush(),
    );

  const eventsOf = (app: string) =>
    t.app.services.eventStore.query(
      `SELECT type, name, page, status, duration_ms, json_extract_string(props, '$.message') AS message, props FROM events WHERE app = $1
       ORDER BY event_time, name`,
      [app],
    );

  it('captures page views across SPA navigation with dwell time, clicks, errors and API calls', async () => {
    const { context, page, problems } = await open(variant('shop'));
    await page.waitForTimeout(50);
    await page.click('#to-product');
    await page.click('#banner');
    await page.fill('#secret', 'changed');
    await page.click('#broken');
    expect(
      await page.evaluate(() =>
        (globalThis as unknown as { callApi(): Promise<number> }).callApi(),
      ),
    ).toBe(200);
    expect(
      await page.evaluate(() =>
        (globalThis as unknown as { callFlaky(): Promise<number> }).callFlaky(),
      ),
    ).toBe(200);
    await page.evaluate(() => (globalThis as unknown as { rejectLater(): void }).rejectLater());
    await page.waitForTimeout(100);
    await flush(page);
    const rows = await eventsOf('shop');
    const byName = (name: string) => rows.filter((r) => r.name === name);
    expect(byName('page_view').map((r) => r.page)).toEqual(['/shop/home', '/app/product/42']);
    const leave = byName('page_leave')[0];
    expect(JSON.parse(String(leave?.props))).toMatchObject({ page: '/shop/home' });
    expect(Number(JSON.parse(String(leave?.props)).duration_ms)).toBeGreaterThanOrEqual(50);
    expect(JSON.parse(String(byName('click_banner')[0]?.props))).toEqual({
      banner_id: 'b1',
      position: 'top',
    });
    const errors = byName('js_error');
    expect(errors.map((r) => r.message).sort()).toEqual(['cart is undefined', 'payment failed']);
    expect(
      JSON.parse(String(errors.find((r) => r.message === 'cart is undefined')?.props)),
    ).toMatchObject({
      fatal: true,
      source: 'onerror',
    });
    const api = byName('api_call').map((r) => ({
      type: r.type,
      status: r.status,
      ...(JSON.parse(String(r.props)) as Record<string, unknown>),
    }));
    expect(api).toEqual([
      {
        type: 'api',
        status: 200,
        method: 'GET',
        route: '/api/products/:id',
        timeout: false,
        retry: 0,
      },
      // The failed call, then the page's retry of it.
      { type: 'api', status: 503, method: 'POST', route: '/api/flaky', timeout: false, retry: 0 },
      { type: 'api', status: 200, method: 'POST', route: '/api/flaky', timeout: false, retry: 1 },
    ]);
    // Input values are never collected.
    expect(JSON.stringify(rows)).not.toContain('changed');
    expect(JSON.stringify(rows)).not.toContain('my password');
    // Only the page's own two errors reached the page (and the browser's note on the page's
    // 503); the SDK logged nothing.
    expect(problems.filter((p) => !p.includes('status of 503')).sort()).toEqual([
      'pageerror: cart is undefined',
      'pageerror: payment failed',
    ]);
    await context.close();
  });

  it('delivers what was tracked offline once the browser is back online', async () => {
    const { context, page } = await open(variant('offline'));
    await context.setOffline(true);
    // Tracked and flushed while offline: the attempt fails and waits for a retry.
    await page.evaluate(() => {
      const sdk = (
        globalThis as unknown as { sightline: { track(n: string): void; flush(): void } }
      ).sightline;
      sdk.track('offline_add_to_cart');
      void sdk.flush();
    });
    await page.waitForTimeout(300);
    expect((await eventsOf('offline')).map((r) => r.name)).not.toContain('offline_add_to_cart');
    await context.setOffline(false); // fires 'online': the SDK flushes
    await expect
      .poll(async () => (await eventsOf('offline')).map((r) => r.name), { timeout: 10_000 })
      .toContain('offline_add_to_cart');
    await context.close();
  });

  it('hands queued events to the beacon when the page is left', async () => {
    const { context, page } = await open(variant('leaving'));
    await page.evaluate(() =>
      (globalThis as unknown as { sightline: { track(n: string): void } }).sightline.track(
        'before_leaving',
      ),
    );
    await page.goto('about:blank');
    await expect
      .poll(async () => (await eventsOf('leaving')).map((r) => r.name), { timeout: 10_000 })
      .toContain('before_leaving');
    await context.close();
  });

  it('honours Do-Not-Track, consent and sampling', async () => {
    const dntContext = await browser.newContext();
    await dntContext.addInitScript(() =>
      Object.defineProperty(
        (globalThis as unknown as { navigator: object }).navigator,
        'doNotTrack',
        {
          get: () => '1',
        },
      ),
    );
    const dntPage = await dntContext.newPage();
    await dntPage.goto(variant('dnt'));
    await dntPage.click('#banner');
    await flush(dntPage);
    await dntContext.close();

    const consent = await open(variant('consent', { consent: 'pending' }));
    await flush(consent.page);
    expect(await eventsOf('consent')).toEqual([]);
    await consent.page.evaluate(() =>
      (
        globalThis as unknown as { sightline: { setConsent(c: string): void } }
      ).sightline.setConsent('granted'),
    );
    await flush(consent.page);
    expect((await eventsOf('consent')).map((r) => r.name)).toEqual(['page_view']);
    await consent.context.close();

    const sampled = await open(variant('sampled-out', { 'sample-rate': '0' }));
    await flush(sampled.page);
    await sampled.context.close();
    expect(await eventsOf('dnt')).toEqual([]);
    expect(await eventsOf('sampled-out')).toEqual([]);
  });

  it('applies the remote config, saved with its ETag for the next page', async () => {
    await setSdkConfig({ disabledFields: ['url'], eventAllowlist: ['add_to_cart'] });
    try {
      const { context, page, problems } = await open(variant('remote'));
      const configAnswers: number[] = [];
      page.on('response', (response) => {
        if (response.url().includes('/api/v1/sdk-config')) configAnswers.push(response.status());
      });
      await page.evaluate(() => {
        const sdk = (globalThis as unknown as { sightline: { track(n: string): void } }).sightline;
        sdk.track('add_to_cart');
        sdk.track('hover_banner');
      });
      await flush(page);
      const rows = await t.app.services.eventStore.query(
        `SELECT name, url, page FROM events WHERE app = 'remote' ORDER BY name`,
      );
      expect(rows).toEqual([
        { name: 'add_to_cart', url: null, page: '/remote/home' },
        { name: 'page_view', url: null, page: '/remote/home' },
      ]);
      const saved = await page.evaluate(() =>
        (
          globalThis as unknown as { localStorage: { getItem(k: string): string | null } }
        ).localStorage.getItem('sightline_config'),
      );
      expect(JSON.parse(saved ?? '{}')).toMatchObject({
        etag: expect.stringMatching(/^".+"$/) as unknown,
        config: { disabledFields: ['url'], eventAllowlist: ['add_to_cart'] },
      });
      // The next page asks with the saved ETag: unchanged, so no body.
      configAnswers.length = 0;
      await page.reload();
      await flush(page);
      expect(configAnswers).toEqual([304]);
      expect(problems).toEqual([]);
      await context.close();

      // The kill switch: a new visitor's browser sends nothing at all.
      await setSdkConfig({ enabled: false });
      const killed = await open(variant('killed'));
      await killed.page.click('#banner');
      await flush(killed.page);
      expect(await eventsOf('killed')).toEqual([]);
      await killed.context.close();
    } finally {
      await setSdkConfig({ enabled: true, disabledFields: [], eventAllowlist: null });
    }
  });

  it('keeps the host page working when the endpoint is down', async () => {
    // A port nothing listens on any more: connections are refused.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { context, page, problems } = await open(variant('down', {}, `http://127.0.0.1:${port}`));
    await page.click('#works');
    await page.evaluate(() => {
      const sdk = (
        globalThis as unknown as { sightline: { track(n: string): void; flush(): void } }
      ).sightline;
      sdk.track('lost');
      void sdk.flush();
    });
    await page.waitForTimeout(500);
    expect(await page.textContent('#status')).toBe('clicked');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('reports Web Vitals through the optional entry point', async () => {
    const url = variant('vitals');
    tags.set('vitals', `${tags.get('vitals') ?? ''}<script src="/vitals.js"></script>`);
    const { context, page, problems } = await open(url);
    await page.click('#slow');
    await page.waitForTimeout(1_000); // the interaction is measured after the next paint
    // The tab goes to the background: vitals are final then, and sent.
    await page.evaluate(() => {
      const page = globalThis as unknown as { document: EventTarget };
      Object.defineProperty(page.document, 'visibilityState', {
        value: 'hidden',
        configurable: true,
      });
      page.document.dispatchEvent(new Event('visibilitychange'));
    });
    await expect
      .poll(
        async () =>
          (await eventsOf('vitals'))
            .filter((r) => r.name === 'web_vital')
            .map((r) => (JSON.parse(String(r.props)) as { metric: string }).metric)
            .sort(),
        { timeout: 10_000 },
      )
      .toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']);
    const lcp = (await eventsOf('vitals')).find((r) => String(r.props).includes('"LCP"'));
    expect(Number(lcp?.duration_ms)).toBeGreaterThan(0);
    expect(JSON.parse(String(lcp?.props))).toMatchObject({ rating: 'good' });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('reports WebSocket connections and drops through the optional entry point', async () => {
    const url = variant('sockets');
    tags.set('sockets', `${tags.get('sockets') ?? ''}<script src="/websocket.js"></script>`);
    // A desktop browser's user agent: headless Chromium's own is counted as a bot.
    const context = await browser.newContext({
      userAgent:
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    await page.goto(url);
    const ends = await page.evaluate(
      async (wsBase) => {
        const { sightlineWebSocket } = globalThis as unknown as {
          sightlineWebSocket: { track(socket: WebSocket, options?: object): WebSocket };
        };
        const track = (socket: WebSocket, options?: object) =>
          sightlineWebSocket.track(socket, options);
        const ended = (socket: WebSocket) =>
          new Promise<number>((resolve) =>
            socket.addEventListener('close', (e) => resolve(e.code)),
          );
        const opened = (socket: WebSocket) =>
          new Promise<void>((resolve) => socket.addEventListener('open', () => resolve()));
        // Closed by the page itself: not a drop, whatever code the browser reports.
        const orders = track(new WebSocket(`${wsBase}/ws/orders?token=secret`));
        await opened(orders);
        orders.close();
        const codes = [await ended(orders)];
        // Dropped by the server: a drop, and the second attempt on its endpoint.
        const flaky = track(new WebSocket(`${wsBase}/ws/flaky`), { endpoint: '/ws/orders' });
        codes.push(await ended(flaky));
        // Nobody listens: the handshake fails, counted as a connection that dropped.
        const down = track(new WebSocket('ws://127.0.0.1:9/ws/feed'));
        codes.push(await ended(down));
        return codes;
      },
      siteUrl.replace('http', 'ws'),
    );
    expect(ends).toEqual([1005, 1006, 1006]);
    await flush(page);

    const rows = (await eventsOf('sockets')).filter((r) => String(r.name).startsWith('ws_'));
    const props = (name: string) =>
      rows
        .filter((r) => r.name === name)
        .map((r) => JSON.parse(String(r.props)) as Record<string, unknown>)
        .sort(
          (a, b) =>
            String(a.endpoint).localeCompare(String(b.endpoint)) ||
            Number(a.attempt) - Number(b.attempt),
        );
    expect(props('ws_connect')).toEqual([
      { endpoint: '/ws/feed', attempt: 0, failed: true },
      { endpoint: '/ws/orders', attempt: 0 },
      { endpoint: '/ws/orders', attempt: 1 },
    ]);
    expect(
      props('ws_disconnect').map(({ endpoint, attempt, code, by_client, connected, abnormal }) => ({
        endpoint,
        attempt,
        code,
        by_client,
        connected,
        abnormal,
      })),
    ).toEqual([
      {
        endpoint: '/ws/feed',
        attempt: 0,
        code: 1006,
        by_client: false,
        connected: false,
        abnormal: true,
      },
      {
        endpoint: '/ws/orders',
        attempt: 0,
        code: 1005,
        by_client: true,
        connected: true,
        abnormal: false,
      },
      {
        endpoint: '/ws/orders',
        attempt: 1,
        code: 1006,
        by_client: false,
        connected: true,
        abnormal: true,
      },
    ]);
    // The token in the socket's query string is never sent.
    expect(JSON.stringify(rows)).not.toContain('secret');

    // The catalog's disconnect rate: 2 drops out of 3 connections, per endpoint too.
    const answer = await t.app.fastify.inject({
      method: 'POST',
      url: `/api/v1/projects/${t.project.id}/reports/trends`,
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload: {
        range: 'today',
        granularity: 'all',
        series: [
          { metric: 'ws_connections' },
          { metric: 'ws_drops' },
          { metric: 'ws_disconnect_rate' },
        ],
        filters: [{ dimension: 'app', op: 'eq', value: 'sockets' }],
      },
    });
    expect(answer.statusCode, answer.body).toBe(200);
    const result = answer.json<{
      result: { series: Array<{ metric: string; groups: Array<{ total: number | null }> }> };
    }>().result;
    const totals = result.series.map((series) => [series.metric, series.groups[0]?.total]);
    expect(totals).toEqual([
      ['ws_connections', 3],
      ['ws_drops', 2],
      ['ws_disconnect_rate', 2 / 3],
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });
});

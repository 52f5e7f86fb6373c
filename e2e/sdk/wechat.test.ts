import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import {
  initWechat,
  type PageOptions,
  type SocketTaskLike,
  type WxLike,
} from '../../packages/sdk/src/wechat/index.ts';
import { createTestApp, type TestApp } from '../../packages/server/src/testing/test-app.ts';

/**
 * A scripted `wx` that behaves like the mini-program API: wx.request really sends over HTTP and
 * calls success with statusCode/header (also for 4xx/5xx) or fail with errMsg; storage keeps
 * strings and returns '' for missing keys; app show/hide and network listeners fire on demand.
 */
function scriptedWx() {
  const storage = new Map<string, string>();
  const hide: Array<() => void> = [];
  const show: Array<(o: { path?: string }) => void> = [];
  const network: Array<(r: { isConnected: boolean; networkType: string }) => void> = [];
  let offline = false;
  const requests: string[] = [];
  const wx: WxLike = {
    request(options) {
      requests.push(options.url);
      if (offline) {
        setTimeout(() => options.fail({ errMsg: 'request:fail net::ERR_INTERNET_DISCONNECTED' }));
        return {};
      }
      fetch(options.url, { method: options.method, body: options.data, headers: options.header })
        .then(async (response) => {
          // Like wx (dataType json): a JSON answer arrives parsed, anything else as text.
          const text = await response.text();
          let data: unknown = text;
          try {
            data = JSON.parse(text);
          } catch {
            // Not JSON: the text.
          }
          const header: Record<string, string> = {};
          response.headers.forEach((value, key) => (header[key] = value));
          options.success({ statusCode: response.status, header, data });
        })
        .catch((error: Error) => options.fail({ errMsg: `request:fail ${error.message}` }));
      return {};
    },
    getStorageSync: (key) => storage.get(key) ?? '',
    setStorageSync: (key, value) => void storage.set(key, value),
    onAppHide: (listener) => void hide.push(listener),
    onAppShow: (listener) => void show.push(listener),
    getNetworkType: (options) => options.success({ networkType: '4g' }),
    onNetworkStatusChange: (listener) => void network.push(listener),
  };
  return {
    wx,
    storage,
    requests,
    setOffline: (value: boolean) => (offline = value),
    hideApp: () => hide.forEach((listener) => listener()),
    showApp: () => show.forEach((listener) => listener({ path: 'pages/index/index' })),
    changeNetwork: (networkType: string) =>
      network.forEach((listener) => listener({ isConnected: true, networkType })),
  };
}

/**
 * A SocketTask as wx.connectSocket returns it, over a real WebSocket: onOpen, onClose with the
 * close code and reason, close({ code, reason }).
 */
function socketTask(url: string): SocketTaskLike & { closed: Promise<number> } {
  const socket = new WebSocket(url);
  const onOpen: Array<() => void> = [];
  const onClose: Array<(result: { code: number; reason: string }) => void> = [];
  socket.on('error', () => undefined);
  socket.on('open', () => onOpen.forEach((listener) => listener()));
  const closed = new Promise<number>((resolve) =>
    socket.on('close', (code, reason) => {
      onClose.forEach((listener) => listener({ code, reason: reason.toString() }));
      resolve(code);
    }),
  );
  return {
    closed,
    onOpen: (listener) => void onOpen.push(listener),
    onClose: (listener) => void onClose.push(listener),
    close: (options) => socket.close(options?.code ?? 1000, options?.reason),
  };
}

/** The page stack the mini-program runtime keeps (getCurrentPages). */
const stack: Array<{ route: string }> = [];
(globalThis as { getCurrentPages?: () => Array<{ route: string }> }).getCurrentPages = () => stack;

describe('WeChat mini-program adapter against a real server', () => {
  let t: TestApp;
  let endpoint = '';
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
    endpoint = `http://127.0.0.1:${(t.app.fastify.server.address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  const eventsOf = (app: string) =>
    t.app.services.eventStore.query(
      `SELECT name, page, platform, network, props FROM events WHERE app = $1 ORDER BY name`,
      [app],
    );

  it('tracks page views, time on page and shares through Page options, sending on app hide', async () => {
    const w = scriptedWx();
    const sightline = initWechat(w.wx, {
      endpoint,
      writeKey: t.project.writeKey,
      app: 'mp-shop',
      flushInterval: 100_000,
    });
    const calls: string[] = [];
    const page: PageOptions = sightline.trackedPage({
      onShow: () => calls.push('show'),
      onHide: () => calls.push('hide'),
      onShareAppMessage: () => ({ title: '好物', path: '/pages/product/detail?id=p1' }),
    });
    stack.push({ route: 'pages/product/detail' });
    page.onShow?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const share = page.onShareAppMessage?.({ from: 'button' });
    w.changeNetwork('wifi');
    page.onHide?.();
    // The page's own handlers still run and return what they return.
    expect(calls).toEqual(['show', 'hide']);
    expect(share).toEqual({ title: '好物', path: '/pages/product/detail?id=p1' });
    w.hideApp();
    await sightline.flush();
    const rows = await eventsOf('mp-shop');
    expect(rows.map((r) => [r.name, r.page, r.platform])).toEqual([
      ['page_leave', 'pages/product/detail', 'miniprogram'],
      ['page_view', 'pages/product/detail', 'miniprogram'],
      ['share', 'pages/product/detail', 'miniprogram'],
    ]);
    // The network type at the time of each event.
    expect(rows.map((r) => r.network)).toEqual(['wifi', '4g', '4g']);
    expect(JSON.parse(String(rows[2]?.props))).toEqual({
      target: 'wechat_friend',
      from: 'button',
      path: '/pages/product/detail?id=p1',
    });
    expect(Number(JSON.parse(String(rows[0]?.props)).duration_ms)).toBeGreaterThanOrEqual(20);
    sightline.close();
  });

  it('keeps events in wx storage while offline and sends them when the app shows again', async () => {
    const w = scriptedWx();
    const options = {
      endpoint,
      writeKey: t.project.writeKey,
      app: 'mp-offline',
      flushInterval: 100_000,
    };
    const first = initWechat(w.wx, options);
    w.setOffline(true);
    first.track('add_to_cart', { product_id: 'p9' });
    w.hideApp(); // tries to send: fails, kept
    await new Promise((resolve) => setTimeout(resolve, 50));
    first.close();
    expect(JSON.parse(w.storage.get('sightline_queue') ?? '[]')).toHaveLength(1);
    expect(await eventsOf('mp-offline')).toEqual([]);
    // The next launch, online: the stored event goes out when the app shows.
    w.setOffline(false);
    const second = initWechat(w.wx, options);
    w.showApp();
    await second.flush();
    expect((await eventsOf('mp-offline')).map((r) => r.name)).toEqual(['add_to_cart']);
    second.close();
  });

  it('fetches the remote config with wx.request, keeps it in wx storage and applies it', async () => {
    const patch = (sdkConfig: Record<string, unknown>) =>
      t.app.fastify.inject({
        method: 'PATCH',
        url: `/api/v1/projects/${t.project.id}`,
        headers: { authorization: `Bearer ${t.adminToken}` },
        payload: { sdkConfig },
      });
    await patch({ disabledFields: ['network'] });
    try {
      const w = scriptedWx();
      const options = { endpoint, writeKey: t.project.writeKey, app: 'mp-remote' };
      const sightline = initWechat(w.wx, options);
      sightline.track('add_to_cart');
      await sightline.flush();
      sightline.close();
      expect(w.requests.filter((url) => url.includes('/api/v1/sdk-config'))).toHaveLength(1);
      expect(JSON.parse(w.storage.get('sightline_config') ?? '{}')).toMatchObject({
        config: { disabledFields: ['network'] },
      });
      expect(await eventsOf('mp-remote')).toEqual([
        expect.objectContaining({ name: 'add_to_cart', network: null }),
      ]);

      // Switched off: the next launch applies the saved config at once, and the fresh one
      // (the kill switch) as soon as it arrives.
      await patch({ enabled: false });
      const next = initWechat(w.wx, options);
      await next.flush();
      next.track('after_kill_switch');
      await next.flush();
      next.close();
      expect((await eventsOf('mp-remote')).map((r) => r.name)).toEqual(['add_to_cart']);
    } finally {
      await patch({ enabled: true, disabledFields: [] });
    }
  });

  it('reports socket connections and drops of wx.connectSocket tasks', async () => {
    // The shop's push service: it drops the second connection right after it opens.
    const http = createServer();
    const sockets = new WebSocketServer({ server: http });
    let connections = 0;
    sockets.on('connection', (socket) => {
      connections += 1;
      if (connections === 2) setTimeout(() => socket.terminate(), 20);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws/orders?token=t1`;
    const w = scriptedWx();
    const sightline = initWechat(w.wx, {
      endpoint,
      writeKey: t.project.writeKey,
      app: 'mp-sockets',
      flushInterval: 100_000,
    });
    try {
      const first = sightline.trackSocketTask(socketTask(url), { url });
      await new Promise<void>((resolve) => first.onOpen(resolve));
      first.close({ code: 1000 });
      const second = sightline.trackSocketTask(socketTask(url), { url });
      expect([await first.closed, await second.closed]).toEqual([1000, 1006]);
      await sightline.flush();
      const rows = (await eventsOf('mp-sockets')).map((r) => ({
        name: r.name,
        ...(JSON.parse(String(r.props)) as Record<string, unknown>),
      }));
      const pick = (row: Record<string, unknown>) => ({
        name: row.name,
        endpoint: row.endpoint,
        attempt: row.attempt,
        abnormal: row.abnormal,
        by_client: row.by_client,
      });
      expect(
        rows
          .map(pick)
          .sort(
            (a, b) =>
              Number(a.attempt) - Number(b.attempt) || String(a.name).localeCompare(String(b.name)),
          ),
      ).toEqual([
        {
          name: 'ws_connect',
          endpoint: '/ws/orders',
          attempt: 0,
          abnormal: undefined,
          by_client: undefined,
        },
        {
          name: 'ws_disconnect',
          endpoint: '/ws/orders',
          attempt: 0,
          abnormal: false,
          by_client: true,
        },
        {
          name: 'ws_connect',
          endpoint: '/ws/orders',
          attempt: 1,
          abnormal: undefined,
          by_client: undefined,
        },
        {
          name: 'ws_disconnect',
          endpoint: '/ws/orders',
          attempt: 1,
          abnormal: true,
          by_client: false,
        },
      ]);
    } finally {
      sightline.close();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });
});

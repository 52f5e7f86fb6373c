import { createClient, type Client, type ClientOptions, type ClientPlatform } from '../client.ts';
import {
  createSocketTracking,
  socketEndpoint,
  type SocketTrackOptions,
  type StartSocket,
} from '../socket-tracking.ts';

export type { SocketTrackOptions } from '../socket-tracking.ts';

/** The parts of a mini-program SocketTask (wx.connectSocket) the SDK listens to. */
export interface SocketTaskLike {
  onOpen(listener: () => void): void;
  onClose(listener: (result: { code?: number; reason?: string }) => void): void;
  close(options?: { code?: number; reason?: string }): void;
}

/** The parts of the mini-program `wx` API the SDK uses (see the WeChat docs). */
export interface WxLike {
  request(options: {
    url: string;
    method: 'GET' | 'POST';
    data?: string;
    header: Record<string, string>;
    timeout?: number;
    /** wx parses a JSON answer into `data` (dataType `json`, the default). */
    success(result: { statusCode: number; header?: Record<string, string>; data?: unknown }): void;
    fail(error: { errMsg: string }): void;
  }): { abort?(): void } | void;
  getStorageSync(key: string): unknown;
  setStorageSync(key: string, value: string): void;
  onAppHide?(listener: () => void): void;
  onAppShow?(listener: (options: { path?: string; scene?: number }) => void): void;
  getNetworkType?(options: { success(result: { networkType: string }): void }): void;
  onNetworkStatusChange?(
    listener: (result: { isConnected: boolean; networkType: string }) => void,
  ): void;
}

/** A mini-program page's options object, as passed to `Page({...})`. */
export type PageOptions = Record<string, unknown> & {
  onShow?: (...args: unknown[]) => unknown;
  onHide?: (...args: unknown[]) => unknown;
  onShareAppMessage?: (...args: unknown[]) => unknown;
};

export interface WechatOptions extends ClientOptions {
  /** Page views from each page's onShow (through trackedPage or wrapPage). Default true. */
  pageviews?: boolean;
}

export interface WechatSightline extends Client {
  /**
   * Wraps a page's options so its views, time on page and shares are tracked:
   * `Page(sightline.trackedPage({ onShow() {…} }))`.
   */
  trackedPage<T extends PageOptions>(options: T): T;
  /**
   * Reports a socket's connection and its end (ws_connect, ws_disconnect) for the WebSocket
   * disconnect rate: `sightline.trackSocketTask(wx.connectSocket({ url }), { url })`. Pass the
   * URL (or an endpoint) since a SocketTask does not expose it. Returns the task.
   */
  trackSocketTask<T extends SocketTaskLike>(
    task: T,
    options: SocketTrackOptions & { url?: string },
  ): T;
}

/** Listens to one SocketTask; its own close() is marked, so closing it is not a drop. */
function watchSocketTask<T extends SocketTaskLike>(
  start: StartSocket,
  task: T,
  options: SocketTrackOptions & { url?: string },
): T {
  try {
    const life = start(options.endpoint ?? socketEndpoint(options.url ?? ''));
    task.onOpen(() => life.opened());
    // A SocketTask reports no wasClean; a 1000 close is a clean one.
    task.onClose((result) => {
      const code = result?.code ?? 1006;
      life.closed(code, result?.reason ?? '', code === 1000);
    });
    const close = task.close.bind(task);
    task.close = (closeOptions?: { code?: number; reason?: string }) => {
      life.closing();
      close(closeOptions);
    };
  } catch {
    // Never into the host app.
  }
  return task;
}

/** The route of the page on top of the stack (`pages/product/detail`), when there is one. */
function currentRoute(): string | null {
  const pages = (
    globalThis as { getCurrentPages?: () => Array<{ route?: string }> }
  ).getCurrentPages?.();
  return pages?.[pages.length - 1]?.route ?? null;
}

/** The mini-program as the SDK's platform: wx.request (events, remote config), wx storage, network type. */
function createWxPlatform(wx: WxLike): ClientPlatform {
  let network: string | null = null;
  wx.getNetworkType?.({ success: (result) => (network = result.networkType) });
  wx.onNetworkStatusChange?.((result) => (network = result.networkType));
  return {
    post: (url, body, headers, options) =>
      new Promise((resolve, reject) => {
        const task = wx.request({
          url,
          method: 'POST',
          data: body,
          header: headers,
          timeout: 10_000,
          success: (result) => {
            const retryAfter = Number(
              result.header?.['Retry-After'] ?? result.header?.['retry-after'],
            );
            resolve({
              status: result.statusCode,
              retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : null,
            });
          },
          fail: (error) => reject(new Error(error.errMsg)),
        });
        options.signal.addEventListener('abort', () => task?.abort?.());
      }),
    get: (url, header) =>
      new Promise((resolve, reject) => {
        wx.request({
          url,
          method: 'GET',
          header,
          timeout: 5_000,
          success: (result) =>
            resolve({
              status: result.statusCode,
              etag: result.header?.ETag ?? result.header?.etag ?? null,
              body: result.data,
            }),
          fail: (error) => reject(new Error(error.errMsg)),
        });
      }),
    storage: {
      get: (key) => {
        const value = wx.getStorageSync(key);
        return typeof value === 'string' && value !== '' ? value : null;
      },
      set: (key, value) => wx.setStorageSync(key, value),
    },
    context: () => ({
      ...(network ? { network } : {}),
      ...(currentRoute() ? { page: currentRoute() } : {}),
    }),
  };
}

/**
 * Starts the SDK in a WeChat mini-program (call it in app.js). Events are sent with wx.request;
 * the queue lives in wx storage; when the app is hidden what is queued is sent at once.
 */
export function initWechat(wx: WxLike, options: WechatOptions): WechatSightline {
  const client = createClient({ platform: 'miniprogram', ...options }, createWxPlatform(wx));
  wx.onAppHide?.(() => void client.flush());
  wx.onAppShow?.(() => void client.flush());
  const pageviews = options.pageviews ?? true;

  function trackedPage<T extends PageOptions>(page: T): T {
    let shownAt = 0;
    const wrapped: PageOptions = { ...page };
    wrapped.onShow = function onShow(this: unknown, ...args: unknown[]) {
      try {
        shownAt = Date.now();
        if (pageviews) client.page();
      } catch {
        // Never into the host app.
      }
      return page.onShow?.apply(this, args);
    };
    wrapped.onHide = function onHide(this: unknown, ...args: unknown[]) {
      try {
        if (shownAt)
          client.track('page_leave', { page: currentRoute(), duration_ms: Date.now() - shownAt });
        shownAt = 0;
      } catch {
        // Never into the host app.
      }
      return page.onHide?.apply(this, args);
    };
    if (page.onShareAppMessage) {
      const share = page.onShareAppMessage;
      wrapped.onShareAppMessage = function onShareAppMessage(this: unknown, ...args: unknown[]) {
        const result = share.apply(this, args) as { path?: string; title?: string } | undefined;
        try {
          const from = (args[0] as { from?: string } | undefined)?.from;
          client.track('share', {
            target: 'wechat_friend',
            ...(from ? { from } : {}),
            ...(result?.path ? { path: result.path } : {}),
          });
        } catch {
          // Never into the host app.
        }
        return result;
      };
    }
    return wrapped as T;
  }

  const startSocket = createSocketTracking(client);
  return Object.assign(Object.create(client) as Client, {
    trackedPage,
    trackSocketTask: <T extends SocketTaskLike>(
      task: T,
      socketOptions: SocketTrackOptions & { url?: string },
    ) => watchSocketTask(startSocket, task, socketOptions),
  });
}

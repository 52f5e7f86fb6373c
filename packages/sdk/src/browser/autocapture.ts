import type { Client } from '../client.ts';

export interface AutocaptureOptions {
  /** Page views on load and on SPA navigation (history API, hash), with dwell time. Default true. */
  pageviews?: boolean;
  /** Clicks on elements with `data-sl-click="<name>"` as `click_<name>`. Default true. */
  clicks?: boolean;
  /** Uncaught errors and unhandled rejections. Default true. */
  errors?: boolean;
  /** fetch and XMLHttpRequest calls as `api_call` (not the SDK's own). Default true. */
  network?: boolean;
}

/** What autocapture needs besides the client: where its own requests go, and the transport. */
export interface AutocaptureHooks {
  endpoint: string;
  flushOnHide(): void;
  flush(): void;
}

/** A path with ids masked, so `/api/products/123` and `/api/products/456` are one route. */
export function routeOf(url: string): string {
  let path = url;
  try {
    path = new URL(url, location.href).pathname;
  } catch {
    // Keep what we were given.
  }
  return path
    .split('/')
    .map((part) =>
      /^\d+$/.test(part) || /^[0-9a-f-]{16,}$/i.test(part) || /^[0-9a-z]{20,}$/i.test(part)
        ? ':id'
        : part,
    )
    .join('/');
}

/** Props of a clicked element from its `data-sl-*` attributes (never input values). */
function clickProps(element: Element): Record<string, string> {
  const props: Record<string, string> = {};
  for (const attribute of Array.from(element.attributes)) {
    if (!attribute.name.startsWith('data-sl-') || attribute.name === 'data-sl-click') continue;
    props[attribute.name.slice(8).replace(/-/g, '_')] = attribute.value.slice(0, 200);
  }
  return props;
}

/**
 * Turns on automatic capture; returns a function that turns it off again (restoring patched
 * APIs). Every handler is wrapped so nothing the SDK does can break the host page.
 */
export function startAutocapture(
  client: Client,
  hooks: AutocaptureHooks,
  options: AutocaptureOptions = {},
): () => void {
  const undo: Array<() => void> = [];
  const listen = (target: EventTarget, type: string, handler: (event: Event) => void) => {
    const safe = (event: Event) => {
      try {
        handler(event);
      } catch {
        // Never into the host page.
      }
    };
    target.addEventListener(type, safe, true);
    undo.push(() => target.removeEventListener(type, safe, true));
  };

  if (options.pageviews ?? true) {
    let current = location.pathname + location.hash;
    let enteredAt = Date.now();
    const leave = () => {
      client.track('page_leave', { page: current, duration_ms: Date.now() - enteredAt });
    };
    const navigated = () => {
      const next = location.pathname + location.hash;
      if (next === current) return;
      leave();
      current = next;
      enteredAt = Date.now();
      client.page();
    };
    client.page();
    for (const method of ['pushState', 'replaceState'] as const) {
      // Patching keeps the original to call it with the page's own `this`.
      // eslint-disable-next-line @typescript-eslint/unbound-method
      const original = history[method];
      history[method] = function patched(this: History, ...args: Parameters<History['pushState']>) {
        const result = original.apply(this, args);
        try {
          navigated();
        } catch {
          // Never into the host page.
        }
        return result;
      };
      undo.push(() => {
        history[method] = original;
      });
    }
    listen(window, 'popstate', navigated);
    listen(window, 'hashchange', navigated);
    listen(window, 'pagehide', leave);
  }

  listen(document, 'visibilitychange', () => {
    if (document.visibilityState === 'hidden') hooks.flushOnHide();
  });
  listen(window, 'pagehide', () => hooks.flushOnHide());
  listen(window, 'online', () => hooks.flush());

  if (options.clicks ?? true)
    listen(document, 'click', (event) => {
      const target =
        event.target instanceof Element ? event.target.closest('[data-sl-click]') : null;
      const name = target?.getAttribute('data-sl-click');
      if (target && name) client.track(`click_${name}`, clickProps(target));
    });

  if (options.errors ?? true) {
    listen(window, 'error', (event) => {
      const e = event as ErrorEvent;
      if (!e.message && !e.error) return; // a resource failed to load: not a script error
      client.trackError(e.error ?? new Error(e.message), {
        fatal: true,
        source: 'onerror',
        ...(e.filename ? { file: e.filename, line: e.lineno, column: e.colno } : {}),
      });
    });
    listen(window, 'unhandledrejection', (event) => {
      const reason: unknown = (event as PromiseRejectionEvent).reason;
      client.trackError(reason, { fatal: false, source: 'unhandledrejection' });
    });
  }

  if (options.network ?? true) instrumentNetwork(client, hooks.endpoint, undo);
  return () => {
    for (const step of undo.splice(0).reverse()) step();
  };
}

/** Wraps fetch and XMLHttpRequest to record each call as an `api_call` event. */
function instrumentNetwork(client: Client, endpoint: string, undo: Array<() => void>): void {
  // The SDK's own requests are not API calls of the page. Never throws (the host's call goes on).
  const own = (url: string) => {
    try {
      return new URL(url, location.href).href.startsWith(endpoint);
    } catch {
      return false;
    }
  };
  /**
   * Per method and route: failures in a row (network error, 429, 5xx) and when the last one
   * ended. A call within a minute of such a failure is counted as its retry number.
   */
  const failures = new Map<string, [number, number]>();
  const record = (
    method: string,
    url: string,
    status: number,
    started: number,
    timeout = false,
  ) => {
    try {
      const route = routeOf(url);
      const key = `${method.toUpperCase()} ${route}`;
      const [failed = 0, at = 0] = failures.get(key) ?? [];
      const retry = started - at < 60_000 ? failed : 0;
      if (status === 0 || status === 429 || status >= 500)
        failures.set(key, [retry + 1, Date.now()]);
      else failures.delete(key);
      client.capture({
        type: 'api',
        name: 'api_call',
        status,
        duration_ms: Math.max(0, Date.now() - started),
        props: { method: method.toUpperCase(), route, timeout, retry },
      });
    } catch {
      // Never into the host page.
    }
  };

  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with window below
  const originalFetch = window.fetch;
  window.fetch = function tracedFetch(input: RequestInfo | URL, init?: RequestInit) {
    const started = Date.now();
    const call = originalFetch.call(window, input, init);
    let url = '';
    let method = 'GET';
    try {
      url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    } catch {
      return call; // an input we cannot read: the page's call goes on untouched
    }
    if (own(url)) return call;
    return call.then(
      (response) => {
        record(method, url, response.status, started);
        return response;
      },
      (error: unknown) => {
        record(method, url, 0, started, (error as Error)?.name === 'TimeoutError');
        throw error;
      },
    );
  };
  undo.push(() => {
    window.fetch = originalFetch;
  });

  const proto = XMLHttpRequest.prototype;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with each request below
  const { open, send } = proto;
  const calls = new WeakMap<XMLHttpRequest, { method: string; url: string }>();
  proto.open = function tracedOpen(
    this: XMLHttpRequest,
    method: string,
    url: string | URL,
    ...rest: unknown[]
  ) {
    calls.set(this, { method, url: String(url) });
    return (open as (...args: unknown[]) => void).call(this, method, url, ...rest);
  };
  proto.send = function tracedSend(
    this: XMLHttpRequest,
    body?: Document | XMLHttpRequestBodyInit | null,
  ) {
    const call = calls.get(this);
    if (call && !own(call.url)) {
      const started = Date.now();
      let timedOut = false;
      this.addEventListener('timeout', () => (timedOut = true));
      this.addEventListener('loadend', () =>
        record(call.method, call.url, this.status, started, timedOut),
      );
    }
    return send.call(this, body);
  };
  undo.push(() => {
    proto.open = open;
    proto.send = send;
  });
}

import type { TransportPlatform } from './transport.ts';
import type { GetJson } from './remote-config.ts';

/** Retry-After as seconds: a number of seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, (at - now) / 1000);
}

/** TransportPlatform.post over the platform's fetch (browsers, Node 18+). */
export const fetchPost: TransportPlatform['post'] = async (url, body, headers, options) => {
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers,
    keepalive: options.keepalive,
    signal: options.signal,
    credentials: 'omit',
  });
  // Read the (small) answer so the connection can be reused.
  await response.arrayBuffer().catch(() => undefined);
  return {
    status: response.status,
    retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
  };
};

/** GetJson over the platform's fetch: the remote config (a cross-origin GET, no cookies). */
export const fetchGet: GetJson = async (url, headers) => {
  const response = await fetch(url, { headers, credentials: 'omit' });
  return {
    status: response.status,
    etag: response.headers.get('etag'),
    body: response.status === 200 ? await response.json() : null,
  };
};

import type { Client } from './client.ts';

export interface SocketTrackOptions {
  /**
   * What the connection is for, stable and free of ids and tokens (`/ws/orders`). Default: the
   * path of the socket's URL (its query string, where tokens often sit, is never sent).
   */
  endpoint?: string;
}

/** One socket's life, told by the platform's socket wrapper. */
export interface SocketLifecycle {
  opened(): void;
  /** The app itself asked to close: whatever code follows, this is not a drop. */
  closing(): void;
  closed(code: number, reason: string, clean: boolean): void;
}

export type StartSocket = (endpoint: string) => SocketLifecycle;

const CLOSE_NORMAL = 1000;
const CLOSE_GOING_AWAY = 1001;
const MAX_REASON_CHARS = 120;

/** The path of a socket URL, without query or fragment: `wss://h/ws/orders?t=x` → `/ws/orders`. */
export function socketEndpoint(url: string): string {
  const path = url.replace(/^[a-z]+:\/\/[^/?#]*/i, '').replace(/[?#].*$/, '');
  return path || '/';
}

/**
 * WebSocket connections as events (docs/events.md, WebSocket connections): `ws_connect` when a
 * socket opens or fails to, `ws_disconnect` when it ends. A drop is an end the app did not ask
 * for with a close code other than 1000/1001; a socket that never opened counts as a connection
 * that dropped, so the disconnect rate covers failed handshakes too. Attempts are counted per
 * endpoint for the life of the page or app, so reconnections show as attempt > 0.
 */
export function createSocketTracking(
  client: Pick<Client, 'capture'>,
  now: () => number = Date.now,
): StartSocket {
  const attempts = new Map<string, number>();
  return (endpoint) => {
    const attempt = attempts.get(endpoint) ?? 0;
    attempts.set(endpoint, attempt + 1);
    const startedAt = now();
    let openedAt = 0;
    let byClient = false;
    let ended = false;
    const send = (name: string, durationMs: number, props: Record<string, unknown>) => {
      try {
        client.capture({
          type: 'event',
          name,
          duration_ms: Math.max(0, durationMs),
          props: { endpoint, attempt, ...props },
        });
      } catch {
        // Never into the host app.
      }
    };
    return {
      opened() {
        if (openedAt || ended) return;
        openedAt = now();
        send('ws_connect', openedAt - startedAt, {});
      },
      closing() {
        byClient = true;
      },
      closed(code, reason, clean) {
        if (ended) return;
        ended = true;
        const at = now();
        if (!openedAt) send('ws_connect', at - startedAt, { failed: true });
        send('ws_disconnect', openedAt ? at - openedAt : 0, {
          code,
          ...(reason ? { reason: reason.slice(0, MAX_REASON_CHARS) } : {}),
          clean,
          by_client: byClient,
          connected: openedAt > 0,
          abnormal: !byClient && code !== CLOSE_NORMAL && code !== CLOSE_GOING_AWAY,
        });
      },
    };
  };
}

import type { Client } from '../client.ts';
import {
  createSocketTracking,
  socketEndpoint,
  type SocketTrackOptions,
  type StartSocket,
} from '../socket-tracking.ts';

export type { SocketTrackOptions } from '../socket-tracking.ts';

/** One tracker per client, so reconnections to an endpoint are counted across sockets. */
const trackers = new WeakMap<object, StartSocket>();

/**
 * Reports a WebSocket's connection and its end (`ws_connect`, `ws_disconnect`) through the
 * running SDK, so the WebSocket disconnect rate can be watched. An optional entry point
 * (`@sightline/sdk/websocket`, or `sightline-websocket.js` after the script tag) so pages
 * without sockets do not pay for it. Call it right after `new WebSocket(url)`; returns the
 * socket. The socket's own close() is marked, so closing it on purpose is not a drop.
 */
export function trackWebSocket(
  client: Pick<Client, 'capture'>,
  socket: WebSocket,
  options: SocketTrackOptions = {},
): WebSocket {
  try {
    let start = trackers.get(client);
    if (!start) {
      start = createSocketTracking(client);
      trackers.set(client, start);
    }
    const life = start(options.endpoint ?? socketEndpoint(socket.url));
    if (socket.readyState === 1) life.opened();
    socket.addEventListener('open', () => life.opened());
    socket.addEventListener('close', (event) =>
      life.closed(event.code, event.reason, event.wasClean),
    );
    const close = socket.close.bind(socket);
    socket.close = (code?: number, reason?: string) => {
      life.closing();
      close(code, reason);
    };
  } catch {
    // Never into the host page.
  }
  return socket;
}

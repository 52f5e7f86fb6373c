import type { Client } from '../client.ts';
import { trackWebSocket, type SocketTrackOptions } from './websocket.ts';

/**
 * `sightline-websocket.js`: load after `sightline.js`; then
 * `sightlineWebSocket.track(new WebSocket(url), { endpoint: '/ws/orders' })`.
 */
const sdk = (window as Window & { sightline?: { instance(): Client | null } }).sightline;
(window as Window & { sightlineWebSocket?: unknown }).sightlineWebSocket = {
  track(socket: WebSocket, options?: SocketTrackOptions): WebSocket {
    const client = sdk?.instance();
    return client ? trackWebSocket(client, socket, options) : socket;
  },
};

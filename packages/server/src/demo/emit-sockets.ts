import { findDemoAnomaly, isInDemoAnomalyWindow } from './demo-anomalies.ts';
import { getLocalMinute } from './demo-calendar.ts';
import { createPrng, deriveSeed, type Prng } from './prng.ts';
import type { EmitDayContext, SessionWriter } from './session-writer.ts';

/** The shop's push service (order status, messages), as its pages open it. */
const ENDPOINT = '/ws/notify';
/** Share of connections that drop on an ordinary day: phones losing the network. */
const DROP_RATE = 0.015;
/**
 * The push gateway shares the checkout's hosts: while the checkout is slow (the latency spike)
 * it drops most connections, so the WebSocket disconnect rate rule has an incident to find.
 */
const DROP_RATE_IN_SPIKE = 0.4;
/** Own random stream, so adding sockets left every earlier draw of the demo as it was. */
const SOCKET_STREAM = 0x50c7;

const latencySpike = findDemoAnomaly('latency_spike');

/**
 * The push connection of a browsing session (web, h5, mini program) from its first page to its
 * end, as the SDK reports it: ws_connect, then ws_disconnect when the page goes away (1001) or,
 * now and then, a drop (1006) and a reconnect a few seconds later.
 */
export function emitSockets(
  w: SessionWriter,
  ctx: EmitDayContext,
  session: { start: number; end: number },
): void {
  const rng = sessionPrng(w.sessionId);
  let at = session.start + rng.int(200, 1_500);
  let attempt = 0;
  while (at < session.end) {
    const handshakeMs = rng.int(30, 250);
    const openedAt = at + handshakeMs;
    // The page is gone before the handshake would finish: no connection.
    if (openedAt >= session.end) return;
    const track = (name: string, ts: number, durationMs: number, props: object) =>
      w.trackAt(
        rng,
        { name, duration_ms: durationMs, props: { endpoint: ENDPOINT, attempt, ...props } },
        ts,
      );
    track('ws_connect', openedAt, handshakeMs, {});
    const spike = isInDemoAnomalyWindow(
      latencySpike,
      ctx.days,
      ctx.day.index,
      getLocalMinute(ctx.day, openedAt),
    );
    const drops = rng.chance(spike ? DROP_RATE_IN_SPIKE : DROP_RATE);
    const endAt = drops ? rng.int(openedAt, Math.max(openedAt, session.end)) : session.end;
    track('ws_disconnect', endAt, endAt - openedAt, {
      code: drops ? 1006 : 1001,
      clean: !drops,
      by_client: false,
      connected: true,
      abnormal: drops,
    });
    if (!drops) return;
    at = endAt + rng.int(1_000, 5_000);
    attempt += 1;
  }
}

function sessionPrng(sessionId: string): Prng {
  const hex = sessionId.replace(/^s_/, '');
  return createPrng(
    deriveSeed(
      SOCKET_STREAM,
      Number.parseInt(hex.slice(0, 8), 16) || 0,
      Number.parseInt(hex.slice(8, 16), 16) || 0,
    ),
  );
}

import type { MysqlProbeConfig, ProbeOutcome } from './probe-schemas.ts';
import { exchangeOverTcp } from './tcp-exchange.ts';

export type MysqlGreeting =
  | { kind: 'handshake'; protocolVersion: number; serverVersion: string; connectionId: number }
  | { kind: 'error'; code: number; message: string };

const HEADER_BYTES = 4;
const PROTOCOL_10 = 10;
const ERR_PACKET = 0xff;
/** Real greetings are ~100 bytes; a larger length means another protocol is talking. */
const MAX_GREETING_BYTES = 4_096;

/**
 * The first packet a MySQL (or MariaDB) server sends: the Initial Handshake (protocol 10) or an
 * ERR packet when it refuses the connection (too many connections, host not allowed).
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html
 * Returns null until the whole packet is in; throws for anything that is not such a packet.
 */
export function parseMysqlGreeting(received: Buffer): MysqlGreeting | null {
  if (received.length < HEADER_BYTES) return null;
  const length = received.readUIntLE(0, 3);
  const sequence = received[3];
  if (sequence !== 0 || length === 0 || length > MAX_GREETING_BYTES) {
    throw new Error('not a MySQL server (no handshake packet)');
  }
  if (received.length < HEADER_BYTES + length) return null;
  const payload = received.subarray(HEADER_BYTES, HEADER_BYTES + length);
  const first = payload[0];
  if (first === ERR_PACKET && payload.length >= 3) {
    // Before the handshake there is no SQL state marker: code, then the message.
    const text = payload.toString('utf8', 3);
    return { kind: 'error', code: payload.readUInt16LE(1), message: text.replace(/^#\w{5}/, '') };
  }
  if (first !== PROTOCOL_10) {
    throw new Error(`not a MySQL server speaking protocol 10 (protocol byte ${String(first)})`);
  }
  const versionEnd = payload.indexOf(0, 1);
  if (versionEnd < 0 || payload.length < versionEnd + 5) {
    throw new Error('malformed MySQL handshake packet');
  }
  return {
    kind: 'handshake',
    protocolVersion: PROTOCOL_10,
    serverVersion: payload.toString('utf8', 1, versionEnd),
    connectionId: payload.readUInt32LE(versionEnd + 1),
  };
}

/**
 * Reads the server's greeting and hangs up without logging in: the server counts an aborted
 * connection, nothing more, and no credentials are needed.
 */
export async function probeMysql(
  config: MysqlProbeConfig,
  options: { timeoutMs: number },
): Promise<ProbeOutcome> {
  const greeting = await exchangeOverTcp({
    host: config.host,
    port: config.port,
    timeoutMs: options.timeoutMs,
    read: parseMysqlGreeting,
  });
  if (!greeting) throw new Error('no answer');
  if (greeting.kind === 'error') {
    return {
      status: 'degraded',
      error: `MySQL refused the connection: ${greeting.code} ${greeting.message}`,
      detail: { errorCode: greeting.code },
    };
  }
  return {
    status: 'up',
    error: null,
    detail: {
      protocolVersion: greeting.protocolVersion,
      serverVersion: greeting.serverVersion,
      connectionId: greeting.connectionId,
    },
  };
}

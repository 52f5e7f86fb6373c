import type { PostgresProbeConfig, ProbeOutcome } from './probe-schemas.ts';
import { exchangeOverTcp } from './tcp-exchange.ts';

/** https://www.postgresql.org/docs/current/protocol-message-formats.html */
const SSL_REQUEST_CODE = 80_877_103;
const PROTOCOL_3_0 = 196_608;
const AUTH_METHODS: Readonly<Record<number, string>> = {
  0: 'ok',
  2: 'kerberos-v5',
  3: 'cleartext-password',
  5: 'md5-password',
  7: 'gss',
  9: 'sspi',
  10: 'sasl',
};

export type PostgresAnswer =
  | { kind: 'ssl'; answer: 'S' | 'N' }
  | { kind: 'auth'; method: string; serverVersion: string | null }
  | { kind: 'error'; severity: string; code: string; message: string };

export function encodeSslRequest(): Buffer {
  const message = Buffer.alloc(8);
  message.writeInt32BE(8, 0);
  message.writeInt32BE(SSL_REQUEST_CODE, 4);
  return message;
}

export function encodeStartupMessage(params: Record<string, string>): Buffer {
  const pairs = Object.entries(params).flatMap(([key, value]) => [key, value]);
  const body = Buffer.from(`${pairs.map((text) => `${text}\0`).join('')}\0`, 'utf8');
  const header = Buffer.alloc(8);
  header.writeInt32BE(8 + body.length, 0);
  header.writeInt32BE(PROTOCOL_3_0, 4);
  return Buffer.concat([header, body]);
}

/** The fields of an ErrorResponse body: a type byte, a C string, …, then a zero byte. */
function readErrorFields(body: Buffer): PostgresAnswer {
  const fields = new Map<string, string>();
  let at = 0;
  while (at < body.length && body[at] !== 0) {
    const end = body.indexOf(0, at + 1);
    if (end < 0) break;
    fields.set(String.fromCharCode(body[at] ?? 0), body.toString('utf8', at + 1, end));
    at = end + 1;
  }
  return {
    kind: 'error',
    severity: fields.get('V') ?? fields.get('S') ?? 'ERROR',
    code: fields.get('C') ?? '',
    message: fields.get('M') ?? 'no message',
  };
}

/** The answer to an SSLRequest: one byte. */
export function parseSslAnswer(received: Buffer): PostgresAnswer | null {
  const first = received[0];
  if (first === undefined) return null;
  if (first === 0x53) return { kind: 'ssl', answer: 'S' };
  if (first === 0x4e) return { kind: 'ssl', answer: 'N' };
  // Only servers older than SSL support answer an ErrorResponse here; read it when complete.
  if (first === 0x45) return parseStartupAnswer(received);
  throw new Error('not a PostgreSQL server (unexpected answer to SSLRequest)');
}

/**
 * Messages after a StartupMessage: an authentication request ('R') is the answer; after
 * AuthenticationOk the server's parameters follow until ReadyForQuery, and server_version is
 * taken from them. Notices are skipped; an ErrorResponse ('E') ends it.
 */
export function parseStartupAnswer(received: Buffer): PostgresAnswer | null {
  let at = 0;
  let authOk = false;
  let serverVersion: string | null = null;
  while (received.length >= at + 5) {
    const type = String.fromCharCode(received[at] ?? 0);
    const length = received.readInt32BE(at + 1);
    if (length < 4 || length > 65_536) throw new Error('not a PostgreSQL server (bad message)');
    if (received.length < at + 1 + length) return null;
    const body = received.subarray(at + 5, at + 1 + length);
    at += 1 + length;
    if (type === 'E') return readErrorFields(body);
    if (type === 'N' && !authOk) continue;
    if (type === 'R' && !authOk) {
      const code = body.length >= 4 ? body.readInt32BE(0) : -1;
      const method = AUTH_METHODS[code] ?? `code-${code}`;
      if (code !== 0) return { kind: 'auth', method, serverVersion: null };
      authOk = true;
      continue;
    }
    if (!authOk) throw new Error(`not a PostgreSQL server (unexpected message '${type}')`);
    if (type === 'S') {
      const [name, value] = body.toString('utf8').split('\0');
      if (name === 'server_version' && value !== undefined) serverVersion = value;
    }
    if (type === 'Z') return { kind: 'auth', method: 'ok', serverVersion };
  }
  return null;
}

/** Terminate ('X'): said after a session was opened, so the server logs a clean disconnect. */
const TERMINATE = Buffer.from([0x58, 0, 0, 0, 4]);

export async function probePostgres(
  config: PostgresProbeConfig,
  options: { timeoutMs: number },
): Promise<ProbeOutcome> {
  const startup = config.mode === 'startup';
  const answer = await exchangeOverTcp({
    host: config.host,
    port: config.port,
    timeoutMs: options.timeoutMs,
    send: startup
      ? encodeStartupMessage({
          user: config.user,
          database: config.database ?? config.user,
          application_name: 'sightline-monitor',
        })
      : encodeSslRequest(),
    read: startup ? parseStartupAnswer : parseSslAnswer,
    goodbye: (answer) => (answer.kind === 'auth' && answer.method === 'ok' ? TERMINATE : null),
  });
  if (!answer) throw new Error('no answer');
  if (answer.kind === 'error') {
    return {
      status: 'degraded',
      error: `PostgreSQL refused the connection: ${answer.severity} ${answer.code} ${answer.message}`,
      detail: { mode: config.mode, errorCode: answer.code },
    };
  }
  if (answer.kind === 'ssl') {
    return {
      status: 'up',
      error: null,
      detail: { mode: config.mode, answer: answer.answer, ssl: answer.answer === 'S' },
    };
  }
  return {
    status: 'up',
    error: null,
    detail: {
      mode: config.mode,
      answer: 'R',
      authMethod: answer.method,
      serverVersion: answer.serverVersion,
    },
  };
}

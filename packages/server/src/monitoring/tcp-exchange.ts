import { connect } from 'node:net';

/** A greeting larger than this is not one of the protocols we speak. */
const MAX_RECEIVED_BYTES = 65_536;

export interface TcpExchangeOptions<T> {
  host: string;
  port: number;
  timeoutMs: number;
  /** Written once connected. */
  send?: Buffer;
  /**
   * Called with everything received so far: the answer once complete, null to wait for more;
   * throws for an answer that is not the expected protocol. Without it, connecting is the answer.
   */
  read?: (received: Buffer) => T | null;
  /** Written before closing, after the answer (a protocol's polite goodbye). */
  goodbye?: (answer: T) => Buffer | null;
}

/**
 * Connects, optionally writes, reads until `read` has an answer, then closes. Rejects on refusal,
 * timeout, early close or a malformed answer; the socket is always destroyed.
 */
export function exchangeOverTcp<T>(options: TcpExchangeOptions<T>): Promise<T | null> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: options.host, port: options.port });
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (error: Error | null, answer: T | null = null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const farewell = error === null && answer !== null ? options.goodbye?.(answer) : null;
      if (farewell) socket.end(farewell, () => socket.destroy());
      else socket.destroy();
      if (error) reject(error);
      else resolve(answer);
    };
    const timer = setTimeout(
      () => finish(new Error(`timed out after ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    socket.on('error', (error) => finish(error));
    socket.on('close', () => finish(new Error('connection closed before the server answered')));
    socket.on('connect', () => {
      if (!options.read) {
        finish(null);
        return;
      }
      if (options.send) socket.write(options.send);
    });
    socket.on('data', (chunk: Buffer) => {
      if (!options.read || settled) return;
      received = Buffer.concat([received, chunk]);
      try {
        if (received.length > MAX_RECEIVED_BYTES) throw new Error('the answer is too large');
        const answer = options.read(received);
        if (answer !== null) finish(null, answer);
      } catch (error) {
        finish(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

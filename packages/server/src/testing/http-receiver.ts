import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver saw it on the wire. */
export interface ReceivedRequest {
  method: string;
  /** Path and query exactly as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The raw body, byte for byte (as UTF-8 text). */
  body: string;
}

export interface ReceiverReply {
  status: number;
  body: string;
  contentType?: string;
}

/** Answers a request, or 'hang' to never answer it. */
export type ReceiverHandler = (request: ReceivedRequest) => ReceiverReply | 'hang';

export interface TestReceiver {
  /** http://127.0.0.1:<port> */
  origin: string;
  requests: ReceivedRequest[];
  answer(handler: ReceiverHandler): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server on an ephemeral port standing in for a chat service or a webhook
 * consumer: tests check what arrived and choose what it answers. Test support only.
 */
export async function startTestReceiver(): Promise<TestReceiver> {
  const requests: ReceivedRequest[] = [];
  let handler: ReceiverHandler = () => ({ status: 200, body: 'ok' });
  const reply = (res: ServerResponse, answer: ReceiverReply) => {
    res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/json' });
    res.end(answer.body);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(received);
      const answer = handler(received);
      if (answer !== 'hang') reply(res, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    answer(next) {
      handler = next;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

import type { AddressInfo } from 'node:net';
import type { Clock } from '../../packages/server/src/platform/index.ts';
import { createTestApp, type TestApp } from '../../packages/server/src/testing/test-app.ts';

/** The JSON answers the tests read: our error envelope, or a tracker's success shape. */
export interface AnswerBody {
  error: { code: string; message: string; details: Record<string, unknown> };
  [key: string]: unknown;
}

export interface CompatServer {
  t: TestApp;
  /** `http://127.0.0.1:<port>`, as a tracker's host option takes it. */
  endpoint: string;
  query(sql: string): ReturnType<TestApp['app']['services']['eventStore']['query']>;
  /** A raw POST, as a tracker sends it; answers with the JSON body. */
  post(
    path: string,
    body: string | Uint8Array,
    headers: Record<string, string>,
  ): Promise<{ status: number; headers: Headers; body: AnswerBody }>;
  close(): Promise<void>;
}

/** A real Sightline server on an ephemeral port (real DuckDB and SQLite files, one project). */
export async function startCompatServer(options: { clock?: Clock } = {}): Promise<CompatServer> {
  const t = await createTestApp(options.clock ? { clock: options.clock } : {});
  await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
  const endpoint = `http://127.0.0.1:${(t.app.fastify.server.address() as AddressInfo).port}`;
  return {
    t,
    endpoint,
    query: (sql) => t.app.services.eventStore.query(sql),
    async post(path, body, headers) {
      const response = await fetch(`${endpoint}${path}`, {
        method: 'POST',
        headers,
        body: typeof body === 'string' ? body : new Uint8Array(body),
      });
      const answer = (await response.json()) as AnswerBody;
      return { status: response.status, headers: response.headers, body: answer };
    },
    close: () => t.close(),
  };
}

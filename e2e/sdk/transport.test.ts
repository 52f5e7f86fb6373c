import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchPost } from '../../packages/sdk/src/fetch-post.ts';
import { createTaskQueue } from '../../packages/sdk/src/task-queue.ts';
import {
  createTransport,
  DROPPED_EVENT,
  randomId,
  type TransportPlatform,
  type WireEvent,
} from '../../packages/sdk/src/transport.ts';
import { createTestApp, type TestApp } from '../../packages/server/src/testing/test-app.ts';

/** Storage as the browser's localStorage behaves: strings by key, kept across pages. */
function memoryStorage() {
  const data = new Map<string, string>();
  return {
    get: (key: string) => data.get(key) ?? null,
    set: (k: string, v: string) => void data.set(k, v),
  };
}

const event = (n: number): WireEvent => ({
  event_id: randomId(),
  type: 'event',
  name: 'add_to_cart',
  anonymous_id: 'anon-1',
  props: { n },
});

/** A real HTTP server answering each request with the next scripted status. */
async function scriptedServer(statuses: Array<number | [number, string]>) {
  const bodies: Array<{ batch: WireEvent[] }> = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(text) as { batch: WireEvent[] });
      const next = statuses.shift() ?? 200;
      const [status, retryAfter] = Array.isArray(next) ? next : [next, null];
      res.writeHead(status, retryAfter ? { 'retry-after': retryAfter } : {});
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Fast retries so tests take milliseconds, with the real backoff rules. */
const quickQueue = () =>
  createTaskQueue({
    requestInterval: 0,
    retryDelay: 10,
    maxRetries: 3,
    retryAfter: (error) => {
      const e = error as { status?: number; retryAfterMs?: number | null };
      if (e.status !== undefined && e.status >= 400 && e.status < 500 && e.status !== 429)
        return false;
      return e.retryAfterMs ?? undefined;
    },
  });

describe('SDK transport', () => {
  let app: TestApp | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  async function startSightline(): Promise<{ endpoint: string; writeKey: string }> {
    app = await createTestApp();
    await app.app.fastify.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.app.fastify.server.address() as AddressInfo;
    return { endpoint: `http://127.0.0.1:${port}`, writeKey: app.project.writeKey };
  }

  const stored = async () =>
    (await app?.app.services.eventStore.query(
      `SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM events WHERE name = 'add_to_cart'`,
    )) ?? [];

  it('delivers full batches and the rest on flush to a real server, then forgets them', async () => {
    const server = await startSightline();
    const storage = memoryStorage();
    const transport = createTransport({
      ...server,
      platform: { post: fetchPost, storage },
      batchSize: 20,
      flushInterval: 60_000,
    });
    for (let n = 0; n < 45; n += 1) transport.enqueue(event(n));
    await transport.flush();
    expect(await stored()).toEqual([{ n: 45, ids: 45 }]);
    expect(transport.size()).toBe(0);
    expect(JSON.parse(storage.get('sightline_queue') ?? 'null')).toEqual([]);
    transport.close();
  });

  it('keeps events while the server is down and delivers them from storage on the next page, once', async () => {
    const storage = memoryStorage();
    // Nothing listens on the port: every attempt fails like a network error.
    const down = createTransport({
      endpoint: 'http://127.0.0.1:9',
      writeKey: 'unused',
      platform: { post: fetchPost, storage },
      queue: quickQueue(),
      flushInterval: 60_000,
    });
    for (let n = 0; n < 5; n += 1) down.enqueue(event(n));
    await down.flush();
    expect(down.size()).toBe(5);
    down.close();

    const server = await startSightline();
    const next = createTransport({ ...server, platform: { post: fetchPost, storage } });
    expect(next.size()).toBe(5);
    const saved = storage.get('sightline_queue') ?? '[]';
    await next.flush();
    expect(next.size()).toBe(0);
    next.close();
    // A third page sends them again (as if the acknowledgement had been lost): deduplicated.
    storage.set('sightline_queue', saved);
    const again = createTransport({ ...server, platform: { post: fetchPost, storage } });
    await again.flush();
    again.close();
    expect(await stored()).toEqual([{ n: 5, ids: 5 }]);
  });

  it('does not retry a 400, halves a batch on 413 and waits for Retry-After on 429', async () => {
    const scripted = await scriptedServer([400, 413, 200, [429, '0'], 200]);
    const platform: TransportPlatform = { post: fetchPost, storage: memoryStorage() };
    const transport = createTransport({
      endpoint: scripted.endpoint,
      writeKey: 'k',
      platform,
      queue: quickQueue(),
      batchSize: 4,
      flushInterval: 60_000,
    });
    // First batch: 400, given up (dropped for good).
    for (let n = 0; n < 4; n += 1) transport.enqueue(event(n));
    await transport.flush();
    expect(transport.size()).toBe(0);
    // Second batch: 413, then its halves: 200 and 429 (retried after 0 s), 200.
    for (let n = 4; n < 8; n += 1) transport.enqueue(event(n));
    await transport.flush();
    expect(transport.size()).toBe(0);
    expect(scripted.bodies.map((b) => b.batch.map((e) => (e.props as { n: number }).n))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [4, 5],
      [6, 7],
      [6, 7],
    ]);
    transport.close();
    await scripted.close();
  });

  it('bounds the queue, dropping the oldest and reporting how many in one event', async () => {
    const scripted = await scriptedServer([]);
    const transport = createTransport({
      endpoint: scripted.endpoint,
      writeKey: 'k',
      platform: { post: fetchPost },
      batchSize: 100,
      maxQueue: 10,
      flushInterval: 60_000,
    });
    for (let n = 0; n < 25; n += 1) transport.enqueue(event(n));
    expect(transport.size()).toBe(10);
    await transport.flush();
    const sent = scripted.bodies.flatMap((b) => b.batch);
    const notice = sent.find((e) => e.name === DROPPED_EVENT);
    expect(notice?.props).toEqual({ count: 16 });
    // The newest nine events and the notice.
    expect(
      sent.filter((e) => e.name !== DROPPED_EVENT).map((e) => (e.props as { n: number }).n),
    ).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24]);
    transport.close();
    await scripted.close();
  });

  it('hands queued events to the beacon when the page hides, within the beacon size limit', async () => {
    const server = await startSightline();
    const beacons: string[] = [];
    const storage = memoryStorage();
    const transport = createTransport({
      ...server,
      platform: {
        post: fetchPost,
        storage,
        beacon: (_url, body) => {
          beacons.push(body);
          return true;
        },
      },
      batchSize: 50,
      flushInterval: 60_000,
    });
    const big = 'x'.repeat(3_000);
    for (let n = 0; n < 30; n += 1) transport.enqueue({ ...event(n), props: { n, big } });
    transport.flushOnHide();
    expect(transport.size()).toBe(0);
    expect(beacons.length).toBeGreaterThan(1);
    expect(beacons.every((b) => b.length <= 60_000)).toBe(true);
    // Each beacon body is accepted by the real server (write key in the body, text/plain).
    for (const body of beacons) {
      const res = await fetch(`${server.endpoint}/api/v1/batch`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'text/plain' },
      });
      expect(res.status).toBe(200);
    }
    expect(await stored()).toEqual([{ n: 30, ids: 30 }]);
    transport.close();
  });
});

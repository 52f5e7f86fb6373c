import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../platform/index.ts';
import { probeSpecSchema, type ProbeSpecInput } from './probe-schemas.ts';
import { probeTarget } from './probe-target.ts';

const clock = createFakeClock(Date.parse('2026-11-21T04:00:00Z'));
const TIMEOUT_MS = 300;

const probe = (spec: ProbeSpecInput) =>
  probeTarget(probeSpecSchema.parse(spec), { clock, timeoutMs: TIMEOUT_MS });

/** A port nothing listens on: bound by us, then released. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('probeTarget: http and tcp', () => {
  let server: Server;
  let base: string;
  const methods: string[] = [];

  beforeEach(async () => {
    methods.length = 0;
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      methods.push(`${request.method} ${request.url} ${String(request.headers['x-check'] ?? '')}`);
      if (request.url === '/slow') return; // never answers
      if (request.url === '/sluggish') clock.advance(500); // takes 500 ms by the clock
      response.statusCode = request.url === '/missing' ? 404 : 200;
      response.end('hello');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('is up on an expected status, with the method and headers configured', async () => {
    expect(await probe({ kind: 'http', config: { url: `${base}/ok` } })).toEqual({
      status: 'up',
      latencyMs: 0,
      error: null,
      detail: { statusCode: 200 },
    });
    const head = await probe({
      kind: 'http',
      config: {
        url: `${base}/missing`,
        method: 'HEAD',
        expectedStatus: 404,
        headers: { 'X-Check': 'yes' },
      },
    });
    expect(head.status).toBe('up');
    expect(methods).toEqual(['GET /ok ', 'HEAD /missing yes']);
  });

  it('is down on another status, a timeout or a closed port', async () => {
    expect(await probe({ kind: 'http', config: { url: `${base}/missing` } })).toEqual({
      status: 'down',
      latencyMs: 0,
      error: 'HTTP 404, expected 200–399',
      detail: { statusCode: 404 },
    });
    expect(
      await probe({
        kind: 'http',
        config: { url: `${base}/ok`, expectedStatus: { min: 201, max: 204 } },
      }),
    ).toMatchObject({ status: 'down', error: 'HTTP 200, expected 201–204' });
    expect(await probe({ kind: 'http', config: { url: `${base}/slow` } })).toEqual({
      status: 'down',
      latencyMs: 0,
      error: `timed out after ${TIMEOUT_MS} ms`,
      detail: {},
    });
    const port = await closedPort();
    const refused = await probe({ kind: 'http', config: { url: `http://127.0.0.1:${port}/` } });
    expect(refused).toMatchObject({ status: 'down', detail: {} });
    expect(refused.error).toContain('ECONNREFUSED');
    const tcp = await probe({ kind: 'tcp', config: { host: '127.0.0.1', port } });
    expect(tcp.status).toBe('down');
    expect(tcp.error).toContain('ECONNREFUSED');
  });

  it('is degraded when slower than maxLatencyMs', async () => {
    expect(
      await probe({ kind: 'http', config: { url: `${base}/sluggish`, maxLatencyMs: 200 } }),
    ).toEqual({
      status: 'degraded',
      latencyMs: 500,
      error: 'answered in 500 ms, slower than 200 ms',
      detail: { statusCode: 200 },
    });
    expect(
      await probe({ kind: 'http', config: { url: `${base}/sluggish`, maxLatencyMs: 500 } }),
    ).toMatchObject({ status: 'up', latencyMs: 500 });
  });

  it('is up when a TCP connection is accepted', async () => {
    const port = Number(new URL(base).port);
    expect(await probe({ kind: 'tcp', config: { host: '127.0.0.1', port } })).toEqual({
      status: 'up',
      latencyMs: 0,
      error: null,
      detail: {},
    });
  });
});

describe('probe target schemas', () => {
  it('refuses unknown kinds, fields and schemes', () => {
    const refused = [
      { kind: 'ftp', config: {} },
      { kind: 'http', config: { url: 'ftp://example.com/' } },
      {
        kind: 'http',
        config: { url: 'http://example.com/', expectedStatus: { min: 500, max: 200 } },
      },
      { kind: 'tcp', config: { host: 'db', port: 70_000 } },
      { kind: 'tcp', config: { host: 'db', port: 5432, extra: true } },
      { kind: 'postgres', config: { host: 'db; rm -rf', mode: 'ssl' } },
    ];
    for (const spec of refused)
      expect(probeSpecSchema.safeParse(spec).success, JSON.stringify(spec)).toBe(false);
    expect(probeSpecSchema.parse({ kind: 'postgres', config: { host: 'db' } })).toEqual({
      kind: 'postgres',
      config: { host: 'db', port: 5432, mode: 'ssl', user: 'sightline' },
    });
  });
});

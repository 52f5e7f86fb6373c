import { Agent, request } from 'node:http';

export interface LoadResult {
  requests: number;
  events: number;
  statuses: Record<number, number>;
  latenciesMs: number[];
  elapsedMs: number;
}

/**
 * Builds request bodies of `batchSize` events with unique ids: one template per run, made
 * unique per request by swapping an 8-hex-digit request counter into every event id, so the
 * load generator costs little CPU next to the server it measures.
 */
export function createBodyFactory(batchSize: number, runTag: number) {
  const tag = runTag.toString(16).padStart(4, '0').slice(-4);
  const events = Array.from({ length: batchSize }, (_, i) => ({
    event_id: `RRRRRRRR-${tag}-4000-8000-${i.toString(16).padStart(12, '0')}`,
    type: i % 5 === 0 ? 'page' : 'event',
    name: i % 5 === 0 ? 'page_view' : 'view_product',
    anonymous_id: `anon-${i % 37}`,
    session_id: `s-${i % 11}`,
    platform: 'web',
    url: `https://shop.example/product/${i}`,
    referrer: 'https://www.baidu.com/s?wd=tea',
    props: { product_id: `p${i}`, price: 1_990 + i, category: 'tea' },
  }));
  const template = JSON.stringify({ sent_at: 0, batch: events });
  let counter = 0;
  return () => {
    counter += 1;
    return template.replaceAll('RRRRRRRR', counter.toString(16).padStart(8, '0'));
  };
}

export interface LoadOptions {
  url: string;
  writeKey: string;
  batchSize: number;
  durationMs: number;
  runTag: number;
}

function send(agent: Agent, url: URL, writeKey: string, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-sightline-key': writeKey,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

function record(result: LoadResult, status: number, started: number, batchSize: number) {
  result.requests += 1;
  result.statuses[status] = (result.statuses[status] ?? 0) + 1;
  if (status === 200) {
    result.events += batchSize;
    result.latenciesMs.push(performance.now() - started);
  }
}

/** Closed loop: `connections` clients, each sending its next batch as soon as one is answered. */
export async function runClosedLoop(
  options: LoadOptions & { connections: number },
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const url = new URL('/api/v1/batch', options.url);
  const next = createBodyFactory(options.batchSize, options.runTag);
  const result: LoadResult = {
    requests: 0,
    events: 0,
    statuses: {},
    latenciesMs: [],
    elapsedMs: 0,
  };
  const start = performance.now();
  const end = start + options.durationMs;
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < end) {
        const started = performance.now();
        record(
          result,
          await send(agent, url, options.writeKey, next()),
          started,
          options.batchSize,
        );
      }
    }),
  );
  result.elapsedMs = performance.now() - start;
  agent.destroy();
  return result;
}

/** Open loop: requests start on a fixed schedule whatever the answers, as real clients do. */
export async function runOpenLoop(
  options: LoadOptions & { requestsPerSec: number },
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const url = new URL('/api/v1/batch', options.url);
  const next = createBodyFactory(options.batchSize, options.runTag);
  const result: LoadResult = {
    requests: 0,
    events: 0,
    statuses: {},
    latenciesMs: [],
    elapsedMs: 0,
  };
  const intervalMs = 1000 / options.requestsPerSec;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; start + i * intervalMs < start + options.durationMs; i += 1) {
    const due = start + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const body = next();
    // Latency counts from when the request was due, so a stalled client cannot hide queueing.
    inFlight.push(
      send(agent, url, options.writeKey, body).then((status) =>
        record(result, status, due, options.batchSize),
      ),
    );
  }
  await Promise.all(inFlight);
  result.elapsedMs = performance.now() - start;
  agent.destroy();
  return result;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}

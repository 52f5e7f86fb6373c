import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterEach, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../http/error-handler.ts';
import { registerMetricsRoute } from './metrics-route.ts';
import { createSightlineMetrics, type SightlineMetrics } from './sightline-metrics.ts';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE_LINE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: -?\\d+)?$`);
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y;
const SUFFIXES: Record<string, string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

/** As Prometheus reads values (Go's ParseFloat): NaN and Inf in any case; prom-client writes `Nan`. */
function parseValue(text: string): number {
  if (/^\+?inf$/i.test(text)) return Infinity;
  if (/^-inf$/i.test(text)) return -Infinity;
  if (/^nan$/i.test(text)) return NaN;
  const value = Number(text);
  if (text.trim() === '' || Number.isNaN(value)) throw new Error(`not a number: ${text}`);
  return value;
}

function parseLabels(text: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  if (!text) return labels;
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (!match) throw new Error(`bad labels: ${text}`);
    labels[match[1] as string] = (match[2] as string).replace(/\\(.)/g, (_, c: string) =>
      c === 'n' ? '\n' : c,
    );
  }
  return labels;
}

/**
 * A strict reader of the Prometheus text format (0.0.4): every sample must belong to a family
 * declared by a `# TYPE` line before it, and every value must parse as a number.
 */
function parseExposition(text: string): Sample[] {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      expect(types.has(type[1] as string), `family ${type[1]} declared twice`).toBe(false);
      types.set(type[1] as string, type[2] as string);
      continue;
    }
    if (/^# HELP \S+ /.test(line)) continue;
    expect(line.startsWith('#'), `unexpected comment: ${line}`).toBe(false);
    const match = SAMPLE_LINE.exec(line);
    if (!match) throw new Error(`malformed sample line: ${line}`);
    const name = match[1] as string;
    const family = [...types].find(([family, kind]) =>
      (SUFFIXES[kind] ?? []).some((suffix) => `${family}${suffix}` === name),
    );
    expect(family, `sample ${name} has no # TYPE`).toBeDefined();
    samples.push({ name, labels: parseLabels(match[2]), value: parseValue(match[3] as string) });
  }
  return samples;
}

function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter(
    (s) =>
      s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  );
  expect(found, `${name} ${JSON.stringify(labels)}`).toHaveLength(1);
  return (found[0] as Sample).value;
}

describe('Sightline metrics on GET /metrics', () => {
  let app: FastifyInstance | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  async function serve(metrics: SightlineMetrics, token?: string): Promise<string> {
    app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandling(app);
    registerMetricsRoute(app, { metrics, ...(token ? { token } : {}) });
    return app.listen({ port: 0, host: '127.0.0.1' });
  }

  it('serves valid exposition text with what was recorded', async () => {
    let depth = 7;
    const metrics = createSightlineMetrics({
      readWriterQueueDepth: () => depth,
      readStoreSizeBytes: () => Promise.resolve(12_345),
    });
    // Built after the metrics, as the realtime hub is.
    metrics.bindSources({ readWebSocketConnections: () => 3 });
    metrics.recordIngestAccepted(5);
    metrics.recordIngestAccepted(2);
    metrics.recordIngestRejected('ERR_INGEST_EVENT_INVALID', 2);
    metrics.recordIngestRejected('ERR_INGEST_BATCH_INVALID');
    metrics.recordIngestRejected('queue_full', 4);
    metrics.recordIngestRejected('ERR_SOMETHING_NEW');
    metrics.observeIngestRequest(0.003);
    metrics.observeQuery('trends', 0.2);
    metrics.observeQuery('trends', 0.3);
    metrics.observeQuery('funnel', 1.5);
    metrics.observeQuery('Bad Report!', 1);
    metrics.recordQueryCacheHit();
    metrics.recordQueryCacheHit();
    metrics.recordQueryCacheMiss();
    metrics.recordAlertEvaluation('ok');
    metrics.recordNotification('email', 'sent');
    metrics.recordNotification('email', 'sent');
    metrics.recordNotification('webhook', 'failed');

    const base = await serve(metrics);
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = parseExposition(await response.text());

    expect(valueOf(samples, 'sightline_ingest_events_accepted_total')).toBe(7);
    const rejected = (reason: string) =>
      valueOf(samples, 'sightline_ingest_events_rejected_total', { reason });
    expect([rejected('invalid'), rejected('queue_full'), rejected('other')]).toEqual([3, 4, 1]);
    expect(rejected('auth')).toBe(0);
    expect(valueOf(samples, 'sightline_ingest_request_duration_seconds_count')).toBe(1);
    expect(
      valueOf(samples, 'sightline_ingest_request_duration_seconds_bucket', { le: '0.0025' }),
    ).toBe(0);
    expect(
      valueOf(samples, 'sightline_ingest_request_duration_seconds_bucket', { le: '0.005' }),
    ).toBe(1);
    const query = (suffix: string, labels: Record<string, string>) =>
      valueOf(samples, `sightline_query_duration_seconds_${suffix}`, labels);
    expect(query('count', { report: 'trends' })).toBe(2);
    expect(query('sum', { report: 'trends' })).toBe(0.5);
    expect(query('bucket', { report: 'trends', le: '0.25' })).toBe(1);
    expect(query('bucket', { report: 'trends', le: '+Inf' })).toBe(2);
    expect(query('count', { report: 'funnel' })).toBe(1);
    expect(query('count', { report: 'other' })).toBe(1);
    expect(valueOf(samples, 'sightline_query_cache_hits_total')).toBe(2);
    expect(valueOf(samples, 'sightline_query_cache_misses_total')).toBe(1);
    expect(valueOf(samples, 'sightline_alert_evaluations_total', { outcome: 'ok' })).toBe(1);
    expect(valueOf(samples, 'sightline_alert_evaluations_total', { outcome: 'error' })).toBe(0);
    const sent = { channel: 'email', outcome: 'sent' };
    expect(valueOf(samples, 'sightline_notifications_total', sent)).toBe(2);
    const failed = { channel: 'webhook', outcome: 'failed' };
    expect(valueOf(samples, 'sightline_notifications_total', failed)).toBe(1);
    expect(valueOf(samples, 'sightline_writer_queue_depth_events')).toBe(7);
    expect(valueOf(samples, 'sightline_websocket_connections')).toBe(3);
    expect(valueOf(samples, 'sightline_event_store_size_bytes')).toBe(12_345);
    // Node's own metrics come along, in the same registry.
    expect(samples.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true);
    expect(samples.some((s) => s.name === 'nodejs_heap_size_total_bytes')).toBe(true);

    // Pulled gauges are read again at each scrape.
    depth = 0;
    const again = parseExposition(await (await fetch(`${base}/metrics`)).text());
    expect(valueOf(again, 'sightline_writer_queue_depth_events')).toBe(0);

    expect(await metrics.readQuerySummary()).toEqual({
      reports: [
        { report: 'funnel', count: 1, totalSeconds: 1.5 },
        { report: 'other', count: 1, totalSeconds: 1 },
        { report: 'trends', count: 2, totalSeconds: 0.5 },
      ],
      cacheHits: 2,
      cacheMisses: 1,
    });
  });

  it('keeps each instance in its own registry, and a failing source does not fail the scrape', async () => {
    const first = createSightlineMetrics({ defaultMetrics: false });
    const second = createSightlineMetrics({
      defaultMetrics: false,
      readStoreSizeBytes: () => Promise.reject(new Error('store closed')),
      readWriterQueueDepth: () => null,
    });
    first.recordQueryCacheHit();
    const base = await serve(second);
    const samples = parseExposition(await (await fetch(`${base}/metrics`)).text());
    expect(valueOf(samples, 'sightline_query_cache_hits_total')).toBe(0);
    expect(valueOf(samples, 'sightline_event_store_size_bytes')).toBe(0);
    expect(valueOf(samples, 'sightline_writer_queue_depth_events')).toBe(0);
    expect(samples.some((s) => s.name.startsWith('process_'))).toBe(false);
  });

  it('asks for the bearer token when one is configured', async () => {
    const base = await serve(createSightlineMetrics({ defaultMetrics: false }), 'scrape-secret');
    const missing = await fetch(`${base}/metrics`);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe(
      'ERR_MONITORING_METRICS_TOKEN_INVALID',
    );
    const wrong = await fetch(`${base}/metrics`, {
      headers: { authorization: 'Bearer scrape-secreT' },
    });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${base}/metrics`, {
      headers: { authorization: 'Bearer scrape-secret' },
    });
    expect(right.status).toBe(200);
    expect(parseExposition(await right.text()).length).toBeGreaterThan(0);
  });
});

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Why ingested events were refused: a fixed set, so the label cannot grow without bound. */
export const INGEST_REJECT_REASONS = [
  'invalid',
  'too_large',
  'time_invalid',
  'auth',
  'rate_limited',
  'queue_full',
  'dnt',
  'other',
] as const;
export type IngestRejectReason = (typeof INGEST_REJECT_REASONS)[number];

/** A rule evaluation ran (whatever its alerts' states), or failed (see the rule's lastError). */
export const ALERT_EVALUATION_OUTCOMES = ['ok', 'error'] as const;
export type AlertEvaluationOutcome = (typeof ALERT_EVALUATION_OUTCOMES)[number];

export const NOTIFICATION_OUTCOMES = ['sent', 'failed', 'suppressed'] as const;
export type NotificationOutcome = (typeof NOTIFICATION_OUTCOMES)[number];

const REASON_BY_CODE: Readonly<Record<string, IngestRejectReason>> = {
  ERR_INGEST_EVENT_INVALID: 'invalid',
  ERR_INGEST_BATCH_INVALID: 'invalid',
  ERR_REQUEST_INVALID: 'invalid',
  ERR_INGEST_EVENT_TOO_LARGE: 'too_large',
  ERR_INGEST_BATCH_TOO_LARGE: 'too_large',
  ERR_REQUEST_BODY_TOO_LARGE: 'too_large',
  ERR_INGEST_EVENT_TIME_INVALID: 'time_invalid',
  ERR_INGEST_KEY_MISSING: 'auth',
  ERR_INGEST_KEY_INVALID: 'auth',
  ERR_INGEST_SIGNATURE_INVALID: 'auth',
  ERR_RATE_LIMITED: 'rate_limited',
  ERR_INGEST_QUEUE_FULL: 'queue_full',
  DNT: 'dnt',
};

/** A label value from free text (report ids, channel kinds): safe characters, bounded count. */
const LABEL_VALUE = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const MAX_DISTINCT_LABEL_VALUES = 100;

const INGEST_BUCKETS_SEC = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const QUERY_BUCKETS_SEC = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Up to half an hour; 120 s is the bucket the "99% of exports within 2 minutes" goal reads. */
const EXPORT_BUCKETS_SEC = [1, 5, 15, 30, 60, 120, 300, 600, 1800];

export const EXPORT_OUTCOMES = ['done', 'failed', 'canceled'] as const;
export type ExportOutcome = (typeof EXPORT_OUTCOMES)[number];

type Read = () => number | null | Promise<number | null>;

/** Where the pulled gauges read from; each is optional (an unset gauge stays at 0). */
export interface MetricSources {
  /** Events accepted but not yet committed (`ingest.queueDepth()`); read at each scrape. */
  readWriterQueueDepth?: Read;
  /** Realtime screens connected now (`realtime.connections()`); read at each scrape. */
  readWebSocketConnections?: Read;
  /** Bytes of the event store's files (`eventStore.health()`'s sizeBytes); null keeps the last. */
  readStoreSizeBytes?: Read;
}

export interface SightlineMetricsOptions extends MetricSources {
  /** Node's process metrics (`process_*`, `nodejs_*`); default true. */
  defaultMetrics?: boolean;
}

export interface QuerySummaryRow {
  report: string;
  count: number;
  totalSeconds: number;
}

/** Sightline's own Prometheus metrics; callers record through these methods, never prom-client. */
export interface SightlineMetrics {
  /** The registry behind GET /metrics (this instance's own, never prom-client's global one). */
  readonly registry: Registry;
  /**
   * Sets or replaces gauge sources after creation, for parts built later than the metrics
   * (the realtime hub needs the HTTP server, which needs the services).
   */
  bindSources(sources: MetricSources): void;
  recordIngestAccepted(count: number): void;
  /** `reason` is one of INGEST_REJECT_REASONS or an error code (mapped; unknown ones: other). */
  recordIngestRejected(reason: string, count?: number): void;
  observeIngestRequest(seconds: number): void;
  observeQuery(report: string, seconds: number): void;
  recordQueryCacheHit(): void;
  recordQueryCacheMiss(): void;
  recordAlertEvaluation(outcome: AlertEvaluationOutcome): void;
  recordNotification(channelKind: string, outcome: NotificationOutcome): void;
  /** An export job that ran ended: its format, outcome, and seconds from request to end. */
  observeExport(format: string, outcome: ExportOutcome, seconds: number): void;
  /** Runs, total seconds per report and the cache counters, for the JSON monitoring API. */
  readQuerySummary(): Promise<{
    reports: QuerySummaryRow[];
    cacheHits: number;
    cacheMisses: number;
  }>;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>;
  readonly contentType: string;
}

/** Maps an error code or a reason to the bounded reason label. */
export function toIngestRejectReason(value: string): IngestRejectReason {
  if ((INGEST_REJECT_REASONS as readonly string[]).includes(value)) {
    return value as IngestRejectReason;
  }
  return REASON_BY_CODE[value] ?? 'other';
}

/** Keeps a label's distinct values bounded: past the cap, or malformed, a value becomes `other`. */
function createLabelGuard(): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    const normalized = value.toLowerCase();
    if (!LABEL_VALUE.test(normalized)) return 'other';
    if (seen.has(normalized)) return normalized;
    if (seen.size >= MAX_DISTINCT_LABEL_VALUES) return 'other';
    seen.add(normalized);
    return normalized;
  };
}

/** A gauge whose value is read from `read` when scraped; failures leave the last value. */
function createPulledGauge(
  registry: Registry,
  name: string,
  help: string,
  source: () => Read | undefined,
): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    async collect() {
      const read = source();
      if (!read) return;
      try {
        const value = await read();
        if (value !== null && Number.isFinite(value)) this.set(value);
      } catch {
        // A closed or busy store must not fail the whole scrape; the gauge keeps its last value.
      }
    },
  });
}

export function createSightlineMetrics(options: SightlineMetricsOptions = {}): SightlineMetrics {
  const registry = new Registry();
  const sources: MetricSources = {
    readWriterQueueDepth: options.readWriterQueueDepth,
    readWebSocketConnections: options.readWebSocketConnections,
    readStoreSizeBytes: options.readStoreSizeBytes,
  };
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const ingestAccepted = new Counter({
    name: 'sightline_ingest_events_accepted_total',
    help: 'Events accepted by ingest (acknowledged to the sender)',
    registers,
  });
  const ingestRejected = new Counter({
    name: 'sightline_ingest_events_rejected_total',
    help: 'Events refused by ingest, by reason',
    labelNames: ['reason'],
    registers,
  });
  for (const reason of INGEST_REJECT_REASONS) ingestRejected.inc({ reason }, 0);
  const ingestDuration = new Histogram({
    name: 'sightline_ingest_request_duration_seconds',
    help: 'Time to answer an ingest request, from receipt to acknowledgement',
    buckets: INGEST_BUCKETS_SEC,
    registers,
  });
  const queryDuration = new Histogram({
    name: 'sightline_query_duration_seconds',
    help: 'Time to compute a report (cache misses and hits alike), by report id',
    labelNames: ['report'],
    buckets: QUERY_BUCKETS_SEC,
    registers,
  });
  const cacheHits = new Counter({
    name: 'sightline_query_cache_hits_total',
    help: 'Report requests answered from the result cache',
    registers,
  });
  const cacheMisses = new Counter({
    name: 'sightline_query_cache_misses_total',
    help: 'Report requests computed because the cache had no valid result',
    registers,
  });
  const alertEvaluations = new Counter({
    name: 'sightline_alert_evaluations_total',
    help: 'Alert rule evaluations, by outcome',
    labelNames: ['outcome'],
    registers,
  });
  for (const outcome of ALERT_EVALUATION_OUTCOMES) alertEvaluations.inc({ outcome }, 0);
  const notifications = new Counter({
    name: 'sightline_notifications_total',
    help: 'Alert notifications, by channel kind and outcome',
    labelNames: ['channel', 'outcome'],
    registers,
  });
  const exportDuration = new Histogram({
    name: 'sightline_export_duration_seconds',
    help: 'Export jobs that ran, from the request to the end (queue wait included), by format and outcome',
    labelNames: ['format', 'outcome'],
    buckets: EXPORT_BUCKETS_SEC,
    registers,
  });
  createPulledGauge(
    registry,
    'sightline_writer_queue_depth_events',
    'Events accepted by ingest and not yet committed to the event store',
    () => sources.readWriterQueueDepth,
  );
  createPulledGauge(
    registry,
    'sightline_websocket_connections',
    'Realtime screens connected over WebSocket',
    () => sources.readWebSocketConnections,
  );
  createPulledGauge(
    registry,
    'sightline_event_store_size_bytes',
    'Bytes of the event store files (database and write-ahead log)',
    () => sources.readStoreSizeBytes,
  );

  const guardReport = createLabelGuard();
  const guardChannel = createLabelGuard();
  const guardFormat = createLabelGuard();

  return {
    registry,
    contentType: registry.contentType,
    bindSources(more) {
      Object.assign(sources, more);
    },
    recordIngestAccepted: (count) => ingestAccepted.inc(Math.max(0, count)),
    recordIngestRejected: (reason, count = 1) =>
      ingestRejected.inc({ reason: toIngestRejectReason(reason) }, Math.max(0, count)),
    observeIngestRequest: (seconds) => ingestDuration.observe(Math.max(0, seconds)),
    observeQuery: (report, seconds) =>
      queryDuration.observe({ report: guardReport(report) }, Math.max(0, seconds)),
    recordQueryCacheHit: () => cacheHits.inc(),
    recordQueryCacheMiss: () => cacheMisses.inc(),
    recordAlertEvaluation: (outcome) => alertEvaluations.inc({ outcome }),
    recordNotification: (channelKind, outcome) =>
      notifications.inc({ channel: guardChannel(channelKind), outcome }),
    observeExport: (format, outcome, seconds) =>
      exportDuration.observe({ format: guardFormat(format), outcome }, Math.max(0, seconds)),
    async readQuerySummary() {
      const byReport = new Map<string, QuerySummaryRow>();
      for (const sample of (await queryDuration.get()).values) {
        const report = String(sample.labels.report ?? '');
        const row = byReport.get(report) ?? { report, count: 0, totalSeconds: 0 };
        if (sample.metricName === 'sightline_query_duration_seconds_count')
          row.count = sample.value;
        else if (sample.metricName === 'sightline_query_duration_seconds_sum') {
          row.totalSeconds = sample.value;
        } else continue;
        byReport.set(report, row);
      }
      const first = async (counter: Counter) => (await counter.get()).values[0]?.value ?? 0;
      return {
        reports: [...byReport.values()].sort((a, b) => a.report.localeCompare(b.report)),
        cacheHits: await first(cacheHits),
        cacheMisses: await first(cacheMisses),
      };
    },
    render: () => registry.metrics(),
  };
}

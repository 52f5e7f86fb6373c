import { z } from 'zod';
import type { QueryContext } from '../../context/query-context.ts';
import { listBuckets } from '../../series/buckets.ts';
import { defineReport } from '../define-report.ts';
import { formatBucket } from '../format-bucket.ts';
import { fetchEndpointCounts, fetchEndpointSeries, type EndpointCounts } from './api-sli-sql.ts';

export const apiSliParams = z.object({
  slowThresholdMs: z
    .number()
    .min(0)
    .max(86_400_000)
    .optional()
    .describe('Flag endpoints whose p95 latency is above this many milliseconds'),
  seriesLimit: z
    .number()
    .int()
    .min(0)
    .max(50)
    .default(10)
    .describe('Time series for this many endpoints, the busiest first'),
  limit: z.number().int().min(1).max(1000).default(200).describe('Endpoints listed'),
});
export type ApiSliParams = z.infer<typeof apiSliParams>;

const nullableNumber = z.number().nullable();
const statsShape = {
  requests: z.number(),
  errors: z.number().describe('status ≥ 400 or timed out'),
  serverErrors: z.number().describe('status ≥ 500'),
  timeouts: z.number().describe('props.timeout = true'),
  availability: nullableNumber.describe('Share of requests with status < 500 and not timed out'),
  errorRate: nullableNumber,
  serverErrorRate: nullableNumber,
  timeoutRate: nullableNumber,
  latencyMs: z.object({
    p50: nullableNumber,
    p90: nullableNumber,
    p95: nullableNumber,
    p99: nullableNumber,
  }),
  qpsAvg: nullableNumber.describe('Requests per second over the range up to now'),
  qpsPeak: z.number().describe('Requests in the busiest second'),
};
const endpointSchema = z.object({
  endpoint: z.string().describe('METHOD route, e.g. GET /api/products/:id'),
  method: z.string(),
  route: z.string(),
  ...statsShape,
  slow: z.boolean().nullable().describe('p95 above slowThresholdMs; null without a threshold'),
});
const apiSliResult = z.object({
  granularity: z.string(),
  rangeSeconds: nullableNumber.describe('Seconds from the range start to its end or now'),
  slowThresholdMs: nullableNumber,
  overall: z.object(statsShape),
  endpointCount: z.number(),
  endpoints: z.array(endpointSchema),
  series: z.object({
    buckets: z.array(z.object({ start: z.string(), label: z.string() })),
    endpoints: z.array(
      z.object({
        endpoint: z.string(),
        requests: z.array(z.number()),
        errorRate: z.array(nullableNumber),
        p95Ms: z.array(nullableNumber),
      }),
    ),
  }),
});
export type ApiSliResult = z.infer<typeof apiSliResult>;
type Stats = z.infer<typeof apiSliResult>['overall'];

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/** Seconds the average QPS divides by: the range, cut at now (later seconds had no chance). */
export function rangeSeconds(ctx: Pick<QueryContext, 'from' | 'to' | 'now'>): number | null {
  const end = Math.min(ctx.to, ctx.now);
  return end > ctx.from ? (end - ctx.from) / 1000 : null;
}

function toStats(counts: EndpointCounts | undefined, seconds: number | null): Stats {
  const requests = counts?.requests ?? 0;
  const [p50 = null, p90 = null, p95 = null, p99 = null] = counts?.latency ?? [];
  return {
    requests,
    errors: counts?.errors ?? 0,
    serverErrors: counts?.serverErrors ?? 0,
    timeouts: counts?.timeouts ?? 0,
    availability: requests === 0 ? null : (requests - (counts?.unavailable ?? 0)) / requests,
    errorRate: ratio(counts?.errors ?? 0, requests),
    serverErrorRate: ratio(counts?.serverErrors ?? 0, requests),
    timeoutRate: ratio(counts?.timeouts ?? 0, requests),
    latencyMs: { p50, p90, p95, p99 },
    qpsAvg: seconds === null ? null : requests / seconds,
    qpsPeak: counts?.peak ?? 0,
  };
}

async function buildSeries(ctx: QueryContext, endpoints: readonly string[]) {
  const buckets = await listBuckets(ctx, ctx.granularity);
  const rows = await fetchEndpointSeries(ctx, ctx.granularity, endpoints);
  const index = new Map(buckets.map((start, i) => [start, i]));
  const series = endpoints.map((endpoint) => ({
    endpoint,
    requests: buckets.map(() => 0),
    errorRate: buckets.map((): number | null => null),
    p95Ms: buckets.map((): number | null => null),
  }));
  const byEndpoint = new Map(series.map((s) => [s.endpoint, s]));
  for (const row of rows) {
    const at = index.get(row.bucket);
    const target = byEndpoint.get(row.endpoint);
    if (at === undefined || !target) continue;
    target.requests[at] = row.requests;
    target.errorRate[at] = ratio(row.errors, row.requests);
    target.p95Ms[at] = row.p95;
  }
  return {
    buckets: buckets.map((start) => ({
      start: new Date(start).toISOString(),
      label: formatBucket(start, ctx.timeZone, ctx.granularity),
    })),
    endpoints: series,
  };
}

export const apiSliReport = defineReport({
  id: 'api_sli',
  summary: 'API service levels per endpoint: availability, error rates, latency, QPS',
  description:
    'api_call events (type api) per endpoint (props.method and props.route; `(unknown)` when ' +
    'missing): requests, availability (status < 500 and not timed out), error rate (status ≥ ' +
    '400 or timeout), 5xx and timeout rates, p50/p90/p95/p99 of duration_ms, average and peak ' +
    'QPS; endpoints with p95 above slowThresholdMs are flagged. The busiest seriesLimit ' +
    'endpoints also get requests, error rate and p95 per bucket.',
  params: apiSliParams,
  result: apiSliResult,
  defaultGranularity: 'hour',
  async run(ctx, params): Promise<ApiSliResult> {
    const [perEndpoint, [overall]] = await Promise.all([
      fetchEndpointCounts(ctx, true),
      fetchEndpointCounts(ctx, false),
    ]);
    const seconds = rangeSeconds(ctx);
    const threshold = params.slowThresholdMs ?? null;
    const endpoints = perEndpoint
      .map((counts) => ({
        endpoint: `${counts.method} ${counts.route}`,
        method: counts.method,
        route: counts.route,
        ...toStats(counts, seconds),
      }))
      .sort(
        (a, b) =>
          b.requests - a.requests ||
          (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0),
      )
      .map((endpoint) => ({
        ...endpoint,
        slow:
          threshold === null
            ? null
            : endpoint.latencyMs.p95 !== null && endpoint.latencyMs.p95 > threshold,
      }));
    const top = endpoints.slice(0, params.seriesLimit).map((e) => e.endpoint);
    return {
      granularity: ctx.granularity,
      rangeSeconds: seconds,
      slowThresholdMs: threshold,
      overall: toStats(overall, seconds),
      endpointCount: endpoints.length,
      endpoints: endpoints.slice(0, params.limit),
      series: await buildSeries(ctx, top),
    };
  },
  toTable(result) {
    const columns = [
      'endpoint',
      'requests',
      'availability',
      'error_rate',
      '5xx_rate',
      'timeout_rate',
      'p50_ms',
      'p90_ms',
      'p95_ms',
      'p99_ms',
      'qps_avg',
      'qps_peak',
      'slow',
    ];
    const row = (name: string, s: Stats, slow: boolean | null) => [
      name,
      s.requests,
      s.availability,
      s.errorRate,
      s.serverErrorRate,
      s.timeoutRate,
      s.latencyMs.p50,
      s.latencyMs.p90,
      s.latencyMs.p95,
      s.latencyMs.p99,
      s.qpsAvg,
      s.qpsPeak,
      slow,
    ];
    return {
      columns,
      rows: [
        ...result.endpoints.map((e) => row(e.endpoint, e, e.slow)),
        row('(all)', result.overall, null),
      ],
    };
  },
});

/**
 * The answers the Tech page reads, as the server sends them (api_sli and error_groups in
 * docs/reports/tech-and-commerce.md, GET …/quality in docs/operations.md#data-quality).
 */

export interface Latency {
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
}

export interface SliStats {
  requests: number;
  errors: number;
  serverErrors: number;
  timeouts: number;
  availability: number | null;
  errorRate: number | null;
  serverErrorRate: number | null;
  timeoutRate: number | null;
  latencyMs: Latency;
  qpsAvg: number | null;
  qpsPeak: number;
}

export interface SliEndpoint extends SliStats {
  endpoint: string;
  method: string;
  route: string;
  slow: boolean | null;
}

export interface EndpointSeries {
  endpoint: string;
  requests: number[];
  errorRate: Array<number | null>;
  p95Ms: Array<number | null>;
}

export interface ApiSliResult {
  granularity: string;
  rangeSeconds: number | null;
  slowThresholdMs: number | null;
  overall: SliStats;
  endpointCount: number;
  endpoints: SliEndpoint[];
  series: {
    buckets: Array<{ start: string; label: string }>;
    endpoints: EndpointSeries[];
  };
}

export interface ErrorGroup {
  fingerprint: string;
  type: string | null;
  title: string;
  frames: string[];
  sampleMessage: string;
  sampleStack: string;
  count: number;
  users: number;
  firstSeen: string;
  lastSeen: string;
  releases: Array<{ release: string | null; count: number }>;
  topPages: Array<{ page: string | null; count: number }>;
}

/** A type, not an interface: DataTable rows need an index signature. */
export type ErrorOccurrence = {
  time: string;
  user: string | null;
  page: string | null;
  release: string | null;
  browser: string | null;
  os: string | null;
  message: string | null;
};

export interface ErrorGroupsResult {
  totalEvents: number;
  totalGroups: number;
  pairsTruncated: boolean;
  groups: ErrorGroup[];
  occurrences: ErrorOccurrence[] | null;
}

interface IngestCounts {
  accepted: number;
  duplicates: number;
  dropped: number;
  rejected: number;
  rejectedByCode: Record<string, number>;
  droppedByCode: Record<string, number>;
}

export interface QualityAnswer {
  projectId: string;
  from: string;
  to: string;
  totals: IngestCounts & { duplicateRate: number | null; rejectRate: number | null };
  delayMs: { p50: number | null; p95: number | null; p99: number | null; max: number | null };
  timeliness: {
    within5m: number | null;
    within15m: number | null;
    within24h: number | null;
  };
  hours: Array<
    IngestCounts & { hour: string; delayP50Ms: number | null; delayP95Ms: number | null }
  >;
}

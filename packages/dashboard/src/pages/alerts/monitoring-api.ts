import { api } from '../../lib/api.ts';

/**
 * The server's monitoring API (packages/server/src/monitoring/, docs/monitoring.md) under
 * /api/v1/monitoring: host and store health, and the probe targets with their checks.
 */

export const PROBE_KINDS = ['http', 'tcp', 'postgres', 'mysql'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];
export type ProbeStatus = 'up' | 'degraded' | 'down' | 'unknown';

export interface NetworkCounters {
  rxBytes: number;
  rxPackets: number;
  rxErrors: number;
  rxDropped: number;
  txBytes: number;
  txPackets: number;
  txErrors: number;
  txDropped: number;
}

export interface HostStats {
  sampledAt: number;
  cpu: {
    cores: number;
    model: string | null;
    usagePct: number | null;
    usageWindowMs: number | null;
    loadAvg: [number, number, number];
  };
  memory: {
    totalBytes: number;
    freeBytes: number;
    usedBytes: number;
    usedPct: number;
    process: { rssBytes: number; heapUsedBytes: number; heapTotalBytes: number };
  };
  disk: {
    path: string;
    totalBytes: number;
    freeBytes: number;
    usedBytes: number;
    usedPct: number;
  } | null;
  network: {
    interfaces: Array<NetworkCounters & { name: string }>;
    total: NetworkCounters;
  } | null;
  uptime: { hostSec: number; processSec: number };
}

export interface StoreHealth {
  ok: boolean;
  sizeBytes: number | null;
  error: string | null;
}
export interface StoreStatus extends StoreHealth {
  writerQueue: { depth: number; capacity: number } | null;
}
export interface ServiceHealth {
  id: string;
  name: string;
  kind: ProbeKind;
  status: ProbeStatus;
  lastCheckedAt: number | null;
  latencyMs: number | null;
  error: string | null;
  uptimePct24h: number | null;
}
export interface StatusCounts {
  up: number;
  degraded: number;
  down: number;
  unknown: number;
}
export interface DatabaseHealth {
  eventStore: StoreHealth;
  metaStore: { ok: boolean; latencyMs: number; error: string | null };
  summary: StatusCounts;
  databases: ServiceHealth[];
}
export interface ServicesHealth {
  summary: StatusCounts;
  services: ServiceHealth[];
}

export interface Target {
  id: string;
  name: string;
  kind: ProbeKind;
  config: Record<string, unknown>;
  intervalSec: number;
  enabled: boolean;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  lastCheckedAt: number | null;
  lastStatus: ProbeStatus;
  lastLatencyMs: number | null;
  lastError: string | null;
}
export interface TargetInput {
  name: string;
  kind: ProbeKind;
  config: Record<string, unknown>;
  intervalSec: number;
  enabled: boolean;
}

export interface Check {
  id: number;
  targetId: string;
  checkedAt: number;
  status: 'up' | 'degraded' | 'down';
  latencyMs: number;
  error: string | null;
  detail: Record<string, string | number | boolean | null>;
}

export interface Uptime {
  from: number;
  to: number;
  checks: number;
  up: number;
  degraded: number;
  down: number;
  uptimePct: number | null;
  latency: { p50: number; p95: number; p99: number; max: number } | null;
}

const BASE = '/api/v1/monitoring';
const target = (id: string) => `${BASE}/targets/${encodeURIComponent(id)}`;

export const monitoringApi = {
  system: () => api<HostStats>(`${BASE}/metrics/system`),
  store: () => api<StoreStatus>(`${BASE}/store`),
  database: () => api<DatabaseHealth>(`${BASE}/health/database`),
  services: () => api<ServicesHealth>(`${BASE}/health/services`),
  targets: () => api<{ targets: Target[] }>(`${BASE}/targets`).then((answer) => answer.targets),
  create: (input: TargetInput) => api<Target>(`${BASE}/targets`, { body: input }),
  update: (id: string, input: TargetInput) =>
    api<Target>(target(id), { method: 'PATCH', body: input }),
  remove: (id: string) => api<void>(target(id), { method: 'DELETE' }),
  check: (id: string) => api<Check>(`${target(id)}/check`, { method: 'POST' }),
  history: (id: string, from: number, limit = 1000) =>
    api<{ checks: Check[] }>(`${target(id)}/history?from=${from}&limit=${limit}`).then(
      (answer) => answer.checks,
    ),
  uptime: (id: string, windowHours = 24) =>
    api<Uptime>(`${target(id)}/uptime?windowHours=${windowHours}`),
};

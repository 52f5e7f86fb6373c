import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { EventStoreHealth } from '../store/index.ts';
import type { Monitoring } from './create-monitoring.ts';
import {
  databaseHealthSchema,
  databaseMetricsSchema,
  hostStatsSchema,
  servicesHealthSchema,
  storeStatusSchema,
  type serviceHealthSchema,
} from './monitoring-route-schemas.ts';
import { registerMonitoringTargetRoutes } from './monitoring-target-routes.ts';
import type { ProbeKind } from './probe-schemas.ts';
import { MONITORING_TAGS, READ_ROUTE } from './route-access.ts';
import type { SightlineMetrics } from './sightline-metrics.ts';
import type { MonitorTarget } from './target-schemas.ts';

const DAY_MS = 86_400_000;
const SERVICE_KINDS: readonly ProbeKind[] = ['http', 'tcp'];
const DATABASE_KINDS: readonly ProbeKind[] = ['postgres', 'mysql'];

export interface MonitoringRoutesDeps {
  monitoring: Monitoring;
  /** The event store's health: `() => services.eventStore.health()`. */
  readStoreHealth: () => Promise<EventStoreHealth>;
  /** Events waiting to be committed and the queue's capacity; omitted: not shown. */
  readWriterQueue?: () => { depth: number; capacity: number };
  /** Report timings and cache counters for metrics/database; omitted: not shown. */
  metrics?: Pick<SightlineMetrics, 'readQuerySummary'>;
}

type ServiceHealth = z.infer<typeof serviceHealthSchema>;

function toServiceHealth(target: MonitorTarget, uptime: Map<string, number>): ServiceHealth {
  return {
    id: target.id,
    name: target.name,
    kind: target.kind,
    status: target.lastStatus,
    lastCheckedAt: target.lastCheckedAt,
    latencyMs: target.lastLatencyMs,
    error: target.lastError,
    uptimePct24h: uptime.get(target.id) ?? null,
  };
}

function countStatuses(entries: readonly ServiceHealth[]) {
  const counts = { up: 0, degraded: 0, down: 0, unknown: 0 };
  for (const entry of entries) counts[entry.status] += 1;
  return counts;
}

/**
 * The monitoring API under /api/v1/monitoring (seed 003 §3.2.5): health of the probed services
 * and databases, host and database metrics, the event store, and the probe targets. The alert
 * routes of that list (alerts/active, alerts/{id}/acknowledge) belong to the alerting module.
 */
export function registerMonitoringRoutes(app: FastifyInstance, deps: MonitoringRoutesDeps): void {
  const { monitoring } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/v1/monitoring';

  async function readHealthOf(kinds: readonly ProbeKind[]) {
    const [targets, uptime] = await Promise.all([
      monitoring.listTargets(),
      monitoring.getUptimeByTarget(DAY_MS),
    ]);
    return targets
      .filter((target) => target.enabled && kinds.includes(target.kind))
      .map((target) => toServiceHealth(target, uptime));
  }

  async function readStore() {
    try {
      const health = await deps.readStoreHealth();
      return { ok: health.ok, sizeBytes: health.sizeBytes, error: health.error ?? null };
    } catch (error) {
      return {
        ok: false,
        sizeBytes: null,
        error: error instanceof Error ? error.message : 'failed',
      };
    }
  }

  r.get(
    `${base}/health/services`,
    {
      ...READ_ROUTE,
      schema: {
        ...MONITORING_TAGS,
        summary: 'Health of the probed services (enabled http and tcp targets)',
        response: { 200: servicesHealthSchema },
      },
    },
    async () => {
      const services = await readHealthOf(SERVICE_KINDS);
      return { summary: countStatuses(services), services };
    },
  );

  r.get(
    `${base}/health/database`,
    {
      ...READ_ROUTE,
      schema: {
        ...MONITORING_TAGS,
        summary: 'Health of Sightline’s own stores and of the probed databases',
        response: { 200: databaseHealthSchema },
      },
    },
    async () => {
      const [eventStore, metaStore, databases] = await Promise.all([
        readStore(),
        monitoring.pingMetaStore(),
        readHealthOf(DATABASE_KINDS),
      ]);
      return { eventStore, metaStore, summary: countStatuses(databases), databases };
    },
  );

  r.get(
    `${base}/metrics/system`,
    {
      ...READ_ROUTE,
      schema: {
        ...MONITORING_TAGS,
        summary: 'CPU, memory, disk (of the data directory), network and uptime of the host',
        description:
          'CPU usage covers the time since the previous call (of anyone): poll at a steady pace.',
        response: { 200: hostStatsSchema },
      },
    },
    () => monitoring.readHost(),
  );

  r.get(
    `${base}/metrics/database`,
    {
      ...READ_ROUTE,
      schema: {
        ...MONITORING_TAGS,
        summary: 'Event store size, report timings and cache, probed databases’ uptime (24 h)',
        response: { 200: databaseMetricsSchema },
      },
    },
    async () => {
      const targets = (await monitoring.listTargets()).filter((t) =>
        DATABASE_KINDS.includes(t.kind),
      );
      const [eventStore, summary, uptimes] = await Promise.all([
        readStore(),
        deps.metrics?.readQuerySummary() ?? null,
        Promise.all(targets.map((target) => monitoring.getUptime(target.id, DAY_MS))),
      ]);
      const lookups = summary ? summary.cacheHits + summary.cacheMisses : 0;
      return {
        eventStore,
        queries: summary && {
          reports: summary.reports.map((row) => ({
            ...row,
            avgMs:
              row.count > 0 ? Math.round((row.totalSeconds / row.count) * 100_000) / 100 : null,
          })),
          cacheHits: summary.cacheHits,
          cacheMisses: summary.cacheMisses,
          cacheHitRatio: lookups > 0 ? summary.cacheHits / lookups : null,
        },
        databases: targets.map((target, index) => ({
          id: target.id,
          name: target.name,
          kind: target.kind,
          uptime24h: uptimes[index] as (typeof uptimes)[number],
        })),
      };
    },
  );

  r.get(
    `${base}/store`,
    {
      ...READ_ROUTE,
      schema: {
        ...MONITORING_TAGS,
        summary: 'The event store: reachable, size on disk, writer queue',
        response: { 200: storeStatusSchema },
      },
    },
    async () => ({ ...(await readStore()), writerQueue: deps.readWriterQueue?.() ?? null }),
  );

  registerMonitoringTargetRoutes(app, monitoring);
}

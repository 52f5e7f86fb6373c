export {
  ALERT_EVALUATION_OUTCOMES,
  createSightlineMetrics,
  EXPORT_OUTCOMES,
  INGEST_REJECT_REASONS,
  NOTIFICATION_OUTCOMES,
  toIngestRejectReason,
  type AlertEvaluationOutcome,
  type ExportOutcome,
  type IngestRejectReason,
  type MetricSources,
  type NotificationOutcome,
  type QuerySummaryRow,
  type SightlineMetrics,
  type SightlineMetricsOptions,
} from './sightline-metrics.ts';
export { registerMetricsRoute, type MetricsRouteOptions } from './metrics-route.ts';
export { createCpuSampler, type CpuSample, type CpuSampler } from './cpu-sampler.ts';
export { readHostStats, type HostStats, type ReadHostStatsOptions } from './read-host-stats.ts';
export {
  parseProcNetDev,
  type NetworkCounters,
  type NetworkInterfaceCounters,
} from './parse-proc-net-dev.ts';
export { DEFAULT_PROBE_TIMEOUT_MS, probeTarget, type ProbeTargetOptions } from './probe-target.ts';
export {
  PROBE_KINDS,
  PROBE_STATUSES,
  probeSpecSchema,
  type ProbeKind,
  type ProbeResult,
  type ProbeSpec,
  type ProbeSpecInput,
  type ProbeStatus,
} from './probe-schemas.ts';
export {
  createMonitoring,
  type CreateMonitoringOptions,
  type Monitoring,
  type MonitoringLogger,
} from './create-monitoring.ts';
export { monitoringMigration } from './monitoring-migration.ts';
export type {
  MonitorChecksTable,
  MonitoringTables,
  MonitorTargetsTable,
} from './monitoring-schema.ts';
export type {
  MonitorCheck,
  MonitorTarget,
  TargetInput,
  TargetPatch,
  UptimeSummary,
} from './target-schemas.ts';
export { registerMonitoringRoutes, type MonitoringRoutesDeps } from './monitoring-routes.ts';

import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { createAlerting, registerAlertRoutes, type Alerting } from './alerts/index.ts';
import { createAnomalies, registerAnomalyRoutes, type Anomalies } from './anomalies/index.ts';
import { createAuditLog, type AuditLog } from './audit/index.ts';
import { createAuthService, registerAuthorization, type AuthService } from './auth/index.ts';
import type { SightlineConfig } from './config/index.ts';
import { registerAdminRoutes } from './http/admin-routes.ts';
import { registerDashboardRoutes } from './http/dashboard-routes.ts';

import { createExports, registerExportRoutes, type Exports } from './exports/index.ts';
import { registerErrorHandling } from './http/error-handler.ts';
import { registerHealthRoutes } from './http/health-routes.ts';
import { registerOpenApi } from './http/openapi.ts';
import {
  createIngest,
  registerCompatRoutes,
  registerIngestRoutes,
  type Ingest,
} from './ingest/index.ts';
import { registerInsightRoutes } from './insights/index.ts';
import { systemClock, type Clock } from './platform/index.ts';
import {
  createMonitoring,
  createSightlineMetrics,
  registerMetricsRoute,
  registerMonitoringRoutes,
  type Monitoring,
  type SightlineMetrics,
} from './monitoring/index.ts';
import { createProjectService, type ProjectService } from './projects/index.ts';
import { createQueryCache, registerReportRoutes, type QueryCache } from './queries/index.ts';
import { attachRealtime, type RealtimeHub } from './realtime/index.ts';
import { createReports, registerReportRunRoutes, type Reports } from './reports/index.ts';
import {
  createDuckDbEventStore,
  createMetaStore,
  type EventStore,
  type MetaStore,
} from './store/index.ts';

export const SIGHTLINE_VERSION = '0.1.0';
const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;

export interface BuildAppOptions {
  config: SightlineConfig;
  clock?: Clock;
}

/** Everything a route, a CLI command or a test may need; built once per process. */
export interface AppServices {
  config: SightlineConfig;
  clock: Clock;
  logger: FastifyBaseLogger;
  eventStore: EventStore;
  metaStore: MetaStore;
  audit: AuditLog;
  projects: ProjectService;
  auth: AuthService;
  ingest: Ingest;
  /** Report results, shared by the HTTP API and the realtime screen. */
  queryCache: QueryCache;
  /** Rules, the alert center, silences, channels; its loop runs while the server does. */
  alerting: Alerting;
  /** Business anomaly detectors (orders, inventory, commissions) and their review queue. */
  anomalies: Anomalies;
  /** Sightline's own Prometheus metrics (GET /metrics). */
  metrics: SightlineMetrics;
  /** Host and store health, probed targets and their history. */
  monitoring: Monitoring;
  /** Scheduled reports: definitions, generation, the archive and delivery. */
  reports: Reports;
  /** Background exports of tables and raw rows to CSV / XLSX, with download links. */
  exports: Exports;
}

export interface SightlineApp {
  fastify: FastifyInstance;
  services: AppServices;
  /** The realtime screen's push channel (socket.io). */
  realtime: RealtimeHub;
  /** Stops accepting requests, commits what was acknowledged-pending, closes the stores. */
  close(): Promise<void>;
}

/** One logger per process: the HTTP layer and background work (commits, schedules) share it. */
export function createLogger(config: SightlineConfig): FastifyBaseLogger {
  return pino({
    level: config.logLevel,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-sightline-key"]'],
  });
}

export type MetaServices = Pick<
  AppServices,
  'config' | 'clock' | 'metaStore' | 'audit' | 'projects' | 'auth'
>;

/**
 * Only the metadata store and the services on it. SQLite allows other processes, so CLI commands
 * such as `project create` use this while a server holds the event store.
 */
export async function openMetaServices(
  config: SightlineConfig,
  clock: Clock = systemClock,
): Promise<MetaServices> {
  mkdirSync(config.dataDir, { recursive: true });
  const metaStore = createMetaStore(join(config.dataDir, 'meta.sqlite'));
  await metaStore.migrate();
  const audit = createAuditLog(metaStore.db, clock);
  const projects = createProjectService({
    db: metaStore.db,
    audit,
    clock,
    masterSecret: config.secret,
  });
  const auth = createAuthService({
    db: metaStore.db,
    audit,
    clock,
    sessionTtlHours: config.sessionTtlHours,
  });
  return { config, clock, metaStore, audit, projects, auth };
}

/** Opens both stores under config.dataDir (migrating them) and builds every service. */
export async function openServices(
  config: SightlineConfig,
  clock: Clock = systemClock,
): Promise<AppServices> {
  const meta = await openMetaServices(config, clock);
  const eventStore = await createDuckDbEventStore({
    path: join(config.dataDir, 'events.duckdb'),
    ...(config.storeMemoryLimit ? { memoryLimit: config.storeMemoryLimit } : {}),
    // Measured on 2 cores: with DuckDB on every core, ingest p99 at 10k events/s was 114–256 ms
    // (its threads starve the event loop); leaving one core free brought it to 26–37 ms.
    threads: config.storeThreads || Math.max(1, availableParallelism() - 1),
  });
  await eventStore.migrate();
  const logger = createLogger(config);
  const ingest = createIngest({ config, clock, eventStore, projects: meta.projects, logger });
  const queryCache = createQueryCache({ store: eventStore });
  const metrics = createSightlineMetrics({
    readWriterQueueDepth: () => ingest.queueDepth(),
    readStoreSizeBytes: async () => (await eventStore.health()).sizeBytes,
  });
  const monitoring = createMonitoring({
    db: meta.metaStore.db,
    clock,
    logger,
    audit: meta.audit,
    dataDir: config.dataDir,
  });
  const smtp = {
    host: config.smtpHost,
    port: config.smtpPort,
    secure: config.smtpSecure,
    user: config.smtpUser,
    password: config.smtpPassword,
    from: config.smtpFrom,
  };
  const publicUrl = config.publicUrl || `http://localhost:${config.port}`;
  const alerting = createAlerting({
    db: meta.metaStore.db,
    store: eventStore,
    clock,
    logger,
    audit: meta.audit,
    projects: meta.projects,
    masterSecret: config.secret,
    smtp,
    publicUrl,
    historyDays: config.alertHistoryDays,
    onEvaluated: (outcome) => metrics.recordAlertEvaluation(outcome),
    onDelivered: (kind, ok) => metrics.recordNotification(kind, ok ? 'sent' : 'failed'),
  });
  const anomalies = createAnomalies({
    db: meta.metaStore.db,
    store: eventStore,
    clock,
    logger,
    audit: meta.audit,
    projects: meta.projects,
  });
  const reports = createReports({
    db: meta.metaStore.db,
    store: eventStore,
    clock,
    logger,
    audit: meta.audit,
    projects: meta.projects,
    queryCache,
    alerting,
    dir: join(config.dataDir, 'reports'),
    publicUrl,
    smtp,
    chromiumPath: config.chromiumPath,
    retentionDays: config.reportRetentionDays,
    onDelivered: (kind, ok) => metrics.recordNotification(`report_${kind}`, ok ? 'sent' : 'failed'),
  });
  const exports = createExports({
    db: meta.metaStore.db,
    store: eventStore,
    clock,
    logger,
    audit: meta.audit,
    projects: meta.projects,
    dir: join(config.dataDir, 'exports'),
    queryCache,
    retentionHours: config.exportRetentionHours,
    onEnded: (ended) => metrics.observeExport(ended.format, ended.status, ended.seconds),
  });
  return {
    ...meta,
    logger,
    eventStore,
    reports,
    exports,
    ingest,
    queryCache,
    alerting,
    anomalies,
    metrics,
    monitoring,
  };
}

export async function closeServices(services: AppServices): Promise<void> {
  await services.exports.stop();
  await services.reports.stop();
  await services.alerting.stop();
  await services.anomalies.stop();
  await services.monitoring.close();
  await services.ingest.drain();
  await services.eventStore.close();
  await services.metaStore.close();
}

export async function buildApp(options: BuildAppOptions): Promise<SightlineApp> {
  const { config } = options;
  const services = await openServices(config, options.clock);
  let shuttingDown = false;

  const fastify = Fastify({
    loggerInstance: services.logger,
    trustProxy: config.trustProxy,
    bodyLimit: 1_048_576,
    // User ids in paths (data deletion) may be 200 characters, more once percent-encoded.
    routerOptions: { maxParamLength: 1_024 },
    // Two log lines per request would be ~1,000 lines/s at the ingest target; errors are logged
    // by the error handler, and `debug` adds one line per request (below).
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
    },
    // Keep-alive sockets must not hold a graceful shutdown open.
    forceCloseConnections: 'idle',
  });
  fastify.setValidatorCompiler(validatorCompiler);
  fastify.setSerializerCompiler(serializerCompiler);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  if (['debug', 'trace'].includes(config.logLevel)) {
    fastify.addHook('onResponse', (request, reply, done) => {
      request.log.debug(
        {
          method: request.method,
          url: request.url,
          status: reply.statusCode,
          ms: reply.elapsedTime,
        },
        'request',
      );
      done();
    });
  }
  registerErrorHandling(fastify);
  await fastify.register(cookie);
  await registerOpenApi(fastify, SIGHTLINE_VERSION);
  registerAuthorization(fastify, services.auth);
  registerHealthRoutes(fastify, { services, isShuttingDown: () => shuttingDown });
  await registerIngestRoutes(fastify, {
    ingest: services.ingest.service,
    ipLimiter: services.ingest.ipLimiter,
    isShuttingDown: () => shuttingDown,
    metrics: services.metrics,
  });
  await registerCompatRoutes(fastify, {
    ingest: services.ingest.service,
    projects: services.projects,
    ipLimiter: services.ingest.ipLimiter,
    isShuttingDown: () => shuttingDown,
    clock: services.clock,
  });
  registerAdminRoutes(fastify, services);
  registerReportRoutes(fastify, services);
  registerInsightRoutes(fastify, {
    ...services,
    insightWatchers: (projectId, insightId) =>
      services.alerting.rules.watching(projectId, insightId),
  });
  registerMetricsRoute(fastify, { metrics: services.metrics, token: config.metricsToken || null });
  registerMonitoringRoutes(fastify, {
    monitoring: services.monitoring,
    readStoreHealth: () => services.eventStore.health(),
    readWriterQueue: () => ({
      depth: services.ingest.queueDepth(),
      capacity: config.writerQueueMaxEvents,
    }),
    metrics: services.metrics,
  });
  registerAlertRoutes(fastify, {
    alerting: services.alerting,
    clock: services.clock,
    eventStore: services.eventStore,
    projects: services.projects,
    metaDb: services.metaStore.db,
  });
  registerAnomalyRoutes(fastify, { anomalies: services.anomalies });
  registerReportRunRoutes(fastify, { reports: services.reports, audit: services.audit });
  registerExportRoutes(fastify, { exports: services.exports, clock: services.clock });
  await registerDashboardRoutes(fastify, config.dashboardDir || undefined);
  const realtime = attachRealtime(fastify, {
    ...services,
    intervalMs: config.realtimeIntervalMs,
  });
  services.metrics.bindSources({ readWebSocketConnections: () => realtime.connections() });
  services.monitoring.start();
  if (config.alertTickMs > 0) services.alerting.start(config.alertTickMs);
  if (config.anomalyScanMs > 0) services.anomalies.start(config.anomalyScanMs);
  await services.reports.start(config.reportTickMs);
  await services.exports.start();

  let closing: Promise<void> | null = null;
  return {
    fastify,
    services,
    realtime,
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        await realtime.close();
        await fastify.close();
        await closeServices(services);
      })();
      return closing;
    },
  };
}

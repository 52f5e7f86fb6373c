import { z } from 'zod';

/**
 * The one config schema. Every key has an environment form SIGHTLINE_<KEY> (camelCase →
 * SCREAMING_SNAKE: dataDir → SIGHTLINE_DATA_DIR), may sit in a JSON config file, and may be given
 * as a CLI flag (--data-dir). Precedence: defaults < config file < environment < flags.
 */
export const CONFIG_DEFAULTS = Object.freeze({
  port: 8080,
  host: '0.0.0.0',
  dataDir: './data',
  dashboardDir: '',
  realtimeIntervalMs: 5_000,
  alertTickMs: 10_000,
  alertHistoryDays: 400,
  anomalyScanMs: 300_000,
  reportTickMs: 30_000,
  reportRetentionDays: 400,
  exportRetentionHours: 72,
  chromiumPath: '/usr/bin/chromium',
  metricsToken: '',
  timeZone: 'Asia/Shanghai',
  logLevel: 'info' as const,
  publicUrl: '',
  trustProxy: false,
  demo: true,
  demoDays: 30,
  demoSeed: 42,
  demoScale: 1,
  adminEmail: 'admin@sightline.local',
  adminPassword: '',
  secret: '',
  ipSalt: '',
  retentionDays: 180,
  retentionRunAt: '03:30',
  sessionTtlHours: 24 * 7,
  rateLimitKeyPerSec: 1_000,
  rateLimitKeyBurst: 2_000,
  rateLimitIpPerSec: 1_000,
  rateLimitIpBurst: 2_000,
  writerQueueMaxEvents: 100_000,
  writerFlushMs: 5,
  writerMaxBatchEvents: 20_000,
  signatureToleranceSec: 300,
  uaCacheSize: 5_000,
  storeMemoryLimit: '',
  storeThreads: 0,
  shutdownTimeoutMs: 15_000,
  smtpHost: '',
  smtpPort: 587,
  smtpSecure: false,
  smtpUser: '',
  smtpPassword: '',
  smtpFrom: 'Sightline <sightline@localhost>',
});

const bool = z.union([
  z.boolean(),
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
    .transform((v) => ['1', 'true', 'yes', 'on'].includes(v)),
]);
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const D = CONFIG_DEFAULTS;

export const configSchema = z
  .object({
    port: int(0, 65_535).default(D.port),
    host: z.string().min(1).default(D.host),
    dataDir: z.string().min(1).default(D.dataDir),
    /** The dashboard build to serve; empty: packages/dashboard/dist of this checkout. */
    dashboardDir: z.string().default(D.dashboardDir),
    /** Ms between two pushes of the realtime screen's numbers. */
    realtimeIntervalMs: int(200, 600_000).default(D.realtimeIntervalMs),
    /** Ms between two passes of the alerting loop (due rules, then notifications); 0 turns it off. */
    alertTickMs: int(0, 600_000).default(D.alertTickMs),
    /**
     * Alert history (transitions, comments, the delivery log, ended silences, long idle alerts)
     * is kept this many days; what is still firing or being retried is kept whatever its age.
     */
    alertHistoryDays: int(1, 3_650).default(D.alertHistoryDays),
    /** Ms between two scans of the business anomaly detectors (seed 000: every 5 min); 0: off. */
    anomalyScanMs: int(0, 86_400_000).default(D.anomalyScanMs),
    /** Ms between two passes of the report scheduler (due reports, deliveries, retention); 0: off. */
    reportTickMs: int(0, 3_600_000).default(D.reportTickMs),
    /** Generated reports (and their files) are kept this many days in the archive. */
    reportRetentionDays: int(1, 3_650).default(D.reportRetentionDays),
    /** Finished export files can be downloaded for this many hours, then they are deleted. */
    exportRetentionHours: int(1, 24 * 90).default(D.exportRetentionHours),
    /** Chromium used to print reports as PDF (Debian's chromium package by default). */
    chromiumPath: z.string().min(1).default(D.chromiumPath),
    /** Bearer token GET /metrics requires; empty: /metrics is open (keep it off the internet). */
    metricsToken: z.string().default(D.metricsToken),
    timeZone: z
      .string()
      .refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai')
      .default(D.timeZone),
    logLevel: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default(D.logLevel),
    /** Public base URL used in links (reports, alerts); defaults to http://localhost:<port>. */
    publicUrl: z.union([z.literal(''), z.url()]).default(D.publicUrl),
    /** Trust X-Forwarded-For when running behind a reverse proxy. */
    trustProxy: bool.default(D.trustProxy),
    /** Generate demo data on first start. */
    demo: bool.default(D.demo),
    demoDays: int(1, 400).default(D.demoDays),
    demoSeed: int(0, 2 ** 31 - 1).default(D.demoSeed),
    /** Multiplier on demo traffic (1 ≈ 2,000 visitors a day). */
    demoScale: z.coerce.number().min(0.01).max(100).default(D.demoScale),
    adminEmail: z.email().default(D.adminEmail),
    /** Initial admin password; generated and printed once when empty. */
    adminPassword: z.string().default(D.adminPassword),
    /** Master secret (sessions, stored key encryption); generated and persisted when empty. */
    secret: z.string().default(D.secret),
    /** Salt for IP hashes; generated and persisted when empty. */
    ipSalt: z.string().default(D.ipSalt),
    /** Default raw-event retention for new projects, days (seed 001 §3.1). */
    retentionDays: int(1, 3_650).default(D.retentionDays),
    /** Daily retention run, HH:MM in timeZone. */
    retentionRunAt: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM')
      .default(D.retentionRunAt),
    sessionTtlHours: int(1, 24 * 365).default(D.sessionTtlHours),
    rateLimitKeyPerSec: int(1, 10_000_000).default(D.rateLimitKeyPerSec),
    rateLimitKeyBurst: int(1, 10_000_000).default(D.rateLimitKeyBurst),
    rateLimitIpPerSec: int(1, 10_000_000).default(D.rateLimitIpPerSec),
    rateLimitIpBurst: int(1, 10_000_000).default(D.rateLimitIpBurst),
    /** Events waiting for commit before ingest answers 503. Bounds memory under overload. */
    writerQueueMaxEvents: int(100, 10_000_000).default(D.writerQueueMaxEvents),
    /** Longest wait to gather concurrent requests into one commit. */
    writerFlushMs: int(0, 1_000).default(D.writerFlushMs),
    writerMaxBatchEvents: int(1, 1_000_000).default(D.writerMaxBatchEvents),
    signatureToleranceSec: int(1, 86_400).default(D.signatureToleranceSec),
    uaCacheSize: int(0, 1_000_000).default(D.uaCacheSize),
    /** DuckDB memory ceiling such as '2GB'; empty: DuckDB's default (80% of RAM, as cache). */
    storeMemoryLimit: z
      .string()
      .regex(/^$|^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'must look like 512MB or 2GB')
      .default(D.storeMemoryLimit),
    /** DuckDB threads; 0: all cores but one (at least one), so the event loop keeps a core. */
    storeThreads: int(0, 256).default(D.storeThreads),
    shutdownTimeoutMs: int(100, 600_000).default(D.shutdownTimeoutMs),
    smtpHost: z.string().default(D.smtpHost),
    smtpPort: int(1, 65_535).default(D.smtpPort),
    smtpSecure: bool.default(D.smtpSecure),
    smtpUser: z.string().default(D.smtpUser),
    smtpPassword: z.string().default(D.smtpPassword),
    smtpFrom: z.string().default(D.smtpFrom),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.rateLimitKeyBurst < c.rateLimitKeyPerSec) {
      ctx.addIssue({
        code: 'custom',
        path: ['rateLimitKeyBurst'],
        message: 'must be ≥ rateLimitKeyPerSec',
      });
    }
    if (c.rateLimitIpBurst < c.rateLimitIpPerSec) {
      ctx.addIssue({
        code: 'custom',
        path: ['rateLimitIpBurst'],
        message: 'must be ≥ rateLimitIpPerSec',
      });
    }
  });

export type ConfigInput = z.input<typeof configSchema>;
export type SightlineConfig = Readonly<z.output<typeof configSchema>>;
export type ConfigKey = keyof SightlineConfig;
export const CONFIG_KEYS = Object.keys(CONFIG_DEFAULTS) as ConfigKey[];

/** Keys whose values never appear in logs or `sightline config` output. */
export const SECRET_CONFIG_KEYS: ReadonlySet<ConfigKey> = new Set([
  'secret',
  'ipSalt',
  'adminPassword',
  'smtpPassword',
]);

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

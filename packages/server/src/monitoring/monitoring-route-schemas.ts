import { z } from 'zod';
import { PROBE_KINDS, PROBE_STATUSES } from './probe-schemas.ts';
import { uptimeSchema } from './target-schemas.ts';

export const targetParams = z.object({ targetId: z.string().min(1).max(64) });

export const historyQuery = z.object({
  from: z.coerce.number().int().min(0).optional().describe('epoch ms, inclusive'),
  to: z.coerce.number().int().min(0).optional().describe('epoch ms, exclusive'),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});

export const MAX_WINDOW_HOURS = 720;
export const uptimeQuery = z.object({
  windowHours: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_WINDOW_HOURS)
    .default(24)
    .describe('The window ending now; only checks still kept (7 days by default) count'),
});

export const serviceHealthSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(PROBE_KINDS),
  status: z.enum([...PROBE_STATUSES, 'unknown']).describe('The latest check; unknown before one'),
  lastCheckedAt: z.number().nullable(),
  latencyMs: z.number().nullable(),
  error: z.string().nullable(),
  uptimePct24h: z.number().nullable().describe('Share of the last 24 h of checks not down'),
});

export const statusCountsSchema = z.object({
  up: z.number(),
  degraded: z.number(),
  down: z.number(),
  unknown: z.number(),
});

export const storeHealthSchema = z.object({
  ok: z.boolean(),
  sizeBytes: z.number().nullable().describe('Database file and WAL; null without a file'),
  error: z.string().nullable(),
});

export const servicesHealthSchema = z.object({
  summary: statusCountsSchema.describe('Enabled http and tcp targets by latest status'),
  services: z.array(serviceHealthSchema),
});

export const databaseHealthSchema = z.object({
  eventStore: storeHealthSchema,
  metaStore: z.object({ ok: z.boolean(), latencyMs: z.number(), error: z.string().nullable() }),
  summary: statusCountsSchema.describe('Enabled postgres and mysql targets by latest status'),
  databases: z.array(serviceHealthSchema),
});

const networkCountersSchema = z.object({
  rxBytes: z.number(),
  rxPackets: z.number(),
  rxErrors: z.number(),
  rxDropped: z.number(),
  txBytes: z.number(),
  txPackets: z.number(),
  txErrors: z.number(),
  txDropped: z.number(),
});

export const hostStatsSchema = z.object({
  sampledAt: z.number(),
  cpu: z.object({
    cores: z.number(),
    model: z.string().nullable(),
    usagePct: z.number().nullable().describe('Busy share of all cores since the previous reading'),
    usageWindowMs: z.number().nullable().describe('null: the first reading, usage since boot'),
    loadAvg: z.tuple([z.number(), z.number(), z.number()]),
  }),
  memory: z.object({
    totalBytes: z.number(),
    freeBytes: z.number(),
    usedBytes: z.number(),
    usedPct: z.number(),
    process: z.object({
      rssBytes: z.number(),
      heapUsedBytes: z.number(),
      heapTotalBytes: z.number(),
    }),
  }),
  disk: z
    .object({
      path: z.string(),
      totalBytes: z.number(),
      freeBytes: z.number(),
      usedBytes: z.number(),
      usedPct: z.number(),
    })
    .nullable()
    .describe('The file system of the data directory'),
  network: z
    .object({
      interfaces: z.array(networkCountersSchema.extend({ name: z.string() })),
      total: networkCountersSchema.describe('All interfaces but loopback'),
    })
    .nullable()
    .describe('Counters since boot from /proc/net/dev; null where there is none'),
  uptime: z.object({ hostSec: z.number(), processSec: z.number() }),
});

export const databaseMetricsSchema = z.object({
  eventStore: storeHealthSchema,
  queries: z
    .object({
      reports: z.array(
        z.object({
          report: z.string(),
          count: z.number(),
          totalSeconds: z.number(),
          avgMs: z.number().nullable(),
        }),
      ),
      cacheHits: z.number(),
      cacheMisses: z.number(),
      cacheHitRatio: z.number().nullable(),
    })
    .nullable()
    .describe('Report timings since the server started; null when metrics are off'),
  databases: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      kind: z.enum(PROBE_KINDS),
      uptime24h: uptimeSchema,
    }),
  ),
});

export const storeStatusSchema = storeHealthSchema.extend({
  writerQueue: z
    .object({ depth: z.number(), capacity: z.number() })
    .nullable()
    .describe('Events accepted and not yet committed, and the most that may wait'),
});

import { z } from 'zod';
import {
  PROBE_KINDS,
  PROBE_STATUSES,
  probeDetailSchema,
  probeSpecSchema,
} from './probe-schemas.ts';

export const MIN_INTERVAL_SEC = 10;
export const MAX_INTERVAL_SEC = 86_400;
/** Targets kept at most; each is probed on its own schedule by one process. */
export const MAX_TARGETS = 500;

const name = z.string().trim().min(1).max(100);
const intervalSec = z
  .number()
  .int()
  .min(MIN_INTERVAL_SEC)
  .max(MAX_INTERVAL_SEC)
  .describe(`Seconds between checks, ${MIN_INTERVAL_SEC}–${MAX_INTERVAL_SEC}`);

const targetCommonSchema = z.object({
  name,
  intervalSec: intervalSec.default(60),
  enabled: z.boolean().default(true).describe('false pauses the checks (history is kept)'),
});

/** A new target: name, schedule, and a kind with that kind's config. */
export const targetInputSchema = z.intersection(targetCommonSchema, probeSpecSchema);
export type TargetInput = z.input<typeof targetInputSchema>;

export const targetPatchSchema = z
  .strictObject({
    name: name.optional(),
    intervalSec: intervalSec.optional(),
    enabled: z.boolean().optional(),
    kind: z.enum(PROBE_KINDS).optional(),
    config: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Replaces the whole config, checked against the (new) kind'),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'nothing to change' });
export type TargetPatch = z.infer<typeof targetPatchSchema>;

const statusOrUnknown = z.enum([...PROBE_STATUSES, 'unknown']);

export const targetSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(PROBE_KINDS),
  config: z.record(z.string(), z.unknown()).describe('The kind’s settings, defaults applied'),
  intervalSec: z.number(),
  enabled: z.boolean(),
  createdBy: z.string(),
  createdAt: z.number().describe('epoch ms'),
  updatedAt: z.number().describe('epoch ms'),
  lastCheckedAt: z.number().nullable().describe('epoch ms of the latest check; null before one'),
  lastStatus: statusOrUnknown.describe('Result of the latest check; unknown before one'),
  lastLatencyMs: z.number().nullable(),
  lastError: z.string().nullable(),
});
export type MonitorTarget = z.infer<typeof targetSchema>;

export const checkSchema = z.object({
  id: z.number(),
  targetId: z.string(),
  checkedAt: z.number().describe('epoch ms when the check started'),
  status: z.enum(PROBE_STATUSES),
  latencyMs: z.number(),
  error: z.string().nullable(),
  detail: probeDetailSchema,
});
export type MonitorCheck = z.infer<typeof checkSchema>;

export const latencySummarySchema = z
  .object({ p50: z.number(), p95: z.number(), p99: z.number(), max: z.number() })
  .describe('Latency (ms) of the checks that got an answer (up or degraded), nearest rank');

export const uptimeSchema = z.object({
  from: z.number().describe('epoch ms, exclusive: the window is (from, to]'),
  to: z.number().describe('epoch ms, inclusive: now'),
  checks: z.number(),
  up: z.number(),
  degraded: z.number(),
  down: z.number(),
  uptimePct: z
    .number()
    .nullable()
    .describe('(up + degraded) / checks × 100, two decimals; null without checks'),
  latency: latencySummarySchema.nullable(),
});
export type UptimeSummary = z.infer<typeof uptimeSchema>;

import { z } from 'zod';

export const PROBE_KINDS = ['http', 'tcp', 'postgres', 'mysql'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

export const PROBE_STATUSES = ['up', 'degraded', 'down'] as const;
export type ProbeStatus = (typeof PROBE_STATUSES)[number];

const host = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9._:[\]-]+$/, 'a host name or an IP address')
  .describe('Host name or IP address');
const port = z.number().int().min(1).max(65_535);
const maxLatencyMs = z
  .number()
  .int()
  .min(1)
  .max(600_000)
  .optional()
  .describe('An answer slower than this (ms) makes the check degraded instead of up');
const statusCode = z.number().int().min(100).max(599);

export const httpProbeConfigSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, error: 'an http:// or https:// URL' })
    .max(2_048)
    .describe('What to request; redirects are not followed'),
  method: z.enum(['GET', 'HEAD']).default('GET'),
  expectedStatus: z
    .union([
      statusCode,
      z
        .strictObject({ min: statusCode, max: statusCode })
        .refine((range) => range.min <= range.max, { message: 'min must not exceed max' }),
    ])
    .default({ min: 200, max: 399 })
    .describe('A status code, or an inclusive range { min, max }; default 200–399'),
  maxLatencyMs,
  headers: z
    .record(z.string().regex(/^[A-Za-z0-9-]{1,100}$/), z.string().max(1_000))
    .refine((headers) => Object.keys(headers).length <= 20, { message: 'at most 20 headers' })
    .default({})
    .describe('Request headers, e.g. an Authorization for a protected health endpoint'),
});

export const tcpProbeConfigSchema = z.strictObject({ host, port, maxLatencyMs });

export const postgresProbeConfigSchema = z.strictObject({
  host,
  port: port.default(5_432),
  mode: z
    .enum(['ssl', 'startup'])
    .default('ssl')
    .describe(
      'ssl: send an SSLRequest (no login attempt, nothing in the server log); startup: send a ' +
        'StartupMessage and expect an authentication request, which proves the server accepts sessions',
    ),
  user: z.string().min(1).max(63).default('sightline').describe('startup mode: the user named'),
  database: z.string().min(1).max(63).optional().describe('startup mode; default: the user name'),
  maxLatencyMs,
});

export const mysqlProbeConfigSchema = z.strictObject({
  host,
  port: port.default(3_306),
  maxLatencyMs,
});

/** What to probe: a kind and its settings, validated with the kind's schema. */
export const probeSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('http'), config: httpProbeConfigSchema }),
  z.object({ kind: z.literal('tcp'), config: tcpProbeConfigSchema }),
  z.object({ kind: z.literal('postgres'), config: postgresProbeConfigSchema }),
  z.object({ kind: z.literal('mysql'), config: mysqlProbeConfigSchema }),
]);
export type ProbeSpec = z.infer<typeof probeSpecSchema>;
export type ProbeSpecInput = z.input<typeof probeSpecSchema>;
export type HttpProbeConfig = z.infer<typeof httpProbeConfigSchema>;
export type TcpProbeConfig = z.infer<typeof tcpProbeConfigSchema>;
export type PostgresProbeConfig = z.infer<typeof postgresProbeConfigSchema>;
export type MysqlProbeConfig = z.infer<typeof mysqlProbeConfigSchema>;

export const probeDetailSchema = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null()]),
);
export type ProbeDetail = z.infer<typeof probeDetailSchema>;

export const probeResultSchema = z.object({
  status: z.enum(PROBE_STATUSES),
  latencyMs: z.number().describe('From the start of the check to the answer (or the failure)'),
  error: z.string().nullable().describe('Why the check is degraded or down; null when up'),
  detail: probeDetailSchema.describe('What the target said: status code, server version, …'),
});
export type ProbeResult = z.infer<typeof probeResultSchema>;

/** What a probe of one kind finds; probeTarget adds the latency and the degraded threshold. */
export type ProbeOutcome = Omit<ProbeResult, 'latencyMs'>;

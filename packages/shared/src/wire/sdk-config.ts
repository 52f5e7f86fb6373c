import { z } from 'zod';

const rate = z.number().min(0).max(1);

/** Fields an event cannot be sent without; the SDKs never remove them either. */
export const SDK_REQUIRED_FIELDS = ['event_id', 'type', 'name', 'ts'];

/**
 * The remote configuration the SDKs fetch (`GET /api/v1/sdk-config`), set per project. Seed 004
 * asks for telemetry sampling by default (C-end 1%, B-end 5%), a kill switch, disabled fields
 * and an event allowlist. Sampling applies to telemetry only (`perf` and `api` events: vitals
 * and API calls), never to page views or business events, so DAU and funnels stay whole.
 */
export const sdkConfigSchema = z.object({
  /** false: SDKs send nothing (the kill switch). */
  enabled: z.boolean(),
  /** Share of devices whose telemetry is sent, by audience: consumer (C-end), business (B-end). */
  telemetrySampleRate: z.object({ consumer: rate, business: rate }),
  /** Fields removed from every event before it is sent (top level and props). */
  disabledFields: z
    .array(
      z
        .string()
        .min(1)
        .max(128)
        .refine((field) => !SDK_REQUIRED_FIELDS.includes(field), {
          message: `${SDK_REQUIRED_FIELDS.join(', ')} cannot be disabled: every event needs them`,
        }),
    )
    .max(100),
  /** When set, only events (`type: "event"`) with these names are sent. */
  eventAllowlist: z.array(z.string().min(1).max(200)).max(500).nullable(),
  /** Events per request, overriding the SDK option; null keeps the SDK's. */
  batchSize: z.number().int().min(1).max(500).nullable(),
});
export type SdkConfig = z.infer<typeof sdkConfigSchema>;

export const SDK_CONFIG_DEFAULTS: SdkConfig = {
  enabled: true,
  telemetrySampleRate: { consumer: 0.01, business: 0.05 },
  disabledFields: [],
  eventAllowlist: null,
  batchSize: null,
};

/** A change to a project's SDK configuration: any subset of the fields. */
export const sdkConfigPatchSchema = sdkConfigSchema.partial();
export type SdkConfigPatch = z.infer<typeof sdkConfigPatchSchema>;

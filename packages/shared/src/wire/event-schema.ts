import { z } from 'zod';
import { INGEST_LIMITS as L } from './limits.ts';

/** Event types accepted by POST /api/v1/batch. */
export const EVENT_TYPES = ['page', 'event', 'error', 'perf', 'api', 'identify'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Default event names when a type's event comes without one (seed 001 §2.1 names). */
export const DEFAULT_EVENT_NAMES: Readonly<Record<EventType, string | undefined>> = {
  page: 'page_view',
  identify: '$identify',
  error: 'js_error',
  perf: 'perf_page',
  api: 'api_call',
  event: undefined,
};

const shortString = z.string().max(L.maxShortStringChars);
const longString = z.string().max(L.maxLongStringChars);

/** Epoch milliseconds, or an ISO-8601 string. */
export const timestampSchema = z.union([
  z.number().int().nonnegative(),
  z.iso.datetime({ offset: true, local: false }),
]);

/**
 * Property values: JSON with caps on depth, array length and string length. Checked by
 * `checkProps` after parsing, because a recursive zod schema would walk the value twice.
 */
export const propsSchema = z.record(z.string(), z.unknown());

/**
 * The common fields of seed 001 §2.1, snake_case as on the wire. Unknown top-level keys are
 * moved into `props` by the server (so `{"type":"error","message":"…"}` works as seed 004 shows).
 */
export const wireEventSchema = z.object({
  event_id: z.uuid().optional(),
  type: z.enum(EVENT_TYPES),
  name: z
    .string()
    .min(1)
    .max(L.maxShortStringChars)
    // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
    .regex(/^[^\u0000-\u001f]+$/, 'no control characters')
    .optional(),
  ts: timestampSchema.optional(),
  event_version: z.number().int().min(0).max(1_000_000).optional(),
  user_id: shortString.optional(),
  anonymous_id: shortString.optional(),
  device_id: shortString.optional(),
  session_id: shortString.optional(),
  app: shortString.optional(),
  env: shortString.optional(),
  release: shortString.optional(),
  platform: shortString.optional(),
  app_version: shortString.optional(),
  network: shortString.optional(),
  page: longString.optional(),
  url: longString.optional(),
  referrer: longString.optional(),
  title: longString.optional(),
  channel: shortString.optional(),
  campaign: shortString.optional(),
  utm_source: shortString.optional(),
  utm_medium: shortString.optional(),
  utm_campaign: shortString.optional(),
  utm_term: shortString.optional(),
  utm_content: shortString.optional(),
  feature: shortString.optional(),
  ab_bucket: shortString.optional(),
  request_id: shortString.optional(),
  trace_id: shortString.optional(),
  duration_ms: z.number().finite().min(0).max(86_400_000).optional(),
  status: z.number().int().min(0).max(999).optional(),
  /** Money in minor currency units (fen, cents). */
  amount: z.number().int().min(-1e13).max(1e13).optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  message: longString.optional(),
  stack: z.string().max(L.maxStackChars).optional(),
  props: propsSchema.optional(),
  /** identify only: person properties. */
  traits: propsSchema.optional(),
  /** Server-side ingest (secret key) only: the end user's IP and user agent. */
  ip: z.union([z.ipv4(), z.ipv6()]).optional(),
  user_agent: longString.optional(),
  dnt: z.boolean().optional(),
});
export type WireEvent = z.infer<typeof wireEventSchema>;

/** Keys of a wire event that have their own column or meaning; anything else goes to props. */
export const KNOWN_EVENT_KEYS: ReadonlySet<string> = new Set(Object.keys(wireEventSchema.shape));

/** POST /api/v1/batch body. `batch` items are validated one by one so one bad item rejects only itself. */
export const batchBodySchema = z.object({
  write_key: shortString.optional(),
  sent_at: timestampSchema.optional(),
  dnt: z.boolean().optional(),
  batch: z.array(z.unknown()),
});
export type BatchBody = z.infer<typeof batchBodySchema>;

export interface RejectedItem {
  index: number;
  code: string;
  message: string;
}

/** Response of POST /api/v1/batch. */
export interface BatchResult {
  /** Newly stored events. */
  accepted: number;
  /** Events whose event_id was already stored: acknowledged, not stored again. */
  duplicates: number;
  /** Events dropped by policy (Do-Not-Track), acknowledged. */
  dropped: number;
  rejected: RejectedItem[];
}

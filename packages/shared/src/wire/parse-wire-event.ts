import { z } from 'zod';
import { EVENT_TYPES, wireEventSchema, type WireEvent } from './event-schema.ts';
import { INGEST_LIMITS as L } from './limits.ts';

/**
 * How each wire-event field is checked on the fast path. Every kind accepts a subset of what the
 * field's zod schema accepts, never more; anything it is unsure of sends the event to zod.
 */
type FieldKind =
  | 'uuid'
  | 'type'
  | 'name'
  | 'ts'
  | 'short'
  | 'long'
  | 'stack'
  | 'eventVersion'
  | 'duration'
  | 'status'
  | 'amount'
  | 'currency'
  | 'record'
  | 'boolean'
  | 'zodOnly';

const FIELD_KINDS: Readonly<Record<keyof WireEvent, FieldKind>> = {
  event_id: 'uuid',
  type: 'type',
  name: 'name',
  ts: 'ts',
  event_version: 'eventVersion',
  user_id: 'short',
  anonymous_id: 'short',
  device_id: 'short',
  session_id: 'short',
  app: 'short',
  env: 'short',
  release: 'short',
  platform: 'short',
  app_version: 'short',
  network: 'short',
  page: 'long',
  url: 'long',
  referrer: 'long',
  title: 'long',
  channel: 'short',
  campaign: 'short',
  utm_source: 'short',
  utm_medium: 'short',
  utm_campaign: 'short',
  utm_term: 'short',
  utm_content: 'short',
  feature: 'short',
  ab_bucket: 'short',
  request_id: 'short',
  trace_id: 'short',
  duration_ms: 'duration',
  status: 'status',
  amount: 'amount',
  currency: 'currency',
  message: 'long',
  stack: 'stack',
  props: 'record',
  traits: 'record',
  // Server-side senders only, and rare: zod's own address checks decide.
  ip: 'zodOnly',
  user_agent: 'long',
  dnt: 'boolean',
};

/** The same patterns zod's uuid and ISO datetime checks use (compared in the tests). */
export const WIRE_PATTERNS = Object.freeze({
  uuid: z.regexes.uuid(),
  datetime: z.regexes.datetime({ offset: true, local: false, precision: null }),
});
const TYPES: ReadonlySet<unknown> = new Set(EVENT_TYPES);
// eslint-disable-next-line no-control-regex -- rejecting control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f]/;

function stringUpTo(value: unknown, max: number): boolean {
  return typeof value === 'string' && value.length <= max;
}

function safeIntegerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

function fieldOk(kind: FieldKind, value: unknown): boolean {
  switch (kind) {
    case 'short':
      return stringUpTo(value, L.maxShortStringChars);
    case 'long':
      return stringUpTo(value, L.maxLongStringChars);
    case 'stack':
      return stringUpTo(value, L.maxStackChars);
    case 'uuid':
      return typeof value === 'string' && WIRE_PATTERNS.uuid.test(value);
    case 'type':
      return TYPES.has(value);
    case 'name':
      return (
        typeof value === 'string' &&
        value.length >= 1 &&
        value.length <= L.maxShortStringChars &&
        !CONTROL_CHARACTER.test(value)
      );
    case 'ts':
      return typeof value === 'number'
        ? safeIntegerIn(value, 0, Number.MAX_SAFE_INTEGER)
        : typeof value === 'string' && WIRE_PATTERNS.datetime.test(value);
    case 'eventVersion':
      return safeIntegerIn(value, 0, 1_000_000);
    case 'duration':
      return (
        typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 86_400_000
      );
    case 'status':
      return safeIntegerIn(value, 0, 999);
    case 'amount':
      return safeIntegerIn(value, -1e13, 1e13);
    case 'currency':
      return typeof value === 'string' && value.length === 3 && /^[A-Z]{3}$/.test(value);
    case 'record':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'zodOnly':
      return false;
  }
}

/**
 * True only when `raw` certainly passes `wireEventSchema`: a plain object whose known fields all
 * have the expected shape. Unknown keys are allowed (the server moves them into props).
 */
export function isPlainWireEvent(raw: unknown): raw is WireEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  const record = raw as Record<string, unknown>;
  if (!TYPES.has(record.type)) return false;
  for (const key in record) {
    if (!Object.hasOwn(FIELD_KINDS, key)) continue;
    const value = record[key];
    if (value === undefined) continue;
    if (!fieldOk(FIELD_KINDS[key as keyof WireEvent], value)) return false;
  }
  return true;
}

export type WireEventParse =
  { success: true; data: WireEvent } | { success: false; path: string; message: string };

/**
 * Validates one wire event. The common case (an SDK's event) is checked by hand, without
 * zod's per-call cost; anything else goes through `wireEventSchema`, which also words the
 * error. The result is what zod would give: same acceptance, same first issue.
 */
export function parseWireEvent(raw: unknown): WireEventParse {
  if (isPlainWireEvent(raw)) return { success: true, data: raw };
  const parsed = wireEventSchema.safeParse(raw);
  if (parsed.success) return { success: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    success: false,
    path: issue?.path.join('.') ?? '',
    message: issue?.message ?? 'invalid',
  };
}

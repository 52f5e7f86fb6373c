import { randomUUID } from 'node:crypto';
import {
  DEFAULT_EVENT_NAMES,
  ERR_INGEST_EVENT_INVALID,
  ERR_INGEST_EVENT_TIME_INVALID,
  ERR_INGEST_EVENT_TOO_LARGE,
  INGEST_LIMITS,
  KNOWN_EVENT_KEYS,
  parseWireEvent,
  type WireEvent,
} from '@sightline/shared';
import type { IngestProject } from '../../projects/index.ts';
import type {
  EventRow,
  IdentityRow,
  OrderItemRow,
  OrderRow,
  RefundRow,
  WriteBatch,
} from '../../store/index.ts';
import type { Enrichers, GeoInfo, UserAgentInfo } from './enrichers.ts';
import { materializeCommerce } from './materialize-commerce.ts';

/** Earliest event time accepted (older data is almost certainly a unit mistake). */
const MIN_EVENT_TIME_MS = Date.UTC(2000, 0, 1);

/** What is the same for every event of one request. */
export interface BatchContext {
  project: IngestProject;
  receivedAt: number;
  /** Client clock when the batch was sent; corrects every event's ts for skew. */
  sentAt: number | null;
  ip: string | undefined;
  userAgent: string | undefined;
  /** The client asked not to be tracked (DNT header or body flag). */
  dnt: boolean;
  /** Signed with a secret key: events may carry their own ip and user_agent. */
  trusted: boolean;
  ipSalt: string;
  enrichers: Enrichers;
  /**
   * Bytes of the whole request body, when known: no event of a body smaller than the per-event
   * limit can exceed it, which saves re-serialising every event to measure it.
   */
  bodyBytes: number | null;
  /** Per-request memo of the request-level UA and geo lookups. */
  memo: {
    ua?: UserAgentInfo;
    geo?: GeoInfo;
    ipHash?: string | null;
    hashValue?: (value: string) => string;
  };
}

export type NormalizedEvent =
  | {
      kind: 'ok';
      row: EventRow;
      identity: IdentityRow | null;
      order: { order: OrderRow; items: OrderItemRow[] } | null;
      refund: RefundRow | null;
    }
  | { kind: 'dropped' }
  | { kind: 'rejected'; code: string; message: string };

function reject(code: string, message: string): NormalizedEvent {
  return { kind: 'rejected', code, message };
}

export function parseTimestamp(value: number | string | undefined): number | null {
  if (value === undefined) return null;
  return typeof value === 'number' ? value : Date.parse(value);
}

export function normalizeEvent(raw: unknown, ctx: BatchContext): NormalizedEvent {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return reject(ERR_INGEST_EVENT_INVALID.code, 'Event is invalid: must be a JSON object');
  }
  const mayBeTooLarge = ctx.bodyBytes === null || ctx.bodyBytes > INGEST_LIMITS.maxEventBytes;
  if (mayBeTooLarge && Buffer.byteLength(JSON.stringify(raw)) > INGEST_LIMITS.maxEventBytes) {
    return reject(
      ERR_INGEST_EVENT_TOO_LARGE.code,
      `Event exceeds ${INGEST_LIMITS.maxEventBytes} bytes`,
    );
  }
  const parsed = parseWireEvent(raw);
  if (!parsed.success) {
    return reject(
      ERR_INGEST_EVENT_INVALID.code,
      `Event is invalid: ${parsed.path || 'event'}: ${parsed.message}`,
    );
  }
  const event = parsed.data;
  const name = event.name ?? DEFAULT_EVENT_NAMES[event.type];
  if (!name)
    return reject(
      ERR_INGEST_EVENT_INVALID.code,
      'Event is invalid: name is required for type "event"',
    );

  const dnt = ctx.dnt || event.dnt === true;
  if (dnt && ctx.project.project.dntMode === 'drop') return { kind: 'dropped' };

  const time = resolveEventTime(event, ctx);
  if (typeof time === 'string') return reject(ERR_INGEST_EVENT_TIME_INVALID.code, time);

  const rawProps = collectProps(raw as Record<string, unknown>, event);
  const problem = ctx.enrichers.checkProps(rawProps);
  if (problem) return reject(ERR_INGEST_EVENT_INVALID.code, `Event is invalid: ${problem}`);
  const denied = ctx.enrichers.applyDenylist(rawProps, ctx.project.denylist);
  const commerceProps = denied.props;
  // A raw shipping address is PII: orders keep only its hash (materialize-commerce.ts).
  const props = ctx.enrichers.scrubPii(withoutKey(commerceProps, 'address'), ctx.ipSalt).props;

  const anonymize = dnt; // only reached when dntMode is 'anonymize'
  const ip = ctx.trusted && event.ip ? event.ip : ctx.ip;
  const userAgent = ctx.trusted && event.user_agent ? event.user_agent : ctx.userAgent;
  const perEvent = ip !== ctx.ip || userAgent !== ctx.userAgent;
  const ua = perEvent
    ? ctx.enrichers.parseUserAgent(userAgent)
    : (ctx.memo.ua ??= ctx.enrichers.parseUserAgent(userAgent));
  const geo = perEvent
    ? ctx.enrichers.lookupGeo(ip)
    : (ctx.memo.geo ??= ctx.enrichers.lookupGeo(ip));
  const ipHash =
    anonymize || !ip
      ? null
      : perEvent
        ? ctx.enrichers.hashIp(ip, ctx.ipSalt)
        : (ctx.memo.ipHash ??= ctx.enrichers.hashIp(ip, ctx.ipSalt));
  const { channel, referrerHost } = ctx.enrichers.classifyChannel({
    channel: event.channel,
    utmSource: event.utm_source,
    utmMedium: event.utm_medium,
    utmCampaign: event.utm_campaign,
    referrer: event.referrer,
    url: event.url,
  });

  const anonymousId = anonymize ? null : (event.anonymous_id ?? event.device_id ?? null);
  const row: EventRow = {
    projectId: ctx.project.project.id,
    // One spelling per id, so a repeat in other letter case is the same event.
    eventId: event.event_id?.toLowerCase() ?? randomUUID(),
    eventTime: time.eventTime,
    clientTime: time.clientTime,
    receivedAt: ctx.receivedAt,
    type: event.type,
    name,
    eventVersion: event.event_version ?? null,
    userId: anonymize ? null : (event.user_id ?? null),
    anonymousId,
    deviceId: anonymize ? null : (event.device_id ?? null),
    sessionId: anonymize ? null : (event.session_id ?? null),
    app: event.app ?? null,
    env: event.env ?? null,
    release: event.release ?? null,
    platform: event.platform ?? null,
    appVersion: event.app_version ?? null,
    country: geo.country,
    province: geo.province,
    city: geo.city,
    network: event.network ?? null,
    page: event.page ?? null,
    url: event.url ?? null,
    referrer: event.referrer ?? null,
    referrerHost,
    title: event.title ?? null,
    channel,
    campaign: event.campaign ?? event.utm_campaign ?? null,
    utmSource: event.utm_source ?? null,
    utmMedium: event.utm_medium ?? null,
    utmCampaign: event.utm_campaign ?? null,
    utmTerm: event.utm_term ?? null,
    utmContent: event.utm_content ?? null,
    feature: event.feature ?? null,
    abBucket: event.ab_bucket ?? null,
    requestId: event.request_id ?? null,
    traceId: event.trace_id ?? null,
    ipHash,
    uaBrowser: ua.browser,
    uaBrowserVersion: ua.browserVersion,
    uaOs: ua.os,
    uaOsVersion: ua.osVersion,
    uaDeviceType: ua.deviceType,
    uaDeviceVendor: ua.deviceVendor,
    uaDeviceModel: ua.deviceModel,
    isBot: ua.isBot,
    durationMs: event.duration_ms ?? null,
    status: event.status ?? null,
    amount: event.amount ?? null,
    currency: event.currency ?? null,
    props: JSON.stringify(props),
  };

  let identity: IdentityRow | null = null;
  if (event.type === 'identify') {
    if (!row.userId || !anonymousId) {
      return reject(
        ERR_INGEST_EVENT_INVALID.code,
        'Event is invalid: identify needs user_id and anonymous_id',
      );
    }
    identity = {
      projectId: row.projectId,
      anonymousId,
      userId: row.userId,
      linkedAt: row.eventTime,
    };
  }

  const facts = materializeCommerce(row, {
    props: commerceProps,
    // Made once per request: a closure per event is measurable at tens of thousands a second.
    hashValue: (ctx.memo.hashValue ??= (value) => ctx.enrichers.hashValue(value, ctx.ipSalt)),
  });
  if (facts.kind === 'invalid')
    return reject(ERR_INGEST_EVENT_INVALID.code, `Event is invalid: ${facts.reason}`);
  return {
    kind: 'ok',
    row,
    identity,
    order: facts.kind === 'order' ? { order: facts.order, items: facts.items } : null,
    refund: facts.kind === 'refund' ? facts.refund : null,
  };
}

function resolveEventTime(
  event: WireEvent,
  ctx: BatchContext,
): { eventTime: number; clientTime: number | null } | string {
  const clientTime = parseTimestamp(event.ts);
  if (clientTime === null) return { eventTime: ctx.receivedAt, clientTime: null };
  const skew = ctx.sentAt === null ? 0 : ctx.receivedAt - ctx.sentAt;
  const corrected = clientTime + skew;
  if (
    !Number.isFinite(corrected) ||
    corrected < MIN_EVENT_TIME_MS ||
    corrected > ctx.receivedAt + INGEST_LIMITS.maxFutureSkewMs
  ) {
    return `Event time ${String(event.ts)} is outside the accepted range`;
  }
  // An event cannot happen after it was received; small residual skew is clamped.
  return { eventTime: Math.min(corrected, ctx.receivedAt), clientTime };
}

function withoutKey(props: Record<string, unknown>, key: string): Record<string, unknown> {
  if (!(key in props)) return props;
  const copy = { ...props };
  delete copy[key];
  return copy;
}

/** props, plus unknown top-level keys, plus identify traits and error message/stack. */
function collectProps(raw: Record<string, unknown>, event: WireEvent): Record<string, unknown> {
  const given = event.props ?? {};
  let props = given;
  for (const key of Object.keys(raw)) {
    if (!KNOWN_EVENT_KEYS.has(key)) props = putProp(props, given, key, raw[key]);
  }
  if (event.traits) {
    for (const [key, value] of Object.entries(event.traits))
      props = putProp(props, given, key, value);
  }
  props = putProp(props, given, 'message', event.message);
  return putProp(props, given, 'stack', event.stack);
}

/** Adds a key the props lack, copying the sender's object (`given`) before the first change. */
function putProp(
  props: Record<string, unknown>,
  given: Record<string, unknown>,
  key: string,
  value: unknown,
): Record<string, unknown> {
  if (value === undefined || key in props) return props;
  const target = props === given ? { ...given } : props;
  target[key] = value;
  return target;
}

/** Adds an accepted event and the facts it carries (identity, order, refund) to a write batch. */
export function appendToBatch(
  batch: WriteBatch,
  normalized: Extract<NormalizedEvent, { kind: 'ok' }>,
): void {
  batch.events.push(normalized.row);
  if (normalized.identity) batch.identities.push(normalized.identity);
  if (normalized.order) {
    batch.orders.push(normalized.order.order);
    for (const item of normalized.order.items) batch.orderItems.push(item);
  }
  if (normalized.refund) batch.refunds.push(normalized.refund);
}

import { INGEST_LIMITS } from '@sightline/shared';
import type { MappedItem } from './compat-ingest.ts';
import {
  compactObject,
  createStableEventId,
  getPlatformOfLibrary,
  isJsonObject,
  normalizeCurrency,
  readObject,
  readString,
  toSnakeCaseName,
  type JsonObject,
} from './compat-values.ts';
import { getEventKey } from './posthog-decode.ts';

export interface PostHogMappingContext {
  projectId: string;
  /** The key the request was authenticated with. */
  requestKey: string;
  /** What an event's `offset` (ms before sending, posthog-js) counts back from. */
  referenceMs: number;
}

/** PostHog person and group operations with no Sightline equivalent, and why. */
const UNSUPPORTED_EVENTS: ReadonlyMap<string, string> = new Map([
  ['$create_alias', 'PostHog alias is not supported (send $identify with $anon_distinct_id)'],
  ['$merge_dangerously', 'PostHog merge is not supported (send $identify with $anon_distinct_id)'],
  ['$groupidentify', 'PostHog groups are not supported (Sightline has no account/group model)'],
  ['$set', 'PostHog person properties without $identify are not supported'],
  ['$snapshot', 'PostHog session recordings are not supported'],
]);

/** Properties mapped to columns; every other `$` property is PostHog's own and not kept. */
const MAPPED_PLAIN_KEYS = new Set([
  'token',
  'distinct_id',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
]);

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One PostHog event → our wire event (docs/sdk.md, "Compatibility endpoints"). */
export function mapPostHogEvent(raw: unknown, ctx: PostHogMappingContext): MappedItem {
  if (!isJsonObject(raw)) return { kind: 'rejected', reason: 'must be a JSON object' };
  const ownKey = getEventKey(raw);
  if (ownKey !== undefined && ownKey !== ctx.requestKey) {
    return { kind: 'rejected', reason: 'api_key: differs from the key of the request' };
  }
  const event = readString(raw, 'event');
  const unsupported = event === undefined ? undefined : UNSUPPORTED_EVENTS.get(event);
  if (unsupported) return { kind: 'rejected', reason: unsupported };

  const properties = readObject(raw, 'properties');
  const common = mapCommonFields(raw, properties, ctx);
  const props = getOwnProperties(properties);
  switch (event) {
    case '$pageview': {
      // posthog-js sends the document title as a plain `title` property of page views.
      const title = readString(properties, '$title') ?? readString(properties, 'title');
      delete props.title;
      return toItem(common, { type: 'page', title, props });
    }
    case '$screen':
      return toItem(common, { type: 'page', page: readString(properties, '$screen_name'), props });
    case '$pageleave':
      return toItem(common, { type: 'event', name: 'page_leave', props });
    case '$identify':
      return toItem(mapIdentity(raw, properties, common), {
        type: 'identify',
        traits: getTraits(raw, properties),
      });
    case '$exception':
      return toItem(common, mapException(properties, props, common.platform));
    default: {
      // Without a name the ingest service rejects it with our usual message.
      const name = event === undefined ? undefined : toSnakeCaseName(event);
      return toItem(common, { type: 'event', name, props, ...liftMoney(name, props) });
    }
  }
}

/** Our events whose money has columns of its own (docs/events.md, E-commerce). */
const MONEY_COLUMN_EVENTS: ReadonlySet<string> = new Set([
  'order_completed',
  'order_refunded',
  'checkout_started',
]);

/**
 * PostHog has no commerce spec, so its events use ours: for our commerce names the `amount`
 * and `currency` properties (minor units, as on our wire) become the columns. Other events keep
 * them as props, since their units are the app's own.
 */
function liftMoney(name: string | undefined, props: JsonObject): JsonObject {
  if (name === undefined || !MONEY_COLUMN_EVENTS.has(name)) return {};
  const lifted = {
    amount: props.amount,
    currency: normalizeCurrency(props.currency) ?? props.currency,
  };
  delete props.amount;
  delete props.currency;
  return lifted;
}

function toItem(common: JsonObject, specific: JsonObject): MappedItem {
  return { kind: 'event', event: { ...common, ...compactObject(specific) } };
}

/**
 * Whose event it is. posthog-js marks each event `$is_identified`: when false the distinct id
 * is an anonymous one; when true it is the user id and `$device_id` the browser's anonymous id.
 * Server libraries (posthog-node) send no flag and are called with the app's own user ids, so
 * without the flag the distinct id is the user id.
 */
function mapCommonFields(
  raw: JsonObject,
  properties: JsonObject,
  ctx: PostHogMappingContext,
): JsonObject {
  const distinctId = readString(raw, 'distinct_id') ?? readString(properties, 'distinct_id');
  const deviceId = readString(properties, '$device_id');
  const anonymous = properties.$is_identified === false;
  const uuid = readString(raw, 'uuid');
  const offset = raw.offset;
  const referrer = readString(properties, '$referrer');
  return compactObject({
    event_id:
      uuid === undefined
        ? undefined
        : UUID_PATTERN.test(uuid)
          ? uuid
          : createStableEventId(ctx.projectId, 'posthog', uuid),
    ts:
      typeof raw.timestamp === 'string' || typeof raw.timestamp === 'number'
        ? raw.timestamp
        : typeof offset === 'number' && Number.isFinite(offset)
          ? Math.round(ctx.referenceMs - offset)
          : undefined,
    user_id: anonymous ? undefined : distinctId,
    anonymous_id: anonymous ? distinctId : deviceId !== distinctId ? deviceId : undefined,
    session_id: readString(properties, '$session_id'),
    platform: getPlatformOfLibrary(readString(properties, '$lib')),
    app: readString(properties, '$app_name'),
    app_version: readString(properties, '$app_version'),
    page: readString(properties, '$pathname'),
    url: readString(properties, '$current_url'),
    // PostHog spells "no referrer" as $direct.
    referrer: referrer === '$direct' ? undefined : referrer,
    utm_source: readString(properties, 'utm_source'),
    utm_medium: readString(properties, 'utm_medium'),
    utm_campaign: readString(properties, 'utm_campaign'),
    utm_term: readString(properties, 'utm_term'),
    utm_content: readString(properties, 'utm_content'),
  });
}

/**
 * The app's own properties. PostHog's `$` properties (browser, OS, screen, library, person
 * operations …) are dropped: Sightline derives browser and OS from the user agent, and with them
 * an ordinary posthog-js event would pass the limit of 100 props.
 */
function getOwnProperties(properties: JsonObject): JsonObject {
  const props: JsonObject = {};
  for (const [key, value] of Object.entries(properties)) {
    if (!key.startsWith('$') && !MAPPED_PLAIN_KEYS.has(key)) props[key] = value;
  }
  return props;
}

/** `$identify`: distinct_id is the user, `$anon_distinct_id` the id used before login. */
function mapIdentity(raw: JsonObject, properties: JsonObject, common: JsonObject): JsonObject {
  const userId = readString(raw, 'distinct_id') ?? readString(properties, 'distinct_id');
  const deviceId = readString(properties, '$device_id');
  const anonymousId =
    readString(properties, '$anon_distinct_id') ?? (deviceId !== userId ? deviceId : undefined);
  return compactObject({ ...common, user_id: userId, anonymous_id: anonymousId });
}

/** `$set_once` then `$set` (the later wins), at the top level (posthog-js) or in properties. */
function getTraits(raw: JsonObject, properties: JsonObject): JsonObject {
  const setOnce = isJsonObject(raw.$set_once) ? raw.$set_once : readObject(properties, '$set_once');
  const set = isJsonObject(raw.$set) ? raw.$set : readObject(properties, '$set');
  return { ...setOnce, ...set };
}

/**
 * `$exception` → an error with the first exception's type, message and a JavaScript-style stack
 * rebuilt from its frames (PostHog lists frames outermost first; stacks start innermost).
 */
function mapException(properties: JsonObject, props: JsonObject, platform: unknown): JsonObject {
  const list = Array.isArray(properties.$exception_list) ? properties.$exception_list : [];
  const first: JsonObject = isJsonObject(list[0]) ? list[0] : {};
  const errorName = readString(first, 'type') ?? readString(properties, '$exception_type');
  const message = readString(first, 'value') ?? readString(properties, '$exception_message');
  const handled = readObject(first, 'mechanism').handled;
  const frames = readObject(first, 'stacktrace').frames;
  const lines = (Array.isArray(frames) ? frames : [])
    .filter(isJsonObject)
    .reverse()
    .map((frame) => {
      const where = [
        readString(frame, 'filename'),
        readString(frame, 'lineno'),
        readString(frame, 'colno'),
      ]
        .filter((part) => part !== undefined)
        .join(':');
      return `    at ${readString(frame, 'function') ?? '<anonymous>'} (${where})`;
    });
  const stack =
    lines.length === 0
      ? undefined
      : [`${errorName ?? 'Error'}: ${message ?? ''}`, ...lines]
          .join('\n')
          .slice(0, INGEST_LIMITS.maxStackChars);
  return {
    type: 'error',
    // As our server SDK names them (docs/events.md): js_error is the default otherwise.
    name: platform === 'server' ? 'server_error' : undefined,
    message,
    stack,
    props: compactObject({
      ...props,
      error_name: errorName,
      handled: typeof handled === 'boolean' ? handled : undefined,
    }),
  };
}

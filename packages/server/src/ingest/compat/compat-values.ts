import { createHash } from 'node:crypto';

/** A JSON object as a tracker sent it: nothing about its values is known yet. */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The object at `key`, or an empty one: trackers omit empty objects freely. */
export function readObject(source: JsonObject | undefined, key: string): JsonObject {
  const value = source?.[key];
  return isJsonObject(value) ? value : {};
}

/**
 * A string field. Ids may arrive as numbers (`userId: 42`); they are the same id as "42". Empty
 * strings count as absent, as trackers send them for "not set".
 */
export function readString(source: JsonObject | undefined, key: string): string | undefined {
  const value = source?.[key];
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Copies the entries whose value is defined, so absent fields stay absent on the wire. */
export function compactObject(source: JsonObject): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(source)) if (value !== undefined) result[key] = value;
  return result;
}

/**
 * Our names are snake_case (docs/events.md): `Order Completed`, `orderCompleted` and
 * `order-completed` all become `order_completed`. Letters of any script are kept (`加入购物车`
 * stays as is); a leading `$` is kept so PostHog's own events stay apart from the app's.
 */
export function toSnakeCaseName(name: string): string {
  const prefix = name.startsWith('$') ? '$' : '';
  const snake = name
    .slice(prefix.length)
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, '$1_$2')
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1_$2')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
  // Nothing left (a name of punctuation only): keep it as sent and let validation judge it.
  return snake ? prefix + snake : name;
}

/** An ISO 4217 code in our spelling (`usd` → `USD`), or undefined when it is not one. */
export function normalizeCurrency(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const code = value.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(code) ? code : undefined;
}

const digitsByCurrency = new Map<string, number>();

/** Minor-unit digits of a currency (JPY 0, CNY 2, KWD 3) from ICU; 2 when unknown. */
export function getCurrencyDigits(currency: string | undefined): number {
  if (!currency) return 2;
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
          .maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

/**
 * Major units as trackers send them (12.9) → our integer minor units (1290). Scaled through the
 * decimal text (`12.9e2`) rather than `12.9 * 100` so 1.005 becomes 101, not 100; fractions of a
 * minor unit are rounded half away from zero. Anything that is not a number (or a numeric
 * string) is returned unchanged, for validation to report.
 */
export function toMinorUnits(value: unknown, currency: string | undefined): unknown {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)
        ? Number(value)
        : undefined;
  if (number === undefined || !Number.isFinite(number)) return value;
  const digits = getCurrencyDigits(currency);
  const text = String(Math.abs(number));
  const scaled = text.includes('e') ? Math.abs(number) * 10 ** digits : Number(`${text}e${digits}`);
  const rounded = Math.round(scaled);
  return number < 0 && rounded !== 0 ? -rounded : rounded;
}

/** Fixed namespace of the name-based event ids below (a random v4 UUID, chosen once). */
const EVENT_ID_NAMESPACE = Buffer.from('6f1f0c3e8a2b4d7e9c5a1b3d2e4f6a8b', 'hex');

/**
 * A name-based UUID (RFC 9562 version 5) from the project, the tracker and the tracker's own
 * message id: the tracker's retries carry the same message id, so they land on the same event_id
 * and dedupe; the project is part of the name because event ids are unique server-wide.
 */
export function createStableEventId(projectId: string, source: string, messageId: string): string {
  const hash = createHash('sha1')
    .update(EVENT_ID_NAMESPACE)
    .update(`${projectId}\u0000${source}\u0000${messageId}`)
    .digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const LIBRARY_PLATFORMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/ios|swift/i, 'ios'],
  [/android|kotlin/i, 'android'],
  [/^web$|analytics\.js|analytics-next|posthog-js/i, 'web'],
  [/node|python|ruby|php|java(?!script)|-go$|golang|dotnet|\.net|csharp|rust|elixir/i, 'server'],
];

/**
 * Our `platform` from the tracker library that sent an event (`@segment/analytics-node` →
 * `server`, PostHog's `$lib: "web"` → `web`); undefined for libraries not listed.
 */
export function getPlatformOfLibrary(library: string | undefined): string | undefined {
  if (!library) return undefined;
  return LIBRARY_PLATFORMS.find(([pattern]) => pattern.test(library))?.[1];
}

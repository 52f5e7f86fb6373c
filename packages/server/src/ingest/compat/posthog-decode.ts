import { gunzipSync } from 'node:zlib';
import {
  ERR_REQUEST_BODY_TOO_LARGE,
  ERR_REQUEST_INVALID,
  INGEST_LIMITS,
  SightlineError,
} from '@sightline/shared';
import { parseJsonBody } from './compat-ingest.ts';
import { isJsonObject, readObject, readString, type JsonObject } from './compat-values.ts';

/** What a PostHog capture request carries, whichever of its shapes it came in. */
export interface PostHogEnvelope {
  events: unknown[];
  apiKey: string | undefined;
  sentAt: string | number | undefined;
}

/**
 * The JSON of a PostHog capture body, in each encoding its libraries use:
 * - `Content-Encoding: gzip` (posthog-node): already inflated by the compat scope;
 * - gzip bytes without that header (posthog-js `?compression=gzip-js`, sent as text/plain):
 *   recognised by the gzip magic number rather than the query, which proxies sometimes drop;
 * - a form body `data=<base64 of the JSON>` (posthog-js `compression=base64`);
 * - plain JSON.
 * posthog-js's older `lz64` compression is not supported (answered ERR_REQUEST_INVALID).
 */
export function decodePostHogBody(body: unknown, contentType: string | undefined): unknown {
  let bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
  if (isGzip(bytes)) bytes = gunzipWithinLimit(bytes);
  if (contentType?.includes('application/x-www-form-urlencoded') || startsWith(bytes, 'data=')) {
    return parseJsonBody(Buffer.from(decodeFormData(bytes.toString('utf8'))));
  }
  return parseJsonBody(bytes);
}

/**
 * The events, key and send time of a decoded body: `{ api_key, batch, sent_at }` (posthog-node's
 * /batch/), an array of events (posthog-js, whose events carry the key as properties.token), or
 * one event (`{ api_key, event, properties, … }`).
 */
export function readPostHogEnvelope(body: unknown): PostHogEnvelope {
  if (Array.isArray(body)) {
    return { events: body, apiKey: getEventKey(body[0]), sentAt: undefined };
  }
  if (!isJsonObject(body)) {
    throw new SightlineError(ERR_REQUEST_INVALID, {
      reason: 'body: expected a JSON object or array',
    });
  }
  const sentAt =
    typeof body.sent_at === 'string' || typeof body.sent_at === 'number' ? body.sent_at : undefined;
  if (body.batch !== undefined) {
    if (!Array.isArray(body.batch)) {
      throw new SightlineError(ERR_REQUEST_INVALID, { reason: 'batch: expected an array' });
    }
    const apiKey =
      readString(body, 'api_key') ?? readString(body, 'token') ?? getEventKey(body.batch[0]);
    return { events: body.batch, apiKey, sentAt };
  }
  return { events: [body], apiKey: getEventKey(body), sentAt };
}

/** The project key an event names itself, where PostHog's libraries put it. */
export function getEventKey(event: unknown): string | undefined {
  if (!isJsonObject(event)) return undefined;
  const properties: JsonObject = readObject(event, 'properties');
  return (
    readString(event, 'api_key') ?? readString(event, 'token') ?? readString(properties, 'token')
  );
}

function decodeFormData(text: string): string {
  const data = new URLSearchParams(text).get('data');
  if (data === null) {
    throw new SightlineError(ERR_REQUEST_INVALID, { reason: 'form body without a data field' });
  }
  const trimmed = data.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return trimmed;
  // A `+` of the base64 text that was not percent-encoded arrives as a space in form encoding.
  return Buffer.from(trimmed.replace(/ /g, '+'), 'base64').toString('utf8');
}

function isGzip(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function startsWith(bytes: Buffer, prefix: string): boolean {
  return bytes.subarray(0, prefix.length).toString('latin1') === prefix;
}

/** Inflates with the body limit applied to the inflated size, as for Content-Encoding gzip. */
function gunzipWithinLimit(bytes: Buffer): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: INGEST_LIMITS.maxBodyBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new SightlineError(ERR_REQUEST_BODY_TOO_LARGE, { limit: INGEST_LIMITS.maxBodyBytes });
    }
    throw new SightlineError(ERR_REQUEST_INVALID, {
      reason: `invalid gzip body: ${(error as Error).message}`,
    });
  }
}

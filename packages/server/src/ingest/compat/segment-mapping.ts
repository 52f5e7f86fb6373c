import type { MappedItem } from './compat-ingest.ts';
import {
  compactObject,
  createStableEventId,
  getPlatformOfLibrary,
  isJsonObject,
  readObject,
  readString,
  type JsonObject,
} from './compat-values.ts';
import { mapSegmentTrack } from './segment-commerce.ts';

/** The calls of Segment's Tracking API (https://segment.com/docs/connections/spec/). */
export const SEGMENT_CALLS = ['track', 'page', 'screen', 'identify', 'alias', 'group'] as const;
export type SegmentCall = (typeof SEGMENT_CALLS)[number];

export interface SegmentMappingContext {
  projectId: string;
  /** The call of a single-call endpoint (`/v1/track`); undefined for `/v1/batch`. */
  call: SegmentCall | undefined;
  /** A batch's top-level `context`, under each message's own. */
  batchContext: JsonObject;
}

/** One Segment message → our wire event (docs/sdk.md, "Compatibility endpoints"). */
export function mapSegmentMessage(raw: unknown, ctx: SegmentMappingContext): MappedItem {
  if (!isJsonObject(raw)) return { kind: 'rejected', reason: 'must be a JSON object' };
  const call = ctx.call ?? readString(raw, 'type');
  const context = { ...ctx.batchContext, ...readObject(raw, 'context') };
  const common = mapCommonFields(raw, context, ctx.projectId);
  const properties = readObject(raw, 'properties');
  switch (call) {
    case 'track': {
      const event = readString(raw, 'event');
      // Without a name the ingest service rejects it with our usual message.
      if (!event) return toItem(common, { type: 'event', props: properties });
      const track = mapSegmentTrack(event, properties);
      return toItem(common, { type: 'event', ...track });
    }
    case 'page':
      return toItem(common, mapPage(raw, properties));
    case 'screen':
      // Apps have no URL: a screen is a page view with only `page` (docs/events.md).
      return toItem(common, {
        type: 'page',
        page: readString(raw, 'name') ?? readString(properties, 'name'),
        props: properties,
      });
    case 'identify': {
      const traits = raw.traits ?? context.traits;
      return toItem(common, { type: 'identify', traits: isJsonObject(traits) ? traits : {} });
    }
    case 'alias':
      // Segment's alias merges previousId into userId: the same link our identify records.
      return toItem(common, {
        type: 'identify',
        anonymous_id: readString(raw, 'previousId'),
        user_id: readString(raw, 'userId'),
      });
    case 'group':
      return {
        kind: 'rejected',
        reason: 'Segment group calls are not supported (Sightline has no account/group model)',
      };
    default:
      return {
        kind: 'rejected',
        reason: `type: expected one of ${SEGMENT_CALLS.join(', ')}`,
      };
  }
}

function toItem(common: JsonObject, specific: JsonObject): MappedItem {
  return { kind: 'event', event: { ...common, ...compactObject(specific) } };
}

/**
 * Fields every call may carry. `context.ip` and `context.userAgent` are left out on purpose:
 * only signed batches may set an event's IP and user agent, and trackers cannot sign.
 */
function mapCommonFields(message: JsonObject, context: JsonObject, projectId: string): JsonObject {
  const messageId = readString(message, 'messageId');
  const page = readObject(context, 'page');
  const campaign = readObject(context, 'campaign');
  const app = readObject(context, 'app');
  const device = readObject(context, 'device');
  const deviceType = readString(device, 'type')?.toLowerCase();
  return compactObject({
    event_id: messageId ? createStableEventId(projectId, 'segment', messageId) : undefined,
    ts: readTimestamp(message, 'timestamp') ?? readTimestamp(message, 'originalTimestamp'),
    user_id: readString(message, 'userId'),
    anonymous_id: readString(message, 'anonymousId'),
    device_id: readString(device, 'id'),
    platform:
      deviceType === 'ios' || deviceType === 'android'
        ? deviceType
        : getPlatformOfLibrary(readString(readObject(context, 'library'), 'name')),
    app: readString(app, 'name'),
    app_version: readString(app, 'version'),
    page: readString(page, 'path'),
    url: readString(page, 'url'),
    referrer: readString(page, 'referrer'),
    title: readString(page, 'title'),
    utm_source: readString(campaign, 'source'),
    utm_medium: readString(campaign, 'medium'),
    utm_campaign: readString(campaign, 'name'),
    utm_term: readString(campaign, 'term'),
    utm_content: readString(campaign, 'content'),
  });
}

/** A page call: its properties name the page (over `context.page`); the rest are props. */
function mapPage(message: JsonObject, properties: JsonObject): JsonObject {
  const props: JsonObject = { ...properties };
  for (const key of ['path', 'url', 'referrer', 'title']) delete props[key];
  const name = readString(message, 'name');
  const category = readString(message, 'category');
  if (name !== undefined && props.name === undefined) props.name = name;
  if (category !== undefined && props.category === undefined) props.category = category;
  return {
    type: 'page',
    page: readString(properties, 'path'),
    url: readString(properties, 'url'),
    referrer: readString(properties, 'referrer'),
    title: readString(properties, 'title'),
    props,
  };
}

/** ISO-8601 text or epoch ms, as given: the ingest service validates both. */
export function readTimestamp(source: JsonObject, key: string): string | number | undefined {
  const value = source[key];
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
}

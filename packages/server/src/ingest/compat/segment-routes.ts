import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ERR_REQUEST_INVALID, SightlineError, type BatchResult } from '@sightline/shared';
import {
  compatCountsShape,
  ingestMappedItems,
  parseJsonBody,
  resolveCompatProject,
} from './compat-ingest.ts';
import { registerCompatScope, type CompatRoutesOptions } from './compat-scope.ts';
import { isJsonObject, readObject, type JsonObject } from './compat-values.ts';
import {
  SEGMENT_CALLS,
  mapSegmentMessage,
  readTimestamp,
  type SegmentCall,
} from './segment-mapping.ts';

const segmentResultSchema = z.object({
  success: z.literal(true).describe("Segment's own answer; its libraries read only the status"),
  ...compatCountsShape,
});

const HOW_TO_SEND_KEY =
  'Authorization: Basic base64("<write key>:") (the write key as user name, empty password), or writeKey in the body';

/**
 * Segment's HTTP Tracking API (https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/):
 * POST /v1/batch and the single calls /v1/track, /v1/page, /v1/screen, /v1/identify, /v1/alias,
 * /v1/group (and analytics.js's short aliases), so analytics-node, analytics.js and the HTTP API
 * work with their host set to Sightline.
 */
export async function registerSegmentRoutes(
  app: FastifyInstance,
  options: CompatRoutesOptions,
): Promise<void> {
  await registerCompatScope(
    app,
    {
      ...options,
      // analytics.js sends text/plain to avoid a CORS preflight.
      contentTypes: ['application/json', 'text/plain'],
      corsAllowHeaders: 'content-type, content-encoding, authorization',
    },
    (scope) => {
      for (const [path, call, aliases] of getSegmentEndpoints()) {
        for (const variant of [path, `${path}/`, ...aliases]) {
          scope.options(variant, { schema: { hide: true } }, (_request, reply) =>
            reply.status(204).send(),
          );
          scope.post(
            variant,
            {
              schema: {
                hide: variant !== path,
                tags: ['ingest compatibility'],
                summary: call ? `Segment ${call} call` : 'Segment batch',
                description:
                  'Segment HTTP Tracking API. Write key as HTTP Basic user name (empty password) or writeKey in the body. Messages are mapped to Sightline events (docs/sdk.md, Compatibility endpoints) and ingested with every rule of POST /api/v1/batch.',
                response: { 200: segmentResultSchema },
              },
            },
            async (request, reply) => {
              const result = await ingestSegmentRequest(request, call, options);
              return reply.status(200).send({ success: true as const, ...result });
            },
          );
        }
      }
    },
  );
}

/**
 * Each endpoint with the short alias analytics.js posts to: the first letter of the call
 * (`/v1/t`, `/v1/p`, …) and `/v1/b` for its batching mode (analytics-next,
 * packages/browser/src/plugins/segmentio/index.ts and batched-dispatcher.ts).
 */
function getSegmentEndpoints(): Array<[string, SegmentCall | undefined, string[]]> {
  return [
    ['/v1/batch', undefined, ['/v1/b']],
    ...SEGMENT_CALLS.map((call): [string, SegmentCall, string[]] => [
      `/v1/${call}`,
      call,
      [`/v1/${call.charAt(0)}`],
    ]),
  ];
}

async function ingestSegmentRequest(
  request: FastifyRequest,
  call: SegmentCall | undefined,
  options: CompatRoutesOptions,
): Promise<BatchResult> {
  const body = parseJsonBody(request.body);
  if (!isJsonObject(body)) {
    throw new SightlineError(ERR_REQUEST_INVALID, { reason: 'body: expected a JSON object' });
  }
  let messages: unknown[] = [body];
  if (!call) {
    if (!Array.isArray(body.batch)) {
      throw new SightlineError(ERR_REQUEST_INVALID, { reason: 'batch: expected an array' });
    }
    messages = body.batch;
  }
  const { writeKey, projectId } = await resolveCompatProject(
    options.projects,
    getSegmentWriteKey(request.headers.authorization, body),
    HOW_TO_SEND_KEY,
  );
  const batchContext = call ? {} : readObject(body, 'context');
  return ingestMappedItems({
    service: options.ingest,
    writeKey,
    sentAt: readTimestamp(body, 'sentAt'),
    items: messages.map((message) => mapSegmentMessage(message, { projectId, call, batchContext })),
    request,
  });
}

/**
 * Segment authenticates with HTTP Basic, the write key as user name and an empty password
 * (a key without the colon is still accepted, as Segment does), or `writeKey` in the body.
 */
export function getSegmentWriteKey(
  authorization: string | undefined,
  body: JsonObject,
): string | undefined {
  const basic = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization ?? '')?.[1];
  if (basic) {
    const user = Buffer.from(basic, 'base64').toString('utf8').split(':')[0];
    if (user) return user;
  }
  return typeof body.writeKey === 'string' && body.writeKey ? body.writeKey : undefined;
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { BatchResult } from '@sightline/shared';
import { parseTimestamp } from '../pipeline/normalize-event.ts';
import {
  compatCountsShape,
  firstHeader,
  ingestMappedItems,
  resolveCompatProject,
} from './compat-ingest.ts';
import { registerCompatScope, type CompatRoutesOptions } from './compat-scope.ts';
import { decodePostHogBody, readPostHogEnvelope } from './posthog-decode.ts';
import { mapPostHogEvent } from './posthog-mapping.ts';

const postHogResultSchema = z.object({
  status: z.literal(1).describe("PostHog's own answer; its libraries read only the status"),
  ...compatCountsShape,
});

const HOW_TO_SEND_KEY =
  'api_key (or token) in the body, or token in each event’s properties as posthog-js sends it';

/** posthog-node posts to /batch/, posthog-js to /e/; /capture/ is PostHog's documented single-event path. */
const POSTHOG_PATHS = ['/batch', '/e', '/capture'];

/**
 * PostHog's capture API (https://posthog.com/docs/api/capture), so posthog-node and posthog-js
 * work with their host set to Sightline. Any content type is read, because posthog-js sends
 * gzip bytes as text/plain and sendBeacon bodies with none.
 */
export async function registerPostHogRoutes(
  app: FastifyInstance,
  options: CompatRoutesOptions,
): Promise<void> {
  await registerCompatScope(
    app,
    { ...options, contentTypes: '*', corsAllowHeaders: 'content-type, content-encoding' },
    (scope) => {
      for (const path of POSTHOG_PATHS) {
        for (const variant of [path, `${path}/`]) {
          scope.options(variant, { schema: { hide: true } }, (_request, reply) =>
            reply.status(204).send(),
          );
          scope.post(
            variant,
            {
              schema: {
                hide: variant.endsWith('/'),
                tags: ['ingest compatibility'],
                summary: `PostHog capture (${path})`,
                description:
                  'PostHog capture API: { api_key, batch } or one event, JSON, gzip (Content-Encoding or ?compression=gzip-js) or form data=<base64>. Events are mapped to Sightline events (docs/sdk.md, Compatibility endpoints) and ingested with every rule of POST /api/v1/batch.',
                response: { 200: postHogResultSchema },
              },
            },
            async (request, reply) => {
              const result = await ingestPostHogRequest(request, options);
              return reply.status(200).send({ status: 1 as const, ...result });
            },
          );
        }
      }
    },
  );
}

async function ingestPostHogRequest(
  request: FastifyRequest,
  options: CompatRoutesOptions,
): Promise<BatchResult> {
  const envelope = readPostHogEnvelope(
    decodePostHogBody(request.body, firstHeader(request.headers['content-type'])),
  );
  const { writeKey, projectId } = await resolveCompatProject(
    options.projects,
    envelope.apiKey,
    HOW_TO_SEND_KEY,
  );
  const sentAtMs = parseTimestamp(envelope.sentAt);
  const referenceMs =
    sentAtMs !== null && Number.isFinite(sentAtMs) ? sentAtMs : options.clock.now();
  return ingestMappedItems({
    service: options.ingest,
    writeKey,
    sentAt: envelope.sentAt,
    items: envelope.events.map((event) =>
      mapPostHogEvent(event, { projectId, requestKey: writeKey, referenceMs }),
    ),
    request,
  });
}

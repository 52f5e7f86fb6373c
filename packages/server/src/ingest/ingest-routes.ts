import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addIngestEdgeHooks, refuseOtherMediaTypes } from './ingest-edge.ts';
import { z } from 'zod';
import { ERR_REQUEST_INVALID, INGEST_LIMITS, SightlineError } from '@sightline/shared';
import type { IngestService } from './pipeline/ingest-service.ts';
import type { RateLimiter } from '../platform/index.ts';

export interface IngestRoutesOptions {
  ingest: IngestService;
  ipLimiter: RateLimiter;
  isShuttingDown: () => boolean;
  /** Counters for /metrics (monitoring's SightlineMetrics). */
  metrics?: {
    recordIngestAccepted(count: number): void;
    recordIngestRejected(reason: string, count?: number): void;
    observeIngestRequest(seconds: number): void;
  };
}

const rejectedItemSchema = z.object({ index: z.number(), code: z.string(), message: z.string() });
const batchResultSchema = z.object({
  accepted: z.number().describe('Events stored by this request'),
  duplicates: z.number().describe('Events whose event_id was already stored'),
  dropped: z.number().describe('Events dropped because the client asked not to be tracked'),
  rejected: z.array(rejectedItemSchema),
});

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers':
    'content-type, content-encoding, x-sightline-key, x-sightline-signature',
  'access-control-max-age': '86400',
};

/**
 * POST /api/v1/batch. Registered in its own plugin scope so its body parsing (raw buffer kept
 * for signatures, gzip, text/plain from sendBeacon) applies to ingest only.
 */
export async function registerIngestRoutes(app: FastifyInstance, options: IngestRoutesOptions) {
  await app.register((scope, _options, registered) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      ['application/json', 'text/plain'],
      { parseAs: 'buffer', bodyLimit: INGEST_LIMITS.maxBodyBytes },
      (request, body: Buffer, done) => {
        (request as FastifyRequest & { rawBody?: Buffer }).rawBody = body;
        try {
          done(null, JSON.parse(body.toString('utf8')));
        } catch (error) {
          done(
            new SightlineError(ERR_REQUEST_INVALID, {
              reason: `invalid JSON: ${(error as Error).message}`,
            }),
            undefined,
          );
        }
      },
    );
    refuseOtherMediaTypes(scope);
    addIngestEdgeHooks(scope, {
      corsHeaders: CORS_HEADERS,
      isShuttingDown: options.isShuttingDown,
      ipLimiter: options.ipLimiter,
    });

    scope.options('/api/v1/batch', { schema: { hide: true } }, (_request, reply) =>
      reply.status(204).send(),
    );
    scope.post(
      '/api/v1/batch',
      {
        schema: {
          tags: ['ingest'],
          summary: 'Send a batch of events',
          description:
            'Write key in X-Sightline-Key or body write_key. JSON or gzip (Content-Encoding: gzip); text/plain accepted for sendBeacon. At most 500 events, 1 MB body, 32 KB per event. Valid items of a mixed batch are stored; rejected ones are listed with index and code. Answered only after the events are durably committed. Server-side senders add X-Sightline-Signature: t=<unix s>,v1=<hex HMAC-SHA256 of "t.body" with the secret key>.',
          security: [{ writeKey: [] }],
          response: { 200: batchResultSchema },
        },
      },
      async (request: FastifyRequest, reply: FastifyReply) => {
        const rawBody =
          (request as FastifyRequest & { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0);
        const started = performance.now();
        const result = await options.ingest.ingest({
          body: request.body,
          rawBody,
          writeKeyHeader: headerValue(request.headers['x-sightline-key']),
          signatureHeader: headerValue(request.headers['x-sightline-signature']),
          ip: request.ip,
          userAgent: headerValue(request.headers['user-agent']),
          dntHeader: request.headers.dnt === '1',
        });
        if (options.metrics) {
          options.metrics.recordIngestAccepted(result.accepted);
          for (const item of result.rejected) options.metrics.recordIngestRejected(item.code);
          options.metrics.observeIngestRequest((performance.now() - started) / 1000);
        }
        return reply.status(200).send(result);
      },
    );
    registered();
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

import { createGunzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import {
  ERR_RATE_LIMITED,
  ERR_REQUEST_UNSUPPORTED_MEDIA,
  ERR_SERVER_SHUTTING_DOWN,
  SightlineError,
} from '@sightline/shared';
import type { RateLimiter } from '../platform/index.ts';

export interface IngestEdgeOptions {
  /** CORS headers added to every answer of the scope (ingest is open to any origin). */
  corsHeaders: Record<string, string>;
  isShuttingDown: () => boolean;
  ipLimiter: RateLimiter;
}

/**
 * The edge rules every event endpoint shares (POST /api/v1/batch and the Segment and PostHog
 * compatibility routes): open CORS; shutdown and the client-IP rate limit before the body is
 * read; Content-Encoding gzip, with the body limit applied after decompression.
 */
export function addIngestEdgeHooks(scope: FastifyInstance, options: IngestEdgeOptions): void {
  scope.addHook('onSend', (_request, reply, payload, done) => {
    void reply.headers(options.corsHeaders);
    done(null, payload);
  });
  scope.addHook('onRequest', (request, _reply, done) => {
    if (request.method === 'OPTIONS') return done();
    if (options.isShuttingDown()) {
      return done(new SightlineError(ERR_SERVER_SHUTTING_DOWN, { retryAfterSec: 5 }));
    }
    const decision = options.ipLimiter.take(request.ip);
    if (!decision.ok) {
      return done(
        new SightlineError(ERR_RATE_LIMITED, {
          scope: 'client IP',
          retryAfterSec: decision.retryAfterSec,
        }),
      );
    }
    return done();
  });
  scope.addHook('preParsing', (request, _reply, payload, done) => {
    const encoding = request.headers['content-encoding'];
    if (!encoding || encoding === 'identity') return done(null, payload);
    if (encoding !== 'gzip') {
      return done(
        new SightlineError(ERR_REQUEST_UNSUPPORTED_MEDIA, {
          type: `Content-Encoding ${encoding}`,
        }),
      );
    }
    // Fastify limits the decompressed length (zip bombs) and compares Content-Length to this.
    const gunzip = createGunzip() as ReturnType<typeof createGunzip> & {
      receivedEncodedLength: number;
    };
    gunzip.receivedEncodedLength = 0;
    payload.on('data', (chunk: Buffer) => {
      gunzip.receivedEncodedLength += chunk.length;
    });
    return done(null, payload.pipe(gunzip));
  });
}

/** Bodies of any other content type are refused with a stable code. */
export function refuseOtherMediaTypes(scope: FastifyInstance): void {
  scope.addContentTypeParser('*', (request, _payload, done) =>
    done(
      new SightlineError(ERR_REQUEST_UNSUPPORTED_MEDIA, {
        type: String(request.headers['content-type']),
      }),
      undefined,
    ),
  );
}

import { createGunzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import {
  ERR_RATE_LIMITED,
  ERR_REQUEST_UNSUPPORTED_MEDIA,
  ERR_SERVER_SHUTTING_DOWN,
  INGEST_LIMITS,
  SightlineError,
} from '@sightline/shared';
import type { Clock, RateLimiter } from '../../platform/index.ts';
import type { ProjectService } from '../../projects/index.ts';
import type { IngestService } from '../pipeline/ingest-service.ts';

export interface CompatRoutesOptions {
  ingest: IngestService;
  projects: Pick<ProjectService, 'resolveWriteKey'>;
  ipLimiter: RateLimiter;
  isShuttingDown: () => boolean;
  clock: Clock;
}

export interface CompatScopeOptions {
  /** Content types whose body is accepted (as raw bytes, decoded by the routes); `*` for any. */
  contentTypes: readonly string[] | '*';
  corsAllowHeaders: string;
}

/**
 * A plugin scope with the edge rules of POST /api/v1/batch (ingest-routes.ts): body limit,
 * Content-Encoding gzip with the limit applied after decompression, shutdown and client-IP
 * rate limit before parsing, open CORS. The body reaches the routes as a Buffer because each
 * tracker encodes it its own way.
 */
export async function registerCompatScope(
  app: FastifyInstance,
  options: CompatRoutesOptions & CompatScopeOptions,
  registerRoutes: (scope: FastifyInstance) => void,
): Promise<void> {
  const corsHeaders = {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': options.corsAllowHeaders,
    'access-control-max-age': '86400',
  };
  await app.register((scope, _options, registered) => {
    scope.removeAllContentTypeParsers();
    const keepBytes = (
      _request: unknown,
      body: Buffer,
      done: (error: Error | null, body?: unknown) => void,
    ) => done(null, body);
    const parserOptions = { parseAs: 'buffer' as const, bodyLimit: INGEST_LIMITS.maxBodyBytes };
    if (options.contentTypes === '*') {
      scope.addContentTypeParser('*', parserOptions, keepBytes);
    } else {
      scope.addContentTypeParser([...options.contentTypes], parserOptions, keepBytes);
      scope.addContentTypeParser('*', (request, _payload, done) =>
        done(
          new SightlineError(ERR_REQUEST_UNSUPPORTED_MEDIA, {
            type: String(request.headers['content-type']),
          }),
          undefined,
        ),
      );
    }
    scope.addHook('onSend', (_request, reply, payload, done) => {
      void reply.headers(corsHeaders);
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
      // As in ingest-routes.ts: Fastify caps the decompressed length (zip bombs) and compares
      // Content-Length with the encoded length counted here.
      const gunzip = createGunzip() as ReturnType<typeof createGunzip> & {
        receivedEncodedLength: number;
      };
      gunzip.receivedEncodedLength = 0;
      payload.on('data', (chunk: Buffer) => {
        gunzip.receivedEncodedLength += chunk.length;
      });
      return done(null, payload.pipe(gunzip));
    });
    registerRoutes(scope);
    registered();
  });
}

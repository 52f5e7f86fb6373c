import type { FastifyInstance } from 'fastify';
import { INGEST_LIMITS } from '@sightline/shared';
import type { Clock, RateLimiter } from '../../platform/index.ts';
import type { ProjectService } from '../../projects/index.ts';
import type { IngestService } from '../pipeline/ingest-service.ts';
import { addIngestEdgeHooks, refuseOtherMediaTypes } from '../ingest-edge.ts';

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
 * A plugin scope with the edge rules of POST /api/v1/batch (ingest-edge.ts) and its body
 * limit. The body reaches the routes as a Buffer because each
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
      refuseOtherMediaTypes(scope);
    }
    addIngestEdgeHooks(scope, {
      corsHeaders,
      isShuttingDown: options.isShuttingDown,
      ipLimiter: options.ipLimiter,
    });
    registerRoutes(scope);
    registered();
  });
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ERR_INGEST_KEY_INVALID, SightlineError, sdkConfigSchema } from '@sightline/shared';
import { z } from 'zod';
import { sha256Hex } from '../platform/index.ts';
import type { ProjectService } from './project-service.ts';

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, OPTIONS',
  'access-control-allow-headers': 'if-none-match',
  'access-control-expose-headers': 'etag',
  'access-control-max-age': '86400',
};

/**
 * The remote configuration the SDKs fetch with their write key (public, like ingest): kill
 * switch, telemetry sampling, disabled fields, event allowlist, batch size. Answers carry an
 * ETag; a matching If-None-Match gets 304 so an unchanged config costs no body.
 */
export function registerSdkConfigRoutes(
  app: FastifyInstance,
  deps: { projects: ProjectService },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.options('/api/v1/sdk-config', { schema: { hide: true } }, (_request, reply) =>
    reply.headers(CORS).status(204).send(),
  );
  r.get(
    '/api/v1/sdk-config',
    {
      schema: {
        tags: ['ingest'],
        summary: 'Remote SDK configuration of the project a write key belongs to',
        querystring: z.object({ key: z.string().min(1).max(200) }),
        response: { 200: sdkConfigSchema, 304: z.null().describe('Not modified') },
      },
    },
    async (request, reply) => {
      void reply.headers(CORS);
      const resolved = await deps.projects.resolveWriteKey(request.query.key);
      if (!resolved) throw new SightlineError(ERR_INGEST_KEY_INVALID);
      const config = resolved.project.sdkConfig;
      const etag = `"${sha256Hex(JSON.stringify(config)).slice(0, 32)}"`;
      void reply.header('etag', etag).header('cache-control', 'public, max-age=60');
      if (request.headers['if-none-match'] === etag) return reply.status(304).send(null);
      return config;
    },
  );
}

import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** OpenAPI generated from the route schemas; served as /openapi.json with a docs UI at /docs. */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Sightline API',
        version,
        description:
          'Ingest, query and administration API of Sightline. Errors are `{ "error": { "code", "message", "details"? } }` with the codes of docs/errors.md.',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'API token from `sightline token create`',
          },
          session: { type: 'apiKey', in: 'cookie', name: 'sl_session' },
          writeKey: { type: 'apiKey', in: 'header', name: 'X-Sightline-Key' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
}

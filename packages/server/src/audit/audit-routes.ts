import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditLog } from './audit-log.ts';

const entrySchema = z.object({
  id: z.number(),
  at: z.number().describe('epoch ms'),
  actor: z.string(),
  action: z.string(),
  projectId: z.string().nullable(),
  target: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

export function registerAuditRoutes(app: FastifyInstance, deps: { audit: AuditLog }): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/audit',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['admin'],
        summary: 'Audit entries, newest first',
        security: [{ bearer: [] }, { session: [] }],
        querystring: z.object({
          project: z.string().max(100).optional(),
          action: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(1_000).default(100),
          before: z.coerce.number().int().positive().optional().describe('id to page before'),
        }),
        response: { 200: z.object({ entries: z.array(entrySchema) }) },
      },
    },
    async (request) => ({
      entries: await deps.audit.list({
        limit: request.query.limit,
        ...(request.query.project ? { projectId: request.query.project } : {}),
        ...(request.query.action ? { action: request.query.action } : {}),
        ...(request.query.before ? { beforeId: request.query.before } : {}),
      }),
    }),
  );
}

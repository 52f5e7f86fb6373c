import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ERR_PROJECT_NOT_FOUND, INGEST_LIMITS, SightlineError } from '@sightline/shared';
import { z } from 'zod';
import { describeActor, getPrincipal, SECURED_ROUTE } from '../auth/index.ts';
import { deleteUserData } from './delete-user-data.ts';
import { runRetention, type RetentionDeps } from './run-retention.ts';

const projectParams = z.object({ projectId: z.string().min(1).max(100) });
const userParams = projectParams.extend({
  userId: z.string().min(1).max(INGEST_LIMITS.maxShortStringChars),
});

const retentionResultSchema = z.object({
  projectId: z.string(),
  retentionDays: z.number(),
  cutoff: z.number().describe('epoch ms; events with an earlier event_time were deleted'),
  deletedEvents: z.number(),
});

const deletionResultSchema = z.object({
  projectId: z.string(),
  userId: z.string(),
  deletedEvents: z.number(),
  deletedIdentities: z.number(),
  anonymisedOrders: z.number(),
  anonymisedRefunds: z.number(),
});

/** Retention runs and deletion requests (seed 001 §3.1, §5). */
export function registerRetentionRoutes(app: FastifyInstance, deps: RetentionDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/v1/projects/:projectId/retention/run',
    {
      config: { permission: 'retention:run' },
      schema: {
        tags: ['retention'],
        summary: "Delete the project's raw events older than its retention now",
        security: SECURED_ROUTE,
        params: projectParams,
        response: { 200: retentionResultSchema },
      },
    },
    async (request) => {
      const { projectId } = request.params;
      const [result] = await runRetention(deps, {
        projectId,
        actor: describeActor(getPrincipal(request)),
      });
      // Unreachable: runRetention throws for an unknown project and answers one result otherwise.
      if (!result) throw new SightlineError(ERR_PROJECT_NOT_FOUND, { project: projectId });
      return result;
    },
  );

  r.delete(
    '/api/v1/projects/:projectId/users/:userId/data',
    {
      config: { permission: 'data:delete' },
      schema: {
        tags: ['retention'],
        summary: "Delete a user's events and identity links; anonymise their orders and refunds",
        security: SECURED_ROUTE,
        params: userParams,
        response: { 200: deletionResultSchema },
      },
    },
    (request) =>
      deleteUserData(deps, {
        projectId: request.params.projectId,
        userId: request.params.userId,
        actor: describeActor(getPrincipal(request)),
      }),
  );
}

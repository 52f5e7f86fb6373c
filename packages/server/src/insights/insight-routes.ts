import { ERR_INSIGHT_WATCHED, SightlineError } from '@sightline/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditLog } from '../audit/index.ts';
import { describeActor, getPrincipal, SECURED_ROUTE } from '../auth/index.ts';
import type { Clock } from '../platform/index.ts';
import type { ProjectService } from '../projects/index.ts';
import type { MetaStore } from '../store/index.ts';
import { createDashboardService } from './dashboard-service.ts';
import {
  dashboardInputSchema,
  dashboardPatchSchema,
  dashboardSchema,
  insightInputSchema,
  insightPatchSchema,
  insightSchema,
} from './insight-schemas.ts';
import { createInsightService, type Caller } from './insight-service.ts';

export interface InsightRoutesDeps {
  metaStore: Pick<MetaStore, 'db'>;
  audit: AuditLog;
  clock: Clock;
  projects: Pick<ProjectService, 'get'>;
  /**
   * Names of what watches an insight (alert rules): deleting it or changing its kind would leave
   * them watching nothing, so both are refused while any does. Given by the app, which knows the
   * alerting domain (it reads insights, so insights cannot import it).
   */
  insightWatchers?: (projectId: string, insightId: string) => Promise<readonly string[]>;
}

const projectParams = z.object({ projectId: z.string().min(1).max(100) });
const insightParams = projectParams.extend({ insightId: z.string().min(1).max(64) });
const dashboardParams = projectParams.extend({ dashboardId: z.string().min(1).max(64) });

/** Reading needs data:read; saving, changing and deleting data:export (as saved segments). */
const READ = { permission: 'data:read' } as const;
const WRITE = { permission: 'data:export' } as const;

function callerOf(request: FastifyRequest): Caller {
  const principal = getPrincipal(request);
  return { actor: describeActor(principal), admin: principal.role === 'admin' };
}

/**
 * Saved insights and user-composed dashboards of a project: CRUD under
 * /api/v1/projects/:projectId/insights and …/dashboards. Owners (or admins) change their own;
 * shared dashboards are visible to everyone on the project. Every change is audited.
 */
export function registerInsightRoutes(app: FastifyInstance, deps: InsightRoutesDeps): void {
  const serviceDeps = { ...deps, db: deps.metaStore.db };
  const insights = createInsightService(serviceDeps);
  const dashboards = createDashboardService(serviceDeps);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const insightBase = '/api/v1/projects/:projectId/insights';
  const dashboardBase = '/api/v1/projects/:projectId/dashboards';
  const insightTags = { tags: ['insights'], security: SECURED_ROUTE };
  const editNote =
    'Only its owner or an admin may; others get ERR_INSIGHT_NOT_OWNER. Needs data:export. Audited.';
  const refuseIfWatched = async (projectId: string, insightId: string) => {
    const rules = (await deps.insightWatchers?.(projectId, insightId)) ?? [];
    if (rules.length > 0)
      throw new SightlineError(ERR_INSIGHT_WATCHED, { insightId, rules: rules.join(', ') });
  };

  r.get(
    insightBase,
    {
      config: READ,
      schema: {
        ...insightTags,
        summary: 'Saved insights of a project, most recently changed first',
        params: projectParams,
        response: { 200: z.object({ insights: z.array(insightSchema) }) },
      },
    },
    async (request) => ({
      insights: await insights.list(request.params.projectId, callerOf(request)),
    }),
  );

  r.post(
    insightBase,
    {
      config: WRITE,
      schema: {
        ...insightTags,
        summary: 'Save an insight: a report request with the filter bar it was built under',
        description:
          'kind is trends, funnel, retention or paths; params must parse as that report’s ' +
          'request (ERR_INSIGHT_KIND_UNKNOWN, ERR_INSIGHT_PARAMS_INVALID otherwise). Nothing is ' +
          'run. The caller becomes its owner. Needs data:export. Audited.',
        params: projectParams,
        body: insightInputSchema,
        response: { 201: insightSchema },
      },
    },
    async (request, reply) => {
      const created = await insights.create(
        request.params.projectId,
        request.body,
        callerOf(request),
      );
      return reply.status(201).send(created);
    },
  );

  r.get(
    `${insightBase}/:insightId`,
    {
      config: READ,
      schema: {
        ...insightTags,
        summary: 'One saved insight',
        params: insightParams,
        response: { 200: insightSchema },
      },
    },
    (request) =>
      insights.get(request.params.projectId, request.params.insightId, callerOf(request)),
  );

  r.patch(
    `${insightBase}/:insightId`,
    {
      config: WRITE,
      schema: {
        ...insightTags,
        summary: 'Rename an insight or change its report request or filters',
        description: `A new kind or params are checked as on creation; a new kind is refused with ERR_INSIGHT_WATCHED while alert rules watch it. ${editNote}`,
        params: insightParams,
        body: insightPatchSchema,
        response: { 200: insightSchema },
      },
    },
    async (request) => {
      const { projectId, insightId } = request.params;
      if (request.body.kind !== undefined) {
        const current = await insights.get(projectId, insightId, callerOf(request));
        if (request.body.kind !== current.kind) await refuseIfWatched(projectId, insightId);
      }
      return insights.update(projectId, insightId, request.body, callerOf(request));
    },
  );

  r.delete(
    `${insightBase}/:insightId`,
    {
      config: WRITE,
      schema: {
        ...insightTags,
        summary: 'Delete an insight and its tiles on every dashboard of the project',
        description: `${editNote} Refused with ERR_INSIGHT_WATCHED while alert rules watch it.`,
        params: insightParams,
        response: { 204: z.null().describe('deleted') },
      },
    },
    async (request, reply) => {
      const { projectId, insightId } = request.params;
      await refuseIfWatched(projectId, insightId);
      await insights.remove(projectId, insightId, callerOf(request));
      return reply.status(204).send(null);
    },
  );

  r.get(
    dashboardBase,
    {
      config: READ,
      schema: {
        ...insightTags,
        summary: 'Dashboards you can see: your own, shared ones (and every one for admins)',
        params: projectParams,
        response: { 200: z.object({ dashboards: z.array(dashboardSchema) }) },
      },
    },
    async (request) => ({
      dashboards: await dashboards.list(request.params.projectId, callerOf(request)),
    }),
  );

  r.post(
    dashboardBase,
    {
      config: WRITE,
      schema: {
        ...insightTags,
        summary: 'Create a dashboard of saved insights',
        description:
          'Tiles name insights saved in the same project (ERR_INSIGHT_TILE_INVALID otherwise). ' +
          'The caller becomes its owner. Needs data:export. Audited.',
        params: projectParams,
        body: dashboardInputSchema,
        response: { 201: dashboardSchema },
      },
    },
    async (request, reply) => {
      const created = await dashboards.create(
        request.params.projectId,
        request.body,
        callerOf(request),
      );
      return reply.status(201).send(created);
    },
  );

  r.get(
    `${dashboardBase}/:dashboardId`,
    {
      config: READ,
      schema: {
        ...insightTags,
        summary: 'One dashboard with the insights of its tiles',
        description:
          'A dashboard that is not shared is found only by its owner and admins ' +
          '(ERR_INSIGHT_DASHBOARD_NOT_FOUND for others).',
        params: dashboardParams,
        response: { 200: dashboardSchema.extend({ insights: z.array(insightSchema) }) },
      },
    },
    (request) =>
      dashboards.get(request.params.projectId, request.params.dashboardId, callerOf(request)),
  );

  r.patch(
    `${dashboardBase}/:dashboardId`,
    {
      config: WRITE,
      schema: {
        ...insightTags,
        summary: 'Rename a dashboard, replace its tiles or share it',
        description: `layout replaces the whole list of tiles. ${editNote}`,
        params: dashboardParams,
        body: dashboardPatchSchema,
        response: { 200: dashboardSchema },
      },
    },
    (request) =>
      dashboards.update(
        request.params.projectId,
        request.params.dashboardId,
        request.body,
        callerOf(request),
      ),
  );

  r.delete(
    `${dashboardBase}/:dashboardId`,
    {
      config: WRITE,
      schema: {
        ...insightTags,
        summary: 'Delete a dashboard (its insights stay saved)',
        description: editNote,
        params: dashboardParams,
        response: { 204: z.null().describe('deleted') },
      },
    },
    async (request, reply) => {
      const { projectId, dashboardId } = request.params;
      await dashboards.remove(projectId, dashboardId, callerOf(request));
      return reply.status(204).send(null);
    },
  );
}

import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditLog } from '../../../audit/index.ts';
import { describeActor, getPrincipal, getRowScope, SECURED_ROUTE } from '../../../auth/index.ts';
import type { Clock } from '../../../platform/index.ts';
import type { ProjectService } from '../../../projects/index.ts';
import type { EventStore, MetaStore } from '../../../store/index.ts';
import { toCsv } from '../../http/to-csv.ts';
import {
  segmentDefinitionSchema,
  segmentMatchSchema,
  segmentRuleSchema,
} from './segment-definition.ts';
import { createSegmentService } from './segment-service.ts';

export interface SegmentRoutesDeps {
  metaStore: Pick<MetaStore, 'db'>;
  eventStore: EventStore;
  audit: AuditLog;
  clock: Clock;
  projects: Pick<ProjectService, 'get'>;
}

const projectParams = z.object({ projectId: z.string().min(1).max(100) });
const segmentParams = projectParams.extend({ segmentId: z.string().min(1).max(64) });

const segmentSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  match: z.enum(['all', 'any']),
  rules: z.array(segmentRuleSchema),
  createdBy: z.string(),
  createdAt: z.number().describe('epoch ms'),
  updatedAt: z.number().describe('epoch ms'),
  refreshedAt: z.number().nullable().describe('epoch ms of the last member computation'),
  size: z.number().nullable().describe('members at the last refresh'),
});

const patchSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(2_000).nullable().optional(),
    match: z.enum(['all', 'any']).optional(),
    rules: segmentMatchSchema.shape.rules.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'nothing to change' });

const CSV_HEADER = toCsv({ columns: ['person_id'], rows: [] });

/** Person ids as CSV text without the BOM and header (pages after the first). */
function toCsvRows(ids: readonly string[]): string {
  return toCsv({ columns: ['person_id'], rows: ids.map((id) => [id]) }).slice(CSV_HEADER.length);
}

async function* streamMembersCsv(pages: AsyncIterable<string[]>): AsyncGenerator<string> {
  yield CSV_HEADER;
  for await (const ids of pages) yield toCsvRows(ids);
}

/**
 * Saved segments: CRUD, a size preview of an unsaved definition, refresh, and the member list as
 * CSV. Reading needs data:read; changing a segment or exporting its members needs data:export.
 */
export function registerSegmentRoutes(app: FastifyInstance, deps: SegmentRoutesDeps): void {
  const segments = createSegmentService({ ...deps, db: deps.metaStore.db });
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/v1/projects/:projectId/segments';
  const common = { tags: ['segments'], security: SECURED_ROUTE };
  const actorOf = (request: Parameters<typeof getPrincipal>[0]) =>
    describeActor(getPrincipal(request));
  // The caller's row-level scope on the path's project: previews and member computations see
  // only their rows, and member exports name only people with an event in their scope.
  const scopeOf = (
    request: Parameters<typeof getPrincipal>[0] & { params: { projectId: string } },
  ) => getRowScope(getPrincipal(request), request.params.projectId);

  r.get(
    base,
    {
      config: { permission: 'data:read' },
      schema: {
        ...common,
        summary: 'Saved segments of a project',
        params: projectParams,
        response: { 200: z.object({ segments: z.array(segmentSchema) }) },
      },
    },
    async (request) => ({ segments: await segments.list(request.params.projectId) }),
  );

  r.post(
    base,
    {
      config: { permission: 'data:export' },
      schema: {
        ...common,
        summary: 'Save a rule-based segment and compute its members',
        description:
          'Rules are property rules (the latest value of a dimension or property) and behaviour ' +
          'rules (did an event at least / at most / exactly N times, or not at all, in the last ' +
          'D days). People are identity-merged. Members are computed at once; refresh to update.',
        params: projectParams,
        body: segmentDefinitionSchema,
        response: { 201: segmentSchema },
      },
    },
    async (request, reply) => {
      const { projectId } = request.params;
      const created = await segments.create(
        projectId,
        request.body,
        actorOf(request),
        scopeOf(request),
      );
      return reply.status(201).send(created);
    },
  );

  r.post(
    `${base}/preview`,
    {
      config: { permission: 'data:read' },
      schema: {
        ...common,
        summary: 'How many people an unsaved definition matches now',
        params: projectParams,
        body: segmentMatchSchema,
        response: { 200: z.object({ size: z.number(), at: z.number().describe('epoch ms') }) },
      },
    },
    (request) => segments.preview(request.params.projectId, request.body, scopeOf(request)),
  );

  r.get(
    `${base}/:segmentId`,
    {
      config: { permission: 'data:read' },
      schema: {
        ...common,
        summary: 'One segment',
        params: segmentParams,
        response: { 200: segmentSchema },
      },
    },
    (request) => segments.get(request.params.projectId, request.params.segmentId),
  );

  r.patch(
    `${base}/:segmentId`,
    {
      config: { permission: 'data:export' },
      schema: {
        ...common,
        summary: 'Rename, describe or change the rules of a segment',
        description: 'Changing match or rules recomputes the members at once.',
        params: segmentParams,
        body: patchSchema,
        response: { 200: segmentSchema },
      },
    },
    (request) =>
      segments.update(
        request.params.projectId,
        request.params.segmentId,
        request.body,
        actorOf(request),
        scopeOf(request),
      ),
  );

  r.delete(
    `${base}/:segmentId`,
    {
      config: { permission: 'data:export' },
      schema: {
        ...common,
        summary: 'Delete a segment and its stored members',
        params: segmentParams,
        response: { 204: z.null().describe('deleted') },
      },
    },
    async (request, reply) => {
      const { projectId, segmentId } = request.params;
      await segments.remove(projectId, segmentId, actorOf(request));
      return reply.status(204).send(null);
    },
  );

  r.post(
    `${base}/:segmentId/refresh`,
    {
      config: { permission: 'data:export' },
      schema: {
        ...common,
        summary: 'Recompute the members of a segment as of now',
        description: "Members are computed within the caller's row-level scope, if they have one.",
        params: segmentParams,
        response: { 200: segmentSchema },
      },
    },
    (request) =>
      segments.refresh(
        request.params.projectId,
        request.params.segmentId,
        actorOf(request),
        scopeOf(request),
      ),
  );

  r.get(
    `${base}/:segmentId/members.csv`,
    {
      config: { permission: 'data:export' },
      schema: {
        ...common,
        summary: 'The person ids of a segment as of its last refresh (CSV). Audited.',
        description:
          'A caller with a row-level scope gets only the members with an event in that scope.',
        params: segmentParams,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const { projectId, segmentId } = request.params;
      const rowScope = scopeOf(request);
      const { segment, pages } = await segments.members(projectId, segmentId, rowScope);
      await deps.audit.record({
        actor: actorOf(request),
        action: 'data.export',
        projectId,
        target: `segment:${segmentId}`,
        details: {
          format: 'csv',
          rows: segment.size ?? 0,
          refreshedAt: segment.refreshedAt,
          ...(rowScope.length > 0 ? { rowScope } : {}),
        },
      });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="segment-${segmentId}.csv"`)
        .send(Readable.from(streamMembersCsv(pages)));
    },
  );
}

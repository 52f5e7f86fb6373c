import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sdkConfigPatchSchema, sdkConfigSchema } from '@sightline/shared';
import { describeActor, getPrincipal, SECURED_ROUTE } from '../auth/index.ts';
import type { SightlineConfig } from '../config/index.ts';

import type { ProjectService } from './project-service.ts';

const projectSchema = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  retentionDays: z.number(),
  dntMode: z.enum(['drop', 'anonymize']),
  fieldDenylist: z.array(z.string()),
  sdkConfig: sdkConfigSchema,
  createdAt: z.number(),
});
const projectParams = z.object({ projectId: z.string().min(1).max(100) });
const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone');

export interface ProjectRoutesDeps {
  projects: ProjectService;
  config: SightlineConfig;
}

export function registerProjectRoutes(app: FastifyInstance, deps: ProjectRoutesDeps): void {
  const { projects } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/projects',
    {
      config: { permission: 'projects:read' },
      schema: {
        tags: ['projects'],
        summary: 'Projects you can access',
        security: SECURED_ROUTE,
        response: { 200: z.object({ projects: z.array(projectSchema) }) },
      },
    },
    async (request) => {
      const principal = getPrincipal(request);
      return {
        projects: await projects.list(
          principal.projects === 'all' ? undefined : [...principal.projects],
        ),
      };
    },
  );

  r.post(
    '/api/v1/projects',
    {
      config: { permission: 'projects:manage' },
      schema: {
        tags: ['projects'],
        summary: 'Create a project with its write and secret keys (shown once)',
        security: SECURED_ROUTE,
        body: z.object({
          name: z.string().min(1).max(200),
          id: z
            .string()
            .regex(/^[a-z0-9][a-z0-9_-]{1,62}$/)
            .optional(),
          timeZone: timeZone.optional(),
          retentionDays: z.number().int().min(1).max(3_650).optional(),
        }),
        response: {
          201: z.object({ project: projectSchema, writeKey: z.string(), secretKey: z.string() }),
        },
      },
    },
    async (request, reply) => {
      const created = await projects.create(
        {
          name: request.body.name,
          ...(request.body.id ? { id: request.body.id } : {}),
          timeZone: request.body.timeZone ?? deps.config.timeZone,
          retentionDays: request.body.retentionDays ?? deps.config.retentionDays,
        },
        describeActor(getPrincipal(request)),
      );
      return reply.status(201).send(created);
    },
  );

  r.get(
    '/api/v1/projects/:projectId',
    {
      config: { permission: 'projects:read' },
      schema: {
        tags: ['projects'],
        summary: 'One project',
        security: SECURED_ROUTE,
        params: projectParams,
        response: { 200: projectSchema },
      },
    },
    (request) => projects.get(request.params.projectId),
  );

  r.patch(
    '/api/v1/projects/:projectId',
    {
      config: { permission: 'projects:manage' },
      schema: {
        tags: ['projects'],
        summary: 'Change project settings (name, time zone, retention, privacy, SDK config)',
        security: SECURED_ROUTE,
        params: projectParams,
        body: z.object({
          name: z.string().min(1).max(200).optional(),
          timeZone: timeZone.optional(),
          retentionDays: z.number().int().min(1).max(3_650).optional(),
          dntMode: z.enum(['drop', 'anonymize']).optional(),
          fieldDenylist: z.array(z.string().min(1).max(128)).max(200).optional(),
          sdkConfig: sdkConfigPatchSchema.optional(),
        }),
        response: { 200: projectSchema },
      },
    },
    (request) =>
      projects.update(request.params.projectId, request.body, describeActor(getPrincipal(request))),
  );

  r.get(
    '/api/v1/projects/:projectId/keys',
    {
      config: { permission: 'keys:read' },
      schema: {
        tags: ['projects'],
        summary: 'Valid keys (write keys whole, secret keys by prefix)',
        security: SECURED_ROUTE,
        params: projectParams,
        response: {
          200: z.object({
            keys: z.array(
              z.object({
                id: z.string(),
                kind: z.enum(['write', 'secret']),
                display: z.string(),
                createdAt: z.number(),
                expiresAt: z.number().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ keys: await projects.listKeys(request.params.projectId) }),
  );

  r.post(
    '/api/v1/projects/:projectId/keys/rotate',
    {
      config: { permission: 'keys:manage' },
      schema: {
        tags: ['projects'],
        summary: 'Issue a new key; the old one keeps working for graceHours (default 24)',
        security: SECURED_ROUTE,
        params: projectParams,
        body: z.object({
          kind: z.enum(['write', 'secret']),
          graceHours: z.number().min(0).max(720).optional(),
        }),
        response: { 200: z.object({ kind: z.enum(['write', 'secret']), key: z.string() }) },
      },
    },
    async (request) => ({
      kind: request.body.kind,
      key: await projects.rotateKey(
        request.params.projectId,
        request.body.kind,
        request.body.graceHours,
        describeActor(getPrincipal(request)),
      ),
    }),
  );
}

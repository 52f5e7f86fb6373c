import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { describeActor, getPrincipal, SECURED_ROUTE } from '../auth/index.ts';
import { findingSchema, listFindingsQuerySchema, reviewInputSchema } from './anomaly-schema.ts';
import type { Anomalies } from './create-anomalies.ts';

export interface AnomalyRoutesDeps {
  anomalies: Anomalies;
}

const MAX_SCAN_WINDOW_MS = 92 * 86_400_000;
const projectParams = z.object({ projectId: z.string().min(1).max(100) });
const findingParams = projectParams.extend({ findingId: z.string().min(1).max(64) });
const scanBodySchema = z
  .object({
    from: z.number().int().min(0).optional().describe('Epoch ms; default now − 2 hours'),
    to: z.number().int().min(0).optional().describe('Epoch ms; default now'),
  })
  .refine(
    (w) =>
      w.from === undefined ||
      w.to === undefined ||
      (w.from < w.to && w.to - w.from <= MAX_SCAN_WINDOW_MS),
    { message: 'from must be before to, at most 92 days apart' },
  )
  .default({});

const READ = { permission: 'data:read', wholeProject: true } as const;
const RESPOND = { permission: 'alerts:respond', wholeProject: true } as const;
const MANAGE = { permission: 'alerts:manage', wholeProject: true } as const;

/**
 * The review queue of business anomalies under /api/v1/projects/:projectId/anomalies: list and
 * read findings (data:read), review them (alerts:respond, audited), and scan now (alerts:manage).
 */
export function registerAnomalyRoutes(app: FastifyInstance, deps: AnomalyRoutesDeps): void {
  const { anomalies } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/v1/projects/:projectId/anomalies';
  const tags = { tags: ['anomalies'], security: SECURED_ROUTE };

  r.get(
    base,
    {
      config: READ,
      schema: {
        ...tags,
        summary: 'Findings of the anomaly detectors, newest first',
        description: 'Filter by review state and kind. Needs data:read.',
        params: projectParams,
        querystring: listFindingsQuerySchema,
        response: { 200: z.object({ findings: z.array(findingSchema) }) },
      },
    },
    async (request) => ({
      findings: await anomalies.list(request.params.projectId, request.query),
    }),
  );

  r.get(
    `${base}/:findingId`,
    {
      config: READ,
      schema: {
        ...tags,
        summary: 'One finding with its evidence',
        params: findingParams,
        response: { 200: findingSchema },
      },
    },
    (request) => anomalies.get(request.params.projectId, request.params.findingId),
  );

  r.post(
    `${base}/:findingId/review`,
    {
      config: RESPOND,
      schema: {
        ...tags,
        summary: 'Confirm or dismiss a finding (or reopen it), with a note',
        description:
          'Records who and when on the finding and in the audit log. Needs alerts:respond.',
        params: findingParams,
        body: reviewInputSchema,
        response: { 200: findingSchema },
      },
    },
    (request) =>
      anomalies.review(
        request.params.projectId,
        request.params.findingId,
        request.body,
        describeActor(getPrincipal(request)),
      ),
  );

  r.post(
    `${base}/scan`,
    {
      config: MANAGE,
      schema: {
        ...tags,
        summary: 'Run every detector on the project now',
        description:
          'Over the last 2 hours unless from/to are given (at most 92 days). Returns the findings ' +
          'stored anew; known ones only get their evidence refreshed. Needs alerts:manage.',
        params: projectParams,
        body: scanBodySchema,
        response: { 200: z.object({ findings: z.array(findingSchema) }) },
      },
    },
    async (request) => {
      const { from, to } = request.body;
      const window = {
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
      };
      return { findings: await anomalies.scan(request.params.projectId, window) };
    },
  );
}

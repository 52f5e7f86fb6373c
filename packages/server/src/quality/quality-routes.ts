import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERR_QUERY_DIMENSION_UNSUPPORTED, SightlineError } from '@sightline/shared';
import { getPrincipal, getRowScope, SECURED_ROUTE } from '../auth/index.ts';
import type { Clock } from '../platform/index.ts';
import type { ProjectService } from '../projects/index.ts';
import type { EventStore } from '../store/index.ts';
import { getIngestQuality } from './get-ingest-quality.ts';
import { resolveQualityRange } from './resolve-quality-range.ts';

export interface QualityRoutesDeps {
  eventStore: EventStore;
  projects: ProjectService;
  clock: Clock;
}

const byCode = z.record(z.string(), z.number()).describe('events per error code');
const countsShape = {
  accepted: z.number(),
  duplicates: z.number(),
  dropped: z.number(),
  rejected: z.number(),
  rejectedByCode: byCode,
  droppedByCode: byCode,
};
const share = z.number().nullable().describe('0..1; null without events');
const ms = z.number().nullable();

const qualitySchema = z.object({
  projectId: z.string(),
  from: z.string().describe('ISO-8601, start of a UTC hour'),
  to: z.string().describe('ISO-8601, exclusive'),
  totals: z.object({ ...countsShape, duplicateRate: share, rejectRate: share }),
  delayMs: z.object({ p50: ms, p95: ms, p99: ms, max: ms }),
  timeliness: z.object({ within5m: share, within15m: share, within24h: share }),
  hours: z.array(z.object({ hour: z.string(), ...countsShape, delayP50Ms: ms, delayP95Ms: ms })),
});

const instant = z.string().max(40).describe('ISO-8601 with an offset, or epoch ms');

/** GET /api/v1/projects/:projectId/quality: ingest data quality (seed 001 §2.3). */
export function registerQualityRoutes(app: FastifyInstance, deps: QualityRoutesDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/projects/:projectId/quality',
    {
      config: { permission: 'data:read' },
      schema: {
        tags: ['quality'],
        summary: 'Duplicates, rejects and delivery delays of ingested events, per hour',
        description:
          'Counts per UTC hour of receipt; the range widens to whole hours, defaults to the last ' +
          '24 hours and may span at most 90 days. Delay quantiles are nearest-rank (quantile_disc).',
        security: SECURED_ROUTE,
        params: z.object({ projectId: z.string().min(1).max(100) }),
        querystring: z.object({ from: instant.optional(), to: instant.optional() }),
        response: { 200: qualitySchema },
      },
    },
    async (request) => {
      const { projectId } = request.params;
      // Ingest counts carry no dimension: a caller with a row-level scope would see the whole
      // project's traffic, so they are refused (as a report that cannot apply the scope is).
      const [scoped] = getRowScope(getPrincipal(request), projectId);
      if (scoped)
        throw new SightlineError(ERR_QUERY_DIMENSION_UNSUPPORTED, {
          dimension: scoped.dimension ?? `property ${scoped.property ?? ''}`,
          subject: 'ingest quality (your row-level scope needs it)',
        });
      const range = resolveQualityRange(request.query, deps.clock.now());
      await deps.projects.get(projectId);
      return getIngestQuality(deps, { projectId, ...range });
    },
  );
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { describeActor, getPrincipal, getRowScope, SECURED_ROUTE } from '../auth/index.ts';
import {
  campaignCostInputSchema,
  createCampaignCostService,
  localDaySchema,
  MAX_COST_ROWS,
  MAX_LISTED_COSTS,
  type CampaignCostServiceDeps,
} from './campaign-cost-service.ts';

const projectParams = z.object({ projectId: z.string().min(1).max(100) });
const path = '/api/v1/projects/:projectId/campaign-costs';

const costSchema = z.object({
  day: z.string(),
  channel: z.string(),
  campaign: z.string(),
  cost: z.number().describe('minor units'),
  currency: z.string(),
  updatedAt: z.number().describe('epoch ms'),
});

/**
 * PUT, GET and DELETE /api/v1/projects/:projectId/campaign-costs: the spend CAC and campaign
 * ROI divide by. Writing needs data:import (like imports); reading data:read.
 */
export function registerCampaignCostRoutes(
  app: FastifyInstance,
  deps: CampaignCostServiceDeps,
): void {
  const costs = createCampaignCostService(deps);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const common = { tags: ['campaigns'], security: SECURED_ROUTE };

  r.put(
    path,
    {
      config: { permission: 'data:import' },
      schema: {
        ...common,
        summary: 'Enter channel and campaign spend per day (upsert)',
        description:
          `Up to ${MAX_COST_ROWS} rows. Each row is keyed by day, channel and campaign ('' for ` +
          'spend of a whole channel); sending a key again replaces its cost. Cost is integer ' +
          'minor units. One transaction: all rows are stored or none. Audited.',
        params: projectParams,
        body: z.object({ costs: z.array(campaignCostInputSchema).min(1).max(MAX_COST_ROWS) }),
        response: { 200: z.object({ upserted: z.number() }) },
      },
    },
    (request) =>
      costs.upsert(
        request.params.projectId,
        request.body.costs,
        describeActor(getPrincipal(request)),
      ),
  );

  r.get(
    path,
    {
      config: { permission: 'data:read' },
      schema: {
        ...common,
        summary: 'Entered spend by day, channel and campaign',
        description: `Days are inclusive; the default is the last 30 days. At most ${MAX_LISTED_COSTS} rows.`,
        params: projectParams,
        querystring: z.object({
          from: localDaySchema.optional(),
          to: localDaySchema.optional(),
          channel: z.string().max(100).optional(),
          campaign: z.string().max(200).optional(),
        }),
        response: {
          200: z.object({
            from: z.string(),
            to: z.string(),
            costs: z.array(costSchema),
            truncated: z.boolean(),
          }),
        },
      },
    },
    (request) =>
      costs.list(
        request.params.projectId,
        request.query,
        getRowScope(getPrincipal(request), request.params.projectId),
      ),
  );

  r.delete(
    path,
    {
      config: { permission: 'data:import' },
      schema: {
        ...common,
        summary: 'Delete the spend of one day, channel and campaign',
        params: projectParams,
        querystring: z.object({
          day: localDaySchema,
          channel: z.string().min(1).max(100),
          campaign: z.string().max(200).default(''),
        }),
        response: { 200: z.object({ deleted: z.number() }) },
      },
    },
    (request) =>
      costs.remove(request.params.projectId, request.query, describeActor(getPrincipal(request))),
  );
}

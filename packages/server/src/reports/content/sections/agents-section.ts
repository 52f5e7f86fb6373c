import { z } from 'zod';
import type { ReportSection } from '../../report-document.ts';
import type { SectionContext } from '../content-types.ts';
import { formatValue } from '../format-value.ts';
import { toPeriodRequest } from '../period-request.ts';

export const TOP_AGENTS = 10;

const agentLeaderboardResultSchema = z.object({
  agentCount: z.number(),
  totals: z.object({ gmv: z.number(), orders: z.number(), commission: z.number() }),
  agents: z.array(
    z.object({
      agentId: z.string(),
      gmv: z.number(),
      orders: z.number(),
      commission: z.number(),
      commissionRatio: z.number().nullable(),
    }),
  ),
});

/** The 10 agents with the most GMV (agent_leaderboard sorted by gmv). */
export async function buildAgentsSection(ctx: SectionContext): Promise<ReportSection> {
  const { texts, params } = ctx;
  const result = await ctx.runner.run(
    'agent_leaderboard',
    toPeriodRequest(params.period, { sortBy: 'gmv', limit: TOP_AGENTS }),
    agentLeaderboardResultSchema,
  );
  return {
    id: 'agents',
    title: texts.titles.agents,
    summary:
      result.agentCount === 0
        ? texts.summaries.noAgents
        : texts.summaries.agents({
            agents: formatValue(result.agentCount, 'count'),
            gmv: formatValue(result.totals.gmv, 'currency'),
            orders: formatValue(result.totals.orders, 'count'),
            commission: formatValue(result.totals.commission, 'currency'),
          }),
    table: {
      columns: [
        { key: 'agent', label: texts.columns.agent, unit: 'text' },
        { key: 'gmv', label: texts.columns.gmv, unit: 'currency' },
        { key: 'orders', label: texts.columns.orders, unit: 'count' },
        { key: 'commission', label: texts.columns.commission, unit: 'currency' },
        { key: 'commission_ratio', label: texts.columns.commissionRatio, unit: 'ratio' },
      ],
      rows: result.agents.map((agent) => [
        agent.agentId,
        agent.gmv,
        agent.orders,
        agent.commission,
        agent.commissionRatio,
      ]),
    },
    chart: {
      id: 'agents_gmv',
      title: texts.charts.agents,
      kind: 'bar',
      unit: 'currency',
      categories: result.agents.map((agent) => agent.agentId),
      series: [{ name: texts.columns.gmv, values: result.agents.map((agent) => agent.gmv) }],
    },
  };
}

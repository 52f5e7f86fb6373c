import type { Condition } from '@sightline/shared';
import { z } from 'zod';
import { metricCondition, scopeConditions } from '../../context/scope-conditions.ts';
import { openSource } from '../../context/sources.ts';
import { runQuery } from '../../sql/run-query.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import { defineReport } from '../define-report.ts';
import { rankDescending } from './rank-descending.ts';

/** Paid orders credited to an agent (the catalog's agent_gmv / agent_orders conditions). */
export const AGENT_ORDERS: readonly Condition[] = [
  { field: 'status', op: 'eq', value: 'paid' },
  { field: 'agent_id', op: 'is_set' },
];
const RANKED = ['gmv', 'orders', 'buyers', 'commission'] as const;
type Ranked = (typeof RANKED)[number];

export const agentLeaderboardParams = z.object({
  sortBy: z.enum(RANKED).default('gmv'),
  limit: z.number().int().min(1).max(1000).default(50),
});
export type AgentLeaderboardParams = z.infer<typeof agentLeaderboardParams>;

const agentSchema = z.object({
  rank: z.number().describe('By sortBy; equal values share a rank'),
  ranks: z.object({
    gmv: z.number(),
    orders: z.number(),
    buyers: z.number(),
    commission: z.number(),
  }),
  agentId: z.string(),
  gmv: z.number().describe('Sum of pay_amount of the paid orders credited to the agent'),
  orders: z.number(),
  buyers: z.number().describe('Distinct buyers (identity-merged)'),
  commission: z.number().describe('Sum of commission_amount (missing counts as 0)'),
  commissionRatio: z.number().nullable().describe('commission / gmv'),
  aov: z.number().nullable().describe('gmv / orders'),
  refundAmount: z
    .number()
    .describe('Refunds of those orders, made at any time up to now (not deducted from gmv)'),
});
const agentLeaderboardResult = z.object({
  sortBy: z.enum(RANKED),
  agentCount: z.number(),
  totals: z.object({
    gmv: z.number(),
    orders: z.number(),
    buyers: z.number(),
    commission: z.number(),
    refundAmount: z.number(),
  }),
  agents: z.array(agentSchema),
});
export type AgentLeaderboardResult = z.infer<typeof agentLeaderboardResult>;
type Agent = z.infer<typeof agentSchema>;

/** Ranks of every agent by one figure (highest first; ties share, agent id breaks order). */
function rankBy(agents: readonly Agent[], key: Ranked): Map<string, number> {
  const sorted = [...agents].sort((a, b) => b[key] - a[key] || compareId(a.agentId, b.agentId));
  const ranks = rankDescending(sorted.map((agent) => agent[key]));
  return new Map(sorted.map((agent, i) => [agent.agentId, ranks[i] ?? i + 1]));
}

function compareId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const agentLeaderboardReport = defineReport({
  id: 'agent_leaderboard',
  summary: 'Distribution agents ranked by GMV, orders, buyers and commission',
  description:
    'Per agent_id of orders paid in the range (by payment time): GMV, orders, distinct buyers ' +
    '(identity-merged), commission, commission ratio, average order value and the refunds of ' +
    'those orders; ranks by each figure (ties share a rank).',
  params: agentLeaderboardParams,
  result: agentLeaderboardResult,
  defaultGranularity: 'all',
  async run(ctx, params): Promise<AgentLeaderboardResult> {
    const sqlParams = new SqlParams();
    const { dialect } = ctx;
    const source = openSource('orders', ctx, sqlParams);
    const a = source.alias;
    const refunded = source.field('refunded_amount')?.sql ?? '0';
    const buyer = source.person;
    const where = [
      ...scopeConditions(ctx, source, sqlParams),
      ...AGENT_ORDERS.map((c) => metricCondition(c, source, sqlParams, dialect)),
    ];
    const rows = await runQuery(
      ctx,
      `WITH o AS (SELECT ${a}.agent_id, ${a}.pay_amount, coalesce(${a}.commission_amount, 0) AS commission, ` +
        `${buyer} AS buyer, ${refunded} AS refunded FROM ${source.from()} WHERE ${where.join(' AND ')}) ` +
        `SELECT agent_id, sum(pay_amount) AS gmv, count(*) AS orders, ` +
        `${dialect.countDistinct('buyer')} AS buyers, sum(commission) AS commission, ` +
        `sum(refunded) AS refunded, GROUPING(agent_id) AS is_total ` +
        `FROM o GROUP BY GROUPING SETS ((agent_id), ())`,
      sqlParams.values,
    );
    const total = rows.find((row) => Number(row.is_total) === 1);
    const agents: Agent[] = rows
      .filter((row) => Number(row.is_total) === 0)
      .map((row) => {
        const gmv = Number(row.gmv);
        const orders = Number(row.orders);
        const commission = Number(row.commission);
        return {
          rank: 0,
          ranks: { gmv: 0, orders: 0, buyers: 0, commission: 0 },
          agentId: String(row.agent_id),
          gmv,
          orders,
          buyers: Number(row.buyers),
          commission,
          commissionRatio: gmv === 0 ? null : commission / gmv,
          aov: orders === 0 ? null : gmv / orders,
          refundAmount: Number(row.refunded),
        };
      });
    const ranks = Object.fromEntries(RANKED.map((key) => [key, rankBy(agents, key)])) as Record<
      Ranked,
      Map<string, number>
    >;
    for (const agent of agents) {
      for (const key of RANKED) agent.ranks[key] = ranks[key].get(agent.agentId) ?? 0;
      agent.rank = agent.ranks[params.sortBy];
    }
    agents.sort((x, y) => x.rank - y.rank || compareId(x.agentId, y.agentId));
    return {
      sortBy: params.sortBy,
      agentCount: agents.length,
      totals: {
        gmv: Number(total?.gmv ?? 0),
        orders: Number(total?.orders ?? 0),
        buyers: Number(total?.buyers ?? 0),
        commission: Number(total?.commission ?? 0),
        refundAmount: Number(total?.refunded ?? 0),
      },
      agents: agents.slice(0, params.limit),
    };
  },
  toTable(result) {
    return {
      columns: [
        'rank',
        'agent_id',
        'gmv',
        'orders',
        'buyers',
        'commission',
        'commission_ratio',
        'aov',
        'refund_amount',
        'gmv_rank',
        'orders_rank',
        'buyers_rank',
        'commission_rank',
      ],
      rows: result.agents.map((agent) => [
        agent.rank,
        agent.agentId,
        agent.gmv,
        agent.orders,
        agent.buyers,
        agent.commission,
        agent.commissionRatio,
        agent.aov,
        agent.refundAmount,
        agent.ranks.gmv,
        agent.ranks.orders,
        agent.ranks.buyers,
        agent.ranks.commission,
      ]),
    };
  },
});

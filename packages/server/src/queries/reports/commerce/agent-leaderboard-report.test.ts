import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrderRow, makeRefundRow } from '../../../testing/order-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import type { QueryContext } from '../../context/query-context.ts';
import { agentLeaderboardParams, agentLeaderboardReport } from './agent-leaderboard-report.ts';

// Shanghai is UTC+8: local day 2026-11-20 runs from 2026-11-19T16:00Z to 2026-11-20T16:00Z.
const D20 = Date.parse('2026-11-19T16:00:00Z');
const D21 = D20 + 86_400_000;
const D22 = D21 + 86_400_000;
const HOUR = 3_600_000;

async function runBoard(ctx: QueryContext, params: Record<string, unknown> = {}) {
  return agentLeaderboardReport.run(ctx, agentLeaderboardParams.parse(params));
}

describe('agent_leaderboard report', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load({
      orders: [
        // a1: u1 twice (once before logging in), u2 once with no commission recorded.
        makeOrderRow({
          orderId: 'o1',
          agentId: 'a1',
          userId: 'u1',
          payAmount: 10_000,
          commissionAmount: 1_000,
          paidAt: D20,
        }),
        makeOrderRow({
          orderId: 'o2',
          agentId: 'a1',
          anonymousId: 'anon-5',
          payAmount: 5_000,
          commissionAmount: 500,
          paidAt: D20 + HOUR,
        }),
        makeOrderRow({
          orderId: 'o3',
          agentId: 'a1',
          userId: 'u2',
          payAmount: 5_000,
          commissionAmount: null,
          paidAt: D21 - 1,
        }),
        makeOrderRow({
          orderId: 'o4',
          agentId: 'a2',
          userId: 'u3',
          payAmount: 20_000,
          commissionAmount: 1_000,
          paidAt: D20 + 2 * HOUR,
        }),
        makeOrderRow({
          orderId: 'o5',
          agentId: 'a3',
          userId: 'u4',
          payAmount: 15_000,
          commissionAmount: 3_000,
          paidAt: D20 + 3 * HOUR,
        }),
        // Left out: no agent, cancelled, the local 19th.
        makeOrderRow({ orderId: 'o7', userId: 'u1', payAmount: 99_999, paidAt: D20 + HOUR }),
        makeOrderRow({
          orderId: 'o8',
          agentId: 'a4',
          status: 'cancelled',
          payAmount: 1,
          paidAt: null,
          orderTime: D20 + HOUR,
        }),
        makeOrderRow({ orderId: 'o9', agentId: 'a4', payAmount: 7_000, paidAt: D20 - 1 }),
      ],
      refunds: [makeRefundRow({ refundId: 'r1', orderId: 'o3', amount: 2_000, refundTime: D22 })],
      identities: [
        { projectId: 'p_test', anonymousId: 'anon-5', userId: 'u1', linkedAt: D20 + 5 * HOUR },
      ],
    });
  });
  afterAll(() => f.close());

  const day = () => f.ctx({ from: D20, to: D21 });

  it('sums GMV, orders, merged buyers, commission and refunds per agent, with ranks', async () => {
    const result = await runBoard(day());
    expect(
      result.agents.map((a) => [
        a.rank,
        a.agentId,
        a.gmv,
        a.orders,
        a.buyers,
        a.commission,
        a.refundAmount,
      ]),
    ).toEqual([
      [1, 'a1', 20_000, 3, 2, 1_500, 2_000],
      [1, 'a2', 20_000, 1, 1, 1_000, 0],
      [3, 'a3', 15_000, 1, 1, 3_000, 0],
    ]);
    expect(result.agents[0]).toMatchObject({
      commissionRatio: 0.075,
      aov: 20_000 / 3,
      ranks: { gmv: 1, orders: 1, buyers: 1, commission: 2 },
    });
    expect(result.agents[2]?.commissionRatio).toBe(0.2);
    expect(result.totals).toEqual({
      gmv: 55_000,
      orders: 5,
      buyers: 4,
      commission: 5_500,
      refundAmount: 2_000,
    });
    expect(result.agentCount).toBe(3);
  });

  it('sorts by another figure and limits', async () => {
    const result = await runBoard(day(), { sortBy: 'commission', limit: 2 });
    expect(result.agents.map((a) => [a.rank, a.agentId])).toEqual([
      [1, 'a3'],
      [2, 'a1'],
    ]);
    expect(result.agentCount).toBe(3);
    const table = agentLeaderboardReport.toTable(result, agentLeaderboardParams.parse({}));
    expect(table.rows[0]?.slice(0, 3)).toEqual([1, 'a3', 15_000]);
  });

  it('answers an empty range', async () => {
    const result = await runBoard(f.ctx({ from: D22, to: D22 + HOUR }));
    expect(result).toEqual({
      sortBy: 'gmv',
      agentCount: 0,
      totals: { gmv: 0, orders: 0, buyers: 0, commission: 0, refundAmount: 0 },
      agents: [],
    });
  });
});

describe('agent_leaderboard against a naive reference', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
  });
  afterAll(() => f.close());

  const orderArb = fc.record({
    paidAt: fc.integer({ min: D20 - HOUR, max: D21 + HOUR }),
    agent: fc.constantFrom(null, 'a1', 'a2', 'a3', 'a4'),
    buyer: fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u5', 'u6'),
    pay: fc.integer({ min: 0, max: 5 }).map((n) => n * 1_000),
    commission: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
    refund: fc.constantFrom(0, 0, 300),
  });

  it('matches every figure and rank', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(orderArb, { maxLength: 80 }), async (orders) => {
        const project = `p_prop_${run++}`;
        await f.load({
          orders: orders.map((o, i) =>
            makeOrderRow({
              projectId: project,
              orderId: `o${i}`,
              agentId: o.agent,
              userId: o.buyer,
              payAmount: o.pay,
              commissionAmount: o.commission,
              paidAt: o.paidAt,
            }),
          ),
          refunds: orders.flatMap((o, i) =>
            o.refund > 0
              ? [
                  makeRefundRow({
                    projectId: project,
                    refundId: `r${i}`,
                    orderId: `o${i}`,
                    amount: o.refund,
                  }),
                ]
              : [],
          ),
        });
        const result = await runBoard(f.ctx({ projectId: project, from: D20, to: D21 }), {
          limit: 1000,
        });
        const agents = new Map<
          string,
          { gmv: number; orders: number; buyers: Set<string>; commission: number; refund: number }
        >();
        for (const o of orders) {
          if (o.agent === null || o.paidAt < D20 || o.paidAt >= D21) continue;
          const a = agents.get(o.agent) ?? {
            gmv: 0,
            orders: 0,
            buyers: new Set(),
            commission: 0,
            refund: 0,
          };
          a.gmv += o.pay;
          a.orders += 1;
          a.buyers.add(o.buyer);
          a.commission += o.commission ?? 0;
          a.refund += o.refund;
          agents.set(o.agent, a);
        }
        const list = [...agents].map(([agentId, a]) => ({
          agentId,
          gmv: a.gmv,
          orders: a.orders,
          buyers: a.buyers.size,
          commission: a.commission,
          refundAmount: a.refund,
        }));
        // Competition rank: 1 + how many agents have a strictly higher GMV.
        const expected = list
          .map((a) => ({ ...a, rank: 1 + list.filter((b) => b.gmv > a.gmv).length }))
          .sort((a, b) => a.rank - b.rank || (a.agentId < b.agentId ? -1 : 1));
        expect(
          result.agents.map(
            ({ agentId, gmv, orders: n, buyers, commission, refundAmount, rank }) => ({
              agentId,
              gmv,
              orders: n,
              buyers,
              commission,
              refundAmount,
              rank,
            }),
          ),
        ).toEqual(expected);
        result.agents.forEach((a) => {
          expect(a.ranks.orders).toBe(1 + list.filter((b) => b.orders > a.orders).length);
          expect(a.commissionRatio).toBe(a.gmv === 0 ? null : a.commission / a.gmv);
        });
      }),
      { numRuns: 25 },
    );
  });
});

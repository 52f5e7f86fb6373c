import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrderRow } from '../../../testing/order-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import type { QueryContext } from '../../context/query-context.ts';
import {
  commissionAnomaliesParams,
  commissionAnomaliesReport,
  HISTORY_DAYS,
} from './commission-anomalies-report.ts';

// Shanghai is UTC+8: local day 2026-11-20 runs from 2026-11-19T16:00Z to 2026-11-20T16:00Z.
const D20 = Date.parse('2026-11-19T16:00:00Z');
const D21 = D20 + 86_400_000;
const DAY = 86_400_000;
const HOUR = 3_600_000;

async function runAnomalies(ctx: QueryContext, params: Record<string, unknown> = {}) {
  return commissionAnomaliesReport.run(ctx, commissionAnomaliesParams.parse(params));
}

const agentOrder = (
  orderId: string,
  at: number,
  pay: number,
  commission: number | null,
  extra: Parameters<typeof makeOrderRow>[0] | object = {},
) =>
  makeOrderRow({
    orderId,
    agentId: 'ag',
    userId: `buyer-${orderId}`,
    payAmount: pay,
    commissionAmount: commission,
    paidAt: at,
    ...extra,
  });

describe('commission_anomalies_input report', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load({
      orders: [
        // ag's history: ratios 0.08 … 0.12 in the 90 days before; older and commission-less
        // orders do not count.
        agentOrder('h1', D20 - 10 * DAY, 10_000, 800),
        agentOrder('h2', D20 - 20 * DAY, 10_000, 900),
        agentOrder('h3', D20 - 30 * DAY, 10_000, 1_000),
        agentOrder('h4', D20 - 40 * DAY, 10_000, 1_100),
        agentOrder('h5', D20 + HOUR - HISTORY_DAYS * DAY, 10_000, 1_200), // exactly 90 days before t1
        agentOrder('old', D20 - 100 * DAY, 10_000, 5_000),
        agentOrder('nocom', D20 - 5 * DAY, 10_000, null),
        // The range (local 20th).
        agentOrder('t1', D20 + HOUR, 10_000, 1_000, { costAmount: 8_000 }),
        agentOrder('t2', D20 + 2 * HOUR, 10_000, 3_000, { costAmount: 8_000 }),
        agentOrder('t3', D20 + 3 * HOUR, 10_000, 1_000, { userId: 'ag' }),
        agentOrder('t4', D20 + 4 * HOUR, 0, 0, { agentId: 'new' }),
        // Bought anonymously by a visitor later identified as the agent ag2.
        agentOrder('t5', D20 + 5 * HOUR, 10_000, 500, {
          agentId: 'ag2',
          userId: null,
          anonymousId: 'anon-8',
          costAmount: 9_000,
        }),
        // Local 21st: outside.
        agentOrder('t6', D21, 10_000, 9_000),
      ],
      identities: [{ projectId: 'p_test', anonymousId: 'anon-8', userId: 'ag2', linkedAt: D21 }],
    });
  });
  afterAll(() => f.close());

  const day = () => f.ctx({ from: D20, to: D21 });

  it('scores each agent order against the agent’s 90 days before it', async () => {
    const result = await runAnomalies(day());
    expect(result).toMatchObject({
      historyDays: 90,
      zThreshold: 3.5,
      orderCount: 5,
      truncated: false,
    });
    const byId = new Map(result.orders.map((o) => [o.orderId, o]));
    expect(result.orders.map((o) => o.orderId)).toEqual(['t5', 't4', 't3', 't2', 't1']);
    // t1: history 0.08 0.09 0.10 0.11 0.12 → median 0.10, MAD 0.01, z 0.
    const t1 = byId.get('t1');
    expect(t1).toMatchObject({
      historyOrders: 5,
      commissionRatio: 0.1,
      margin: 1_000,
      flagged: false,
    });
    expect(t1?.agentMedianRatio).toBeCloseTo(0.1, 12);
    expect(t1?.agentRatioMad).toBeCloseTo(0.01, 12);
    expect(t1?.robustZ).toBeCloseTo(0, 9);
    // t2: h5 is now more than 90 days back and t1 joins (0.10 twice): median 0.10, MAD 0.01;
    // z = 0.6745 × 0.2 / 0.01.
    const t2 = byId.get('t2');
    expect(t2).toMatchObject({
      historyOrders: 5,
      margin: -1_000,
      negativeMargin: true,
      ratioOutlier: true,
      buyerIsAgent: false,
      flagged: true,
    });
    expect(t2?.robustZ).toBeCloseTo(13.49, 9);
    // t3: the agent bought from itself; no cost, so no margin. History h1–h4, t1, t2: median
    // (0.10 + 0.10) / 2, MAD (0.01 + 0.01) / 2.
    expect(byId.get('t3')).toMatchObject({
      historyOrders: 6,
      buyerIsAgent: true,
      margin: null,
      negativeMargin: false,
      ratioOutlier: false,
    });
    expect(byId.get('t3')?.robustZ).toBeCloseTo(0, 9);
    // t4: a new agent has no history; a zero amount has no ratio.
    expect(byId.get('t4')).toMatchObject({
      historyOrders: 0,
      commissionRatio: null,
      agentMedianRatio: null,
      agentRatioMad: null,
      robustZ: null,
      flagged: false,
    });
    // t5: the buyer is identity-merged with the agent.
    expect(byId.get('t5')).toMatchObject({
      buyerId: 'ag2',
      buyerIsAgent: true,
      margin: 500,
      flagged: true,
    });
  });

  it('lists only flagged orders, limits, and answers empty ranges', async () => {
    const flagged = await runAnomalies(day(), { flaggedOnly: true });
    expect(flagged.orders.map((o) => o.orderId)).toEqual(['t5', 't3', 't2']);
    const limited = await runAnomalies(day(), { limit: 2 });
    expect(limited).toMatchObject({ orderCount: 5, truncated: true });
    expect(limited.orders.map((o) => o.orderId)).toEqual(['t5', 't4']);
    const empty = await runAnomalies(f.ctx({ from: D21 + DAY, to: D21 + 2 * DAY }));
    expect(empty).toMatchObject({ orderCount: 0, truncated: false, orders: [] });
    const table = commissionAnomaliesReport.toTable(flagged, commissionAnomaliesParams.parse({}));
    expect(table.columns).toContain('robust_z');
    expect(table.rows).toHaveLength(3);
  });
});

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) / 2;
  const lo = s[Math.floor(h)] as number;
  return lo + (h - Math.floor(h)) * ((s[Math.ceil(h)] as number) - lo);
}

describe('commission_anomalies_input against a naive reference', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
  });
  afterAll(() => f.close());

  const orderArb = fc.record({
    at: fc.integer({ min: D20 - 100 * DAY, max: D21 + HOUR }),
    agent: fc.constantFrom('a1', 'a2'),
    buyer: fc.constantFrom('u1', 'a1'),
    pay: fc.constantFrom(0, 1_000, 2_000),
    commission: fc.option(fc.constantFrom(0, 50, 100, 150, 900), { nil: null }),
    cost: fc.option(fc.constantFrom(500, 1_900), { nil: null }),
  });

  it('matches medians, MADs, z-scores and flags', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(orderArb, { maxLength: 120 }), async (orders) => {
        const project = `p_prop_${run++}`;
        await f.load({
          orders: orders.map((o, i) =>
            makeOrderRow({
              projectId: project,
              orderId: `o${String(i).padStart(3, '0')}`,
              agentId: o.agent,
              userId: o.buyer,
              payAmount: o.pay,
              commissionAmount: o.commission,
              costAmount: o.cost,
              paidAt: o.at,
            }),
          ),
        });
        const result = await runAnomalies(f.ctx({ projectId: project, from: D20, to: D21 }), {
          limit: 10_000,
        });
        const ratio = (o: (typeof orders)[number]) =>
          o.pay > 0 && o.commission !== null ? o.commission / o.pay : null;
        const expected = orders
          .map((o, i) => ({ ...o, id: `o${String(i).padStart(3, '0')}` }))
          .filter((o) => o.at >= D20 && o.at < D21)
          .sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : 1))
          .map((o) => {
            const history = orders
              .filter(
                (h) =>
                  h.agent === o.agent &&
                  h.at >= o.at - HISTORY_DAYS * DAY &&
                  h.at < o.at &&
                  h.at >= D20 - HISTORY_DAYS * DAY,
              )
              .flatMap((h) => (ratio(h) === null ? [] : [ratio(h) as number]));
            const med = median(history);
            const mad = med === null ? null : median(history.map((r) => Math.abs(r - med)));
            const r = ratio(o);
            const z =
              mad !== null && mad > 0 && r !== null && med !== null
                ? (0.6745 * (r - med)) / mad
                : null;
            const margin =
              o.cost === null || o.commission === null ? null : o.pay - o.cost - o.commission;
            return {
              id: o.id,
              n: history.length,
              z,
              flags: [
                margin !== null && margin < 0,
                o.buyer === o.agent,
                z !== null && Math.abs(z) > 3.5,
              ],
            };
          });
        expect(
          result.orders.map((o) => [o.orderId, o.historyOrders, o.negativeMargin, o.buyerIsAgent]),
        ).toEqual(expected.map((e) => [e.id, e.n, e.flags[0], e.flags[1]]));
        result.orders.forEach((o, i) => {
          const z = expected[i]?.z ?? null;
          if (z === null) expect(o.robustZ).toBeNull();
          else expect(o.robustZ).toBeCloseTo(z, 6);
          // Far from the 3.5 cut-off the flag must agree; rounding cannot move it.
          if (z !== null && Math.abs(Math.abs(z) - 3.5) > 1e-6)
            expect(o.ratioOutlier).toBe(Math.abs(z) > 3.5);
        });
      }),
      { numRuns: 25 },
    );
  });
});

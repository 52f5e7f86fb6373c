import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderItemRow } from '../../../store/index.ts';
import { makeOrderRow, makeRefundRow } from '../../../testing/order-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import type { QueryContext } from '../../context/query-context.ts';
import { topProductsParams, topProductsReport } from './top-products-report.ts';

// Shanghai is UTC+8: local day 2026-11-20 runs from 2026-11-19T16:00Z to 2026-11-20T16:00Z.
const D20 = Date.parse('2026-11-19T16:00:00Z');
const D21 = D20 + 86_400_000;
const D22 = D21 + 86_400_000;
const HOUR = 3_600_000;

function line(
  orderId: string,
  lineNo: number,
  productId: string,
  category: string | null,
  quantity: number,
  amount: number,
  projectId = 'p_test',
): OrderItemRow {
  return {
    projectId,
    orderId,
    lineNo,
    productId,
    sku: null,
    category,
    quantity,
    unitPrice: quantity === 0 ? 0 : Math.round(amount / quantity),
    amount,
    costAmount: null,
  };
}

async function runTop(ctx: QueryContext, params: Record<string, unknown> = {}) {
  return topProductsReport.run(ctx, topProductsParams.parse(params));
}

describe('top_products report', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load({
      orders: [
        makeOrderRow({ orderId: 'o1', userId: 'u1', payAmount: 5_000, paidAt: D20 + HOUR }),
        makeOrderRow({ orderId: 'o2', userId: 'u2', payAmount: 1_000, paidAt: D20 + 2 * HOUR }),
        // Local 19th 23:59:59.999: before the range.
        makeOrderRow({ orderId: 'o3', payAmount: 5_000, paidAt: D20 - 1 }),
        makeOrderRow({
          orderId: 'o4',
          status: 'cancelled',
          payAmount: 9_000,
          paidAt: null,
          orderTime: D20 + 3 * HOUR,
        }),
        // Local 20th 23:59:59.999: free items only.
        makeOrderRow({ orderId: 'o5', payAmount: 0, paidAt: D21 - 1 }),
        makeOrderRow({ orderId: 'o6', payAmount: 3_000, paidAt: D20 + 4 * HOUR }),
      ],
      orderItems: [
        line('o1', 1, 'p1', 'tea', 2, 2_000),
        line('o1', 2, 'p2', 'home', 1, 3_000),
        line('o2', 1, 'p1', 'tea', 1, 1_000),
        line('o3', 1, 'p1', 'tea', 5, 5_000),
        line('o4', 1, 'p2', 'home', 9, 9_000),
        line('o5', 1, 'p3', 'tea', 3, 0),
        line('o5', 2, 'p2', 'home', 1, 0),
        line('o6', 1, 'p4', null, 1, 3_000),
      ],
      // Refunds made after the range still belong to the orders paid in it.
      refunds: [
        makeRefundRow({ refundId: 'r1', orderId: 'o1', amount: 500, refundTime: D22 }),
        makeRefundRow({ refundId: 'r2', orderId: 'o2', amount: 1_000, refundTime: D21 }),
        makeRefundRow({ refundId: 'r3', orderId: 'o2', amount: 500, refundTime: D21 + HOUR }),
        makeRefundRow({ refundId: 'r4', orderId: 'o5', amount: 100, refundTime: D21 }),
        makeRefundRow({ refundId: 'r5', orderId: 'o3', amount: 5_000, refundTime: D21 }),
      ],
      products: [
        {
          projectId: 'p_test',
          productId: 'p1',
          sku: 'TEA-1',
          name: '有机绿茶 250g',
          category: 'tea',
          brand: null,
          price: 1_000,
          cost: 600,
          status: 'active',
          updatedAt: D20,
        },
      ],
    });
  });
  afterAll(() => f.close());

  const day = (extra: Partial<QueryContext> = {}) => f.ctx({ from: D20, to: D21, ...extra });

  it('ranks products by revenue with shared ranks, names and refund shares', async () => {
    const result = await runTop(day());
    // o1's 500 refund splits 2000:3000; o5's lines are all 0, so its 100 splits equally.
    expect(
      result.rows.map((r) => [
        r.rank,
        r.key,
        r.name,
        r.category,
        r.revenue,
        r.quantity,
        r.orders,
        r.refundAmount,
      ]),
    ).toEqual([
      [1, 'p1', '有机绿茶 250g', 'tea', 3_000, 3, 2, 1_700],
      [1, 'p2', null, 'home', 3_000, 2, 2, 350],
      [1, 'p4', null, null, 3_000, 1, 1, 0],
      [4, 'p3', null, 'tea', 0, 3, 1, 50],
    ]);
    expect(result.totals).toEqual({
      revenue: 9_000,
      quantity: 9,
      orders: 4,
      refundAmount: 2_100,
      groups: 4,
    });
    expect(result.rows[0]?.revenueShare).toBe(1 / 3);
  });

  it.each([
    [
      'quantity',
      [
        ['p1', 1],
        ['p3', 1],
        ['p2', 3],
        ['p4', 4],
      ],
    ],
    [
      'orders',
      [
        ['p1', 1],
        ['p2', 1],
        ['p3', 3],
        ['p4', 3],
      ],
    ],
  ] as const)('sorts by %s', async (sortBy, expected) => {
    const result = await runTop(day(), { sortBy });
    expect(result.rows.map((r) => [r.key, r.rank])).toEqual(expected);
  });

  it('ranks categories, nulls last among equals', async () => {
    const result = await runTop(day(), { by: 'category' });
    expect(
      result.rows.map((r) => [r.rank, r.key, r.revenue, r.quantity, r.orders, r.refundAmount]),
    ).toEqual([
      [1, 'home', 3_000, 2, 2, 350],
      [1, 'tea', 3_000, 6, 3, 1_750],
      [1, null, 3_000, 1, 1, 0],
    ]);
    expect(result.totals.groups).toBe(3);
  });

  it('splits refunds over all lines of an order even when a filter hides some', async () => {
    const result = await runTop(
      day({ filters: [{ dimension: 'category', op: 'eq', value: 'tea' }] }),
    );
    expect(result.rows.map((r) => [r.key, r.refundAmount])).toEqual([
      ['p1', 1_700],
      ['p3', 50],
    ]);
  });

  it('limits, and answers empty ranges', async () => {
    expect((await runTop(day(), { limit: 2 })).rows).toHaveLength(2);
    const empty = await runTop(f.ctx({ from: D22, to: D22 + HOUR }));
    expect(empty).toEqual({
      by: 'product',
      sortBy: 'revenue',
      totals: { revenue: 0, quantity: 0, orders: 0, refundAmount: 0, groups: 0 },
      rows: [],
    });
  });
});

describe('top_products against a naive reference', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
  });
  afterAll(() => f.close());

  const orderArb = fc.record({
    paidAt: fc.integer({ min: D20 - HOUR, max: D21 + HOUR }),
    status: fc.constantFrom('paid', 'paid', 'paid', 'cancelled'),
    lines: fc.array(
      fc.record({
        product: fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5'),
        quantity: fc.integer({ min: 1, max: 5 }),
        amount: fc.constantFrom(0, 100, 250, 999, 4_000),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    refunds: fc.array(fc.integer({ min: 1, max: 3_000 }), { maxLength: 2 }),
  });

  it('matches revenue, quantity, orders and refund shares per product', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(orderArb, { maxLength: 60 }), async (orders) => {
        const project = `p_prop_${run++}`;
        await f.load({
          orders: orders.map((o, i) =>
            makeOrderRow({
              projectId: project,
              orderId: `o${i}`,
              status: o.status,
              paidAt: o.status === 'paid' ? o.paidAt : null,
              orderTime: o.paidAt,
            }),
          ),
          orderItems: orders.flatMap((o, i) =>
            o.lines.map((l, n) =>
              line(`o${i}`, n + 1, l.product, null, l.quantity, l.amount, project),
            ),
          ),
          refunds: orders.flatMap((o, i) =>
            o.refunds.map((amount, n) =>
              makeRefundRow({
                projectId: project,
                refundId: `r${i}-${n}`,
                orderId: `o${i}`,
                amount,
              }),
            ),
          ),
        });
        const result = await runTop(f.ctx({ projectId: project, from: D20, to: D21 }), {
          limit: 500,
        });
        const byProduct = new Map<
          string,
          { revenue: number; quantity: number; orders: Set<number>; refund: number }
        >();
        orders.forEach((o, i) => {
          if (o.status !== 'paid' || o.paidAt < D20 || o.paidAt >= D21) return;
          const total = o.lines.reduce((s, l) => s + l.amount, 0);
          const refunded = o.refunds.reduce((s, r) => s + r, 0);
          for (const l of o.lines) {
            const p = byProduct.get(l.product) ?? {
              revenue: 0,
              quantity: 0,
              orders: new Set(),
              refund: 0,
            };
            p.revenue += l.amount;
            p.quantity += l.quantity;
            p.orders.add(i);
            p.refund += refunded * (total === 0 ? 1 / o.lines.length : l.amount / total);
            byProduct.set(l.product, p);
          }
        });
        const expected = [...byProduct]
          .sort(([ka, a], [kb, b]) => b.revenue - a.revenue || (ka < kb ? -1 : 1))
          .map(([key, p]) => ({
            key,
            revenue: p.revenue,
            quantity: p.quantity,
            orders: p.orders.size,
            refund: p.refund,
          }));
        expect(
          result.rows.map((r) => ({
            key: r.key,
            revenue: r.revenue,
            quantity: r.quantity,
            orders: r.orders,
          })),
        ).toEqual(expected.map(({ refund: _, ...rest }) => rest));
        result.rows.forEach((r, i) =>
          expect(r.refundAmount).toBeCloseTo(expected[i]?.refund ?? NaN, 6),
        );
      }),
      { numRuns: 25 },
    );
  });
});

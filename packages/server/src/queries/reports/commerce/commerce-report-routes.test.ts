import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../../platform/index.ts';
import { createWriteBatch } from '../../../store/index.ts';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';
import { makeOrderRow, makeRefundRow } from '../../../testing/order-row-fixture.ts';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';

// Local 2026-11-21 12:00 in Shanghai, the test project's zone.
const NOW = Date.parse('2026-11-21T04:00:00Z');
const D20 = Date.parse('2026-11-19T16:00:00Z');
const HOUR = 3_600_000;

describe('POST /api/v1/projects/:projectId/reports/<commerce report>', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ clock: createFakeClock(NOW) });
    const item = (orderId: string, productId: string, amount: number) => ({
      projectId: 'shop',
      orderId,
      lineNo: 1,
      productId,
      sku: null,
      category: 'tea',
      quantity: 1,
      unitPrice: amount,
      amount,
      costAmount: null,
    });
    await t.app.services.eventStore.commit(
      createWriteBatch({
        orders: [
          makeOrderRow({
            projectId: 'shop',
            orderId: 'o1',
            userId: 'u1',
            agentId: 'a1',
            payAmount: 8_000,
            commissionAmount: 800,
            costAmount: 5_000,
            paidAt: D20 + HOUR,
          }),
          makeOrderRow({
            projectId: 'shop',
            orderId: 'o2',
            userId: 'a1',
            agentId: 'a1',
            payAmount: 2_000,
            commissionAmount: 200,
            paidAt: D20 + 2 * HOUR,
          }),
        ],
        orderItems: [item('o1', 'p1', 8_000), item('o2', 'p2', 2_000)],
        refunds: [
          makeRefundRow({ projectId: 'shop', refundId: 'r1', orderId: 'o1', amount: 1_000 }),
        ],
        events: [
          makeEventRow({
            projectId: 'shop',
            name: 'customer_created',
            eventTime: D20 + HOUR,
            props: JSON.stringify({ customer_id: 'c1', customer_type: 'organization' }),
          }),
        ],
      }),
    );
  });
  afterAll(() => t.close());

  const body = { from: '2026-11-20', to: '2026-11-20' };
  const post = (report: string, payload: Record<string, unknown> = body) =>
    t.app.fastify.inject({
      method: 'POST',
      url: `/api/v1/projects/shop/reports/${report}`,
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload,
    });
  const csvLines = async (report: string) => {
    const res = await post(`${report}.csv`);
    expect(res.statusCode).toBe(200);
    return res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
  };

  it('answers top products', async () => {
    const res = await post('top_products');
    expect(res.statusCode).toBe(200);
    expect(res.json().result.rows[0]).toMatchObject({
      key: 'p1',
      revenue: 8_000,
      refundAmount: 1_000,
    });
    expect((await csvLines('top_products'))[1]).toBe('1,p1,,tea,8000,1,1,1000,0.8');
  });

  it('answers the agent leaderboard', async () => {
    const res = await post('agent_leaderboard');
    expect(res.json().result.agents[0]).toMatchObject({
      agentId: 'a1',
      gmv: 10_000,
      orders: 2,
      buyers: 2,
      commissionRatio: 0.1,
    });
    expect(
      (await csvLines('agent_leaderboard'))[1]?.startsWith('1,a1,10000,2,2,1000,0.1,5000,1000,'),
    ).toBe(true);
  });

  it('answers the commission anomalies input', async () => {
    const res = await post('commission_anomalies_input');
    expect(
      res
        .json()
        .result.orders.map(
          (o: { orderId: string; buyerIsAgent: boolean; margin: number | null }) => [
            o.orderId,
            o.buyerIsAgent,
            o.margin,
          ],
        ),
    ).toEqual([
      ['o2', true, null],
      ['o1', false, 2_200],
    ]);
    const lines = await csvLines('commission_anomalies_input');
    expect(lines).toHaveLength(3);
    expect(lines[1]?.startsWith('o2,a1,a1,')).toBe(true);
  });

  it('answers service stats', async () => {
    const res = await post('service_stats');
    expect(res.json().result.customers).toMatchObject({ total: 1, new: 1 });
    expect(res.json().result.orders).toMatchObject({ paidOrders: 2, revenue: 10_000 });
    expect(await csvLines('service_stats')).toContain(
      'customers,customer_type,organization,total,1',
    );
  });
});

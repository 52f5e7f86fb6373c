import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow, OrderRow } from '../../store/index.ts';
import { makeEventRow } from '../../testing/event-row-fixture.ts';
import { makeOrderRow, makeRefundRow } from '../../testing/order-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../testing/query-fixture.ts';
import { retentionParams, retentionReport } from '../reports/retention/retention-report.ts';
import { listBuckets } from '../series/buckets.ts';
import { computeMetricSeries } from '../series/metric-series.ts';
import { computeLtv } from './ltv.ts';

// Times are local to Shanghai (+08:00) unless they end in Z.
const at = (text: string) => Date.parse(text.endsWith('Z') ? text : `${text}+08:00`);
const makeSignUp = (user: string, time: string) =>
  makeEventRow({ userId: user, name: 'sign_up', eventTime: at(time), receivedAt: at(time) });

/**
 * LTV: p1 signs up 15 Jan and pays 900 an hour before that (not counted), then 1000 (Jan),
 * 2000 at 23:59:59 on 28 Feb (month 1; refunded later, still counted), 4000 at 00:00 on 1 Mar
 * (month 2) and 8000 in July (month 6: outside six months). p2 signs up at 23:59:59 on 31 Jan
 * (a January member) and only cancels an order; p3 signs up at 00:00 on 1 Feb (February) and
 * pays 500.
 */
const LTV_EVENTS = [
  makeSignUp('p1', '2026-01-15T10:00:00'),
  makeSignUp('p2', '2026-01-31T23:59:59'),
  makeSignUp('p3', '2026-02-01T00:00:00'),
];
const order = (orderId: string, userId: string, time: string, payAmount: number, extra = {}) =>
  makeOrderRow({ orderId, userId, payAmount, paidAt: at(time), ...extra });
const LTV_ORDERS = [
  order('e', 'p1', '2026-01-15T09:00:00', 900),
  order('a', 'p1', '2026-01-16T10:00:00', 1_000),
  order('b', 'p1', '2026-02-28T23:59:59', 2_000),
  order('c', 'p1', '2026-03-01T00:00:00', 4_000),
  order('d', 'p1', '2026-07-02T10:00:00', 8_000),
  order('x', 'p2', '2026-02-10T10:00:00', 5_000, { status: 'cancelled', paidAt: null }),
  order('f', 'p3', '2026-02-11T10:00:00', 500),
];

/**
 * Memberships (period_days on the order_completed event). Who is due and who renews:
 *   m1 goods 1 Nov; A 3 Nov (30 d → 3 Dec) renewed by B on 5 Dec (within 7 days after expiry)
 *   m2 C 3 Nov (→ 3 Dec 12:00), D on 20 Dec is too late
 *   m3 E 10 Nov (7 d → 17 Nov) renewed by F on 15 Nov (F has no event: unknown expiry)
 *   m4 G as anon-m4 on 20 Nov (10 d → 30 Nov), renewed by H on 6 Dec as m4 (linked)
 *   m5 a pending membership only; m6 I 29 Nov (→ 29 Dec, grace until 5 Jan), not renewed
 *   m7 J at 00:00 on 1 Nov local (→ 00:00 on 1 Dec local: December), not renewed
 *   m8 goods 5 Nov; m9 goods 25 Nov, K 2 Dec; m10 L 10 Dec; m11 M 2 Nov (→ 12 Nov), not renewed
 */
function makeMembership(
  id: string,
  who: string,
  time: string,
  periodDays: number | null,
): { order: OrderRow; event: EventRow | null } {
  const anon = who.startsWith('anon-');
  const ids = anon ? { anonymousId: who } : { userId: who };
  const paid = at(time);
  const props = { order_id: id, product_type: 'membership', period_days: periodDays };
  return {
    order: makeOrderRow({
      orderId: id,
      ...ids,
      paidAt: paid,
      payAmount: 3_000,
      productType: 'membership',
    }),
    event:
      periodDays === null
        ? null
        : makeEventRow({
            ...ids,
            name: 'order_completed',
            eventTime: paid,
            receivedAt: paid,
            props: JSON.stringify(props),
          }),
  };
}
const MEMBERSHIPS = [
  makeMembership('A', 'm1', '2026-11-03T10:00:00', 30),
  makeMembership('B', 'm1', '2026-12-05T10:00:00', 30),
  makeMembership('C', 'm2', '2026-11-03T12:00:00', 30),
  makeMembership('D', 'm2', '2026-12-20T10:00:00', 30),
  makeMembership('E', 'm3', '2026-11-10T10:00:00', 7),
  makeMembership('F', 'm3', '2026-11-15T10:00:00', null),
  makeMembership('G', 'anon-m4', '2026-11-20T10:00:00', 10),
  makeMembership('H', 'm4', '2026-12-06T10:00:00', 30),
  makeMembership('I', 'm6', '2026-11-29T10:00:00', 30),
  makeMembership('J', 'm7', '2026-10-31T16:00:00Z', 30),
  makeMembership('K', 'm9', '2026-12-02T10:00:00', 30),
  makeMembership('L', 'm10', '2026-12-10T10:00:00', 30),
  makeMembership('M', 'm11', '2026-11-02T10:00:00', 10),
];
const GOODS = [
  order('g1', 'm1', '2026-11-01T10:00:00', 100),
  order('g8', 'm8', '2026-11-05T10:00:00', 100),
  order('g9', 'm9', '2026-11-25T10:00:00', 100),
  order('p5', 'm5', '2026-11-03T10:00:00', 100, {
    status: 'pending',
    paidAt: null,
    productType: 'membership',
  }),
];

describe('ltv and membership analyses', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load({
      events: [...LTV_EVENTS, ...MEMBERSHIPS.flatMap((m) => (m.event ? [m.event] : []))],
      orders: [...LTV_ORDERS, ...MEMBERSHIPS.map((m) => m.order), ...GOODS],
      identities: [
        {
          projectId: 'p_test',
          anonymousId: 'anon-m4',
          userId: 'm4',
          linkedAt: at('2026-11-21T10:00:00'),
        },
      ],
      refunds: [
        makeRefundRow({
          refundId: 'rb',
          orderId: 'b',
          amount: 2_000,
          refundTime: at('2026-03-05T10:00:00'),
        }),
      ],
    });
  });
  afterAll(() => f.close());

  const janFeb = {
    from: at('2026-01-01T00:00:00'),
    to: at('2026-03-01T00:00:00'),
    now: at('2026-07-15T12:00:00'),
  };
  const novDec = {
    from: at('2026-11-01T00:00:00'),
    to: at('2027-01-01T00:00:00'),
    now: at('2027-01-20T12:00:00'),
  };
  const metric = async (id: string, granularity: 'month' | 'all', range: typeof janFeb) =>
    (await computeMetricSeries(f.ctx(range), id, { granularity })).groups[0]?.values;

  describe('ltv_6m', () => {
    it('is the GMV of months 0–5 per January member; February is not six months old', async () => {
      // (1000 + 2000 + 4000) / 2 members.
      expect(await metric('ltv_6m', 'month', janFeb)).toEqual([3_500, null]);
      expect(await metric('ltv_6m', 'all', janFeb)).toEqual([3_500]);
    });

    it('discounts month τ by (1 + d)^τ', async () => {
      const ctx = f.ctx(janFeb);
      const run = {
        granularity: 'month' as const,
        buckets: await listBuckets(ctx, 'month'),
        groupBy: null,
      };
      const values = (await computeLtv(ctx, { months: 3, monthlyDiscount: 0.1 }, run)).groups[0]
        ?.values;
      expect(values?.[0]).toBeCloseTo((1_000 + 2_000 / 1.1 + 4_000 / 1.21) / 2, 9);
      expect(values?.[1]).toBe(500);
    });

    it('equals the last cell of the revenue cohort report', async () => {
      const report = await retentionReport.run(
        f.ctx(janFeb),
        retentionParams.parse({ value: 'revenue', period: 'month', periods: 5 }),
      );
      expect(
        report.cohorts.map((c) => [c.label, c.size, c.cells.map((cell) => cell.value)]),
      ).toEqual([
        ['2026-01', 2, [500, 1_500, 3_500, 3_500, 3_500, 3_500]],
        ['2026-02', 1, [500, 500, 500, 500, 500, null]],
      ]);
      const discounted = await retentionReport.run(
        f.ctx(janFeb),
        retentionParams.parse({
          value: 'revenue',
          period: 'month',
          periods: 2,
          monthlyDiscount: 0.1,
        }),
      );
      expect(discounted.cohorts[0]?.cells[2]?.value).toBeCloseTo(
        (1_000 + 2_000 / 1.1 + 4_000 / 1.21) / 2,
        9,
      );
      expect(discounted.cohorts[0]?.cells[2]?.count).toBe(7_000);
    });
  });

  describe('membership_purchase_rate', () => {
    it('divides first memberships by first paid orders, per month', async () => {
      // Nov: members m1 m2 m3 m4 m6 m7 m11 / payers those + m8 m9. Dec: m9 m10 / m10.
      expect(await metric('membership_purchase_rate', 'month', novDec)).toEqual([7 / 9, 2]);
      expect(await metric('membership_purchase_rate', 'all', novDec)).toEqual([0.9]);
    });
  });

  describe('membership_renewal_rate', () => {
    it('counts due people whose grace period is over, and who renewed', async () => {
      // Nov: m3, m4 of m3 m4 m11. Dec: m1 of m1 m2 m6 m7 (m7 expires at 00:00 on 1 Dec local).
      expect(await metric('membership_renewal_rate', 'month', novDec)).toEqual([2 / 3, 1 / 4]);
      expect(await metric('membership_renewal_rate', 'all', novDec)).toEqual([3 / 7]);
    });

    it('leaves out memberships whose grace period runs past now', async () => {
      // On 3 Jan m6's grace (until 5 Jan) is not over.
      const early = { ...novDec, now: at('2027-01-03T12:00:00') };
      expect(await metric('membership_renewal_rate', 'month', early)).toEqual([2 / 3, 1 / 3]);
    });
  });
});

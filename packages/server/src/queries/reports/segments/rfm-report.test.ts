import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLocalDate } from '../../../platform/index.ts';
import type { OrderRow } from '../../../store/index.ts';
import { makeOrderRow } from '../../../testing/order-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import { computeRfm, rfmParams, type RfmResult } from './rfm-report.ts';
import { getRfmSegment } from './rfm-segments.ts';

const ZONE = 'Asia/Shanghai';
const DAY = 86_400_000;
// Local November 2026 in Shanghai: 2026-10-31T16:00Z … 2026-11-30T16:00Z.
const FROM = Date.parse('2026-10-31T16:00:00Z');
const TO = Date.parse('2026-11-30T16:00:00Z');
const at = (iso: string) => Date.parse(iso);
const params = rfmParams.parse({});

describe('rfm report', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    const paid = (
      orderId: string,
      userId: string | null,
      iso: string,
      payAmount: number,
      extra = {},
    ) => makeOrderRow({ orderId, userId, paidAt: at(iso), payAmount, ...extra });
    await f.load({
      orders: [
        // b1: three orders, the last at local 23:59:59.999 on the 30th (the range's last day).
        paid('o1', 'b1', '2026-11-30T15:59:59.999Z', 100, { channel: 'wechat' }),
        paid('o2', 'b1', '2026-11-10T04:00:00Z', 200, { channel: 'wechat' }),
        paid('o3', 'b1', '2026-11-05T04:00:00Z', 300, { channel: 'wechat' }),
        // b2: paid at local 00:00 on the 30th; another order placed on the 30th but paid on
        // local 1 December (late payment: outside), and a pending one.
        paid('o4', 'b2', '2026-11-29T16:00:00Z', 50),
        makeOrderRow({
          orderId: 'o5',
          userId: 'b2',
          orderTime: at('2026-11-30T10:00:00Z'),
          paidAt: at('2026-11-30T16:00:00Z'),
          payAmount: 999,
        }),
        paid('o5p', 'b2', '2026-11-20T04:00:00Z', 777, { status: 'pending' }),
        // b3: first as an anonymous buyer later linked to b3, then logged in.
        paid('o6', null, '2026-11-20T04:00:00Z', 1_000, { anonymousId: 'a3' }),
        paid('o7', 'b3', '2026-11-25T04:00:00Z', 500),
        // b4: at local 00:00 on the 1st (inside); one a millisecond earlier (outside); cancelled.
        paid('o8', 'b4', '2026-10-31T16:00:00Z', 80),
        paid('o9', 'b4', '2026-10-31T15:59:59.999Z', 7_000),
        makeOrderRow({
          orderId: 'o10',
          userId: 'b4',
          status: 'cancelled',
          paidAt: null,
          orderTime: at('2026-11-12T04:00:00Z'),
          payAmount: 5_000,
        }),
        // b5: two orders on the 15th.
        paid('o11', 'b5', '2026-11-15T02:00:00Z', 40),
        paid('o12', 'b5', '2026-11-15T03:00:00Z', 40),
      ],
      identities: [
        {
          projectId: 'p_test',
          anonymousId: 'a3',
          userId: 'b3',
          linkedAt: at('2026-11-25T04:00:00Z'),
        },
      ],
    });
  });
  afterAll(() => f.close());

  const november = () => f.ctx({ from: FROM, to: TO, timeZone: ZONE });

  it('scores buyers by quintile of strictly worse buyers and names their segments', async () => {
    const result = await computeRfm(november(), params);
    expect(result.asOf).toBe('2026-11-30');
    expect(result.buyers).toBe(5);
    // Recency (days to the 30th): b1 0, b2 0, b3 5, b5 15, b4 29. R = 1 + ⌊5 × worse / 5⌋:
    // b1, b2 beat 3 → 4; b3 beats 2 → 3; b5 beats 1 → 2; b4 → 1.
    // Frequency: b2, b4 1; b3, b5 2; b1 3 → F 1, 1, 3, 3, 5.
    // Monetary: b2 50, b4 80, b5 80, b1 600, b3 1500 → M 1, 2, 2, 4, 5.
    expect(result.topBuyers).toEqual([
      {
        personId: 'b3',
        recencyDays: 5,
        frequency: 2,
        monetary: 1_500,
        lastPaidAt: '2026-11-25T04:00:00.000Z',
        r: 3,
        f: 3,
        m: 5,
        segment: 'need_attention',
      },
      {
        personId: 'b1',
        recencyDays: 0,
        frequency: 3,
        monetary: 600,
        lastPaidAt: '2026-11-30T15:59:59.999Z',
        r: 4,
        f: 5,
        m: 4,
        segment: 'loyal',
      },
      {
        personId: 'b4',
        recencyDays: 29,
        frequency: 1,
        monetary: 80,
        lastPaidAt: '2026-10-31T16:00:00.000Z',
        r: 1,
        f: 1,
        m: 2,
        segment: 'hibernating',
      },
      {
        personId: 'b5',
        recencyDays: 15,
        frequency: 2,
        monetary: 80,
        lastPaidAt: '2026-11-15T03:00:00.000Z',
        r: 2,
        f: 3,
        m: 2,
        segment: 'at_risk',
      },
      {
        personId: 'b2',
        recencyDays: 0,
        frequency: 1,
        monetary: 50,
        lastPaidAt: '2026-11-29T16:00:00.000Z',
        r: 4,
        f: 1,
        m: 1,
        segment: 'promising',
      },
    ]);
    const bySegment = Object.fromEntries(
      result.segments.map((s) => [s.id, [s.buyers, s.monetary, s.share]]),
    );
    expect(bySegment).toEqual({
      champions: [0, 0, 0],
      loyal: [1, 600, 0.2],
      potential_loyalists: [0, 0, 0],
      new_customers: [0, 0, 0],
      promising: [1, 50, 0.2],
      need_attention: [1, 1_500, 0.2],
      about_to_sleep: [0, 0, 0],
      cant_lose_them: [0, 0, 0],
      at_risk: [1, 80, 0.2],
      hibernating: [1, 80, 0.2],
    });
    expect(result.cells).toHaveLength(25);
    expect(result.cells.filter((c) => c.buyers > 0)).toEqual([
      { r: 4, f: 5, segment: 'loyal', buyers: 1, monetary: 600 },
      { r: 4, f: 1, segment: 'promising', buyers: 1, monetary: 50 },
      { r: 3, f: 3, segment: 'need_attention', buyers: 1, monetary: 1_500 },
      { r: 2, f: 3, segment: 'at_risk', buyers: 1, monetary: 80 },
      { r: 1, f: 1, segment: 'hibernating', buyers: 1, monetary: 80 },
    ]);
  });

  it('counts days in the project time zone', async () => {
    // UTC November: o5 (paid 16:00Z on the 30th) is inside, o8 (16:00Z on 31 October) outside.
    const utc = await computeRfm(
      f.ctx({ from: at('2026-11-01T00:00:00Z'), to: at('2026-12-01T00:00:00Z'), timeZone: 'UTC' }),
      params,
    );
    expect(utc.buyers).toBe(4);
    expect(utc.topBuyers.find((b) => b.personId === 'b2')).toMatchObject({
      recencyDays: 0,
      frequency: 2,
      monetary: 1_049,
    });
  });

  it('applies filters and the buyer limit', async () => {
    const wechat = await computeRfm(
      f.ctx({
        from: FROM,
        to: TO,
        timeZone: ZONE,
        filters: [{ dimension: 'channel', op: 'eq', value: 'wechat' }],
      }),
      params,
    );
    // A lone buyer beats nobody: 1, 1, 1.
    expect(wechat.topBuyers).toEqual([
      expect.objectContaining({
        personId: 'b1',
        monetary: 600,
        r: 1,
        f: 1,
        m: 1,
        segment: 'hibernating',
      }),
    ]);
    const two = await computeRfm(november(), { limit: 2 });
    expect(two.topBuyers.map((b) => b.personId)).toEqual(['b3', 'b1']);
    expect(two.buyers).toBe(5);
  });

  it('answers zeros for a range without buyers', async () => {
    const empty = await computeRfm(
      f.ctx({ from: at('2026-01-01T00:00:00Z'), to: at('2026-01-02T00:00:00Z'), timeZone: ZONE }),
      params,
    );
    expect(empty.buyers).toBe(0);
    expect(empty.topBuyers).toEqual([]);
    expect(empty.segments.every((s) => s.buyers === 0 && s.share === null)).toBe(true);
    expect(empty.cells.every((c) => c.buyers === 0)).toBe(true);
  });

  it('matches a naive RFM over random orders (property)', async () => {
    let run = 0;
    const order = fc.record({
      who: fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8'),
      anonymous: fc.boolean(),
      offsetMs: fc.integer({ min: -3 * DAY, max: 33 * DAY }),
      amount: fc.integer({ min: 1, max: 5 }).map((n) => n * 100),
      status: fc.constantFrom('paid', 'paid', 'paid', 'cancelled'),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(order, { maxLength: 60 }),
        fc.subarray(['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8']),
        async (orders, linked) => {
          const projectId = `rfm-${(run += 1)}`;
          const rows = orders.map((o, i) =>
            makeOrderRow({
              projectId,
              orderId: `o${i}`,
              userId: o.anonymous ? null : o.who,
              anonymousId: o.anonymous ? `anon-${o.who}` : null,
              status: o.status,
              paidAt: o.status === 'paid' ? FROM + o.offsetMs : null,
              orderTime: FROM + o.offsetMs,
              payAmount: o.amount,
            }),
          );
          await f.load({
            orders: rows,
            identities: linked.map((who) => ({
              projectId,
              anonymousId: `anon-${who}`,
              userId: who,
              linkedAt: FROM,
            })),
          });
          const result = await computeRfm(
            f.ctx({ from: FROM, to: TO, timeZone: ZONE, projectId }),
            params,
          );
          const expected = naiveRfm(rows, new Set(linked));
          expect(result.topBuyers).toEqual(expected);
          expect(result.buyers).toBe(expected.length);
          for (const cell of result.cells)
            expect(cell.buyers).toBe(
              expected.filter((b) => b.r === cell.r && b.f === cell.f).length,
            );
        },
      ),
      { numRuns: 25, seed: 2026 },
    );
  });
});

/** RFM as the docs state it, over plain objects. */
function naiveRfm(
  orders: readonly OrderRow[],
  linked: ReadonlySet<string>,
): RfmResult['topBuyers'] {
  const personOf = (o: OrderRow) => {
    if (o.userId) return o.userId;
    const who = (o.anonymousId ?? '').replace(/^anon-/, '');
    return linked.has(who) ? who : (o.anonymousId as string);
  };
  const byPerson = new Map<string, { frequency: number; monetary: number; last: number }>();
  for (const o of orders) {
    const time = o.paidAt ?? o.orderTime;
    if (o.status !== 'paid' || time < FROM || time >= TO) continue;
    const b = byPerson.get(personOf(o)) ?? { frequency: 0, monetary: 0, last: 0 };
    byPerson.set(personOf(o), {
      frequency: b.frequency + 1,
      monetary: b.monetary + o.payAmount,
      last: Math.max(b.last, time),
    });
  }
  const lastDay = Date.parse(`${toLocalDate(TO - 1, ZONE)}T00:00:00Z`);
  const buyers = [...byPerson].map(([personId, b]) => ({
    personId,
    ...b,
    recencyDays: (lastDay - Date.parse(`${toLocalDate(b.last, ZONE)}T00:00:00Z`)) / DAY,
  }));
  const n = buyers.length;
  const score = (worse: number) => 1 + Math.floor((5 * worse) / n);
  return buyers
    .map((b) => {
      const r = score(buyers.filter((o) => o.recencyDays > b.recencyDays).length);
      const f = score(buyers.filter((o) => o.frequency < b.frequency).length);
      const m = score(buyers.filter((o) => o.monetary < b.monetary).length);
      return {
        personId: b.personId,
        recencyDays: b.recencyDays,
        frequency: b.frequency,
        monetary: b.monetary,
        lastPaidAt: new Date(b.last).toISOString(),
        r,
        f,
        m,
        segment: getRfmSegment(r, f),
      };
    })
    .sort((a, b) => b.monetary - a.monetary || (a.personId < b.personId ? -1 : 1));
}

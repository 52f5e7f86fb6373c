import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLocalDate } from '../../platform/index.ts';
import type { EventRow, OrderRow } from '../../store/index.ts';
import { makeEventRow } from '../../testing/event-row-fixture.ts';
import { makeOrderRow } from '../../testing/order-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../testing/query-fixture.ts';
import type { QueryContext } from '../context/query-context.ts';
import type { GroupBy } from '../series/aggregate-sql.ts';
import type { Series } from '../series/aggregate-series.ts';
import { listBuckets } from '../series/buckets.ts';
import { computeFormula, computeMetricSeries } from '../series/metric-series.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;
// Shanghai local days 2026-11-20 and 2026-11-21.
const D20 = Date.parse('2026-11-19T16:00:00Z');
const D21 = D20 + DAY;
const D22 = D21 + DAY;
const ZONE = 'Asia/Shanghai';

type CostRow = [day: string, channel: string, campaign: string, cost: number];

async function series(
  ctx: QueryContext,
  analysis: 'cac' | 'campaign_roi',
  granularity: 'day' | 'all',
  groupBy: GroupBy | null,
): Promise<Series> {
  const buckets = await listBuckets(ctx, granularity);
  return computeFormula(ctx, { kind: 'analysis', analysis }, { granularity, buckets, groupBy });
}

/** Groups as { key: values } for comparison regardless of order. */
const byKey = (s: Series) => Object.fromEntries(s.groups.map((g) => [String(g.key), g.values]));

describe('acquisition analyses: CAC and campaign ROI', () => {
  let f: QueryFixture;
  const addCosts = (projectId: string, rows: readonly CostRow[]) =>
    f.store.executeInTransaction(
      rows.map(([day, channel, campaign, cost]) => ({
        sql: `INSERT INTO campaign_costs VALUES ($1, CAST($2 AS DATE), $3, $4, $5, 'CNY', now())`,
        params: [projectId, day, channel, campaign, cost],
      })),
    );

  beforeAll(async () => {
    f = await createQueryFixture();
    const visit = (who: Partial<EventRow>, eventTime: number, channel: string | null, extra = {}) =>
      makeEventRow({ ...who, name: 'page_view', type: 'page', eventTime, channel, ...extra });
    const paid = (orderId: string, userId: string, paidAt: number, payAmount: number, extra = {}) =>
      makeOrderRow({ orderId, userId, paidAt, payAmount, ...extra });
    await f.load({
      events: [
        // u1 came from wechat / spring before the range.
        visit({ userId: 'u1' }, D20 - 5 * DAY, 'wechat', { campaign: 'spring' }),
        // u2 first visited anonymously from douyin / spring, later from wechat as u2.
        visit({ anonymousId: 'a2' }, D20 + 2 * HOUR, 'douyin', { campaign: 'spring' }),
        visit({ userId: 'u2', anonymousId: 'a2' }, D20 + 4 * HOUR, 'wechat'),
        // u3: wechat long ago; u4: baidu at local 23:59:59.999 on the 19th.
        visit({ userId: 'u3' }, D20 - 30 * DAY, 'wechat'),
        visit({ userId: 'u4' }, D20 - 1, 'baidu'),
        // u5: no channel; u8: a bot event first (ignored), then baidu.
        visit({ userId: 'u5' }, D20, null),
        visit({ userId: 'u8' }, D20 - DAY, 'spam', { isBot: true }),
        visit({ userId: 'u8' }, D20 + HOUR, 'baidu'),
      ],
      identities: [
        { projectId: 'p_test', anonymousId: 'a2', userId: 'u2', linkedAt: D20 + 4 * HOUR },
      ],
      orders: [
        paid('o1', 'u1', D20 + HOUR, 20_000),
        paid('o1b', 'u1', D21 + HOUR, 3_000),
        paid('o1c', 'u1', D20 + 2 * HOUR, 50_000, { status: 'cancelled', paidAt: null }),
        paid('o2', 'u2', D20 + 5 * HOUR, 8_000),
        paid('o3old', 'u3', D20 - 10 * DAY, 1_000),
        paid('o3', 'u3', D20 + 3 * HOUR, 4_000),
        paid('o4', 'u4', D21 - 1, 2_000),
        paid('o5', 'u5', D21 + 2 * HOUR, 1_500),
        // u6 bought without any recorded event (an imported order).
        paid('o6', 'u6', D21 + 3 * HOUR, 700),
        paid('o7', 'u7', D20 + 6 * HOUR, 900, { status: 'pending', paidAt: null }),
        paid('o8', 'u8', D20 + 6 * HOUR, 500),
      ],
    });
    await addCosts('p_test', [
      ['2026-11-19', 'wechat', '', 99_999],
      ['2026-11-20', 'wechat', '', 10_000],
      ['2026-11-20', 'wechat', 'spring', 6_000],
      ['2026-11-20', 'douyin', 'spring', 4_000],
      ['2026-11-20', 'baidu', '', 3_000],
      ['2026-11-21', 'wechat', '', 5_000],
    ]);
  });
  afterAll(() => f.close());

  const days = () => f.ctx({ from: D20, to: D22, timeZone: ZONE });

  it('CAC: spend over new paying users, blended and by acquisition channel', async () => {
    // New paying users: the 20th u1 (wechat), u2 (douyin, first seen anonymously), u4 (baidu,
    // paid at 23:59:59.999), u8 (baidu); the 21st u5 (no channel), u6 (no event).
    const total = await computeMetricSeries(days(), 'cac', { granularity: 'day' });
    expect(total.groups).toEqual([{ key: null, values: [23_000 / 4, 5_000 / 2] }]);
    const all = await computeMetricSeries(days(), 'cac', { granularity: 'all' });
    expect(all.groups[0]?.values).toEqual([28_000 / 6]);
    const byChannel = await series(days(), 'cac', 'day', { dimension: 'channel' });
    expect(byKey(byChannel)).toEqual({
      wechat: [16_000, null], // no new paying user from wechat on the 21st
      douyin: [4_000, null],
      baidu: [1_500, null],
      null: [null, 0], // u5 and u6: no spend for "no channel"
    });
  });

  it('breaks down by channel through the series engine (trends)', async () => {
    const s = await computeMetricSeries(days(), 'cac', {
      granularity: 'all',
      breakdown: { dimension: 'channel', limit: 10 },
    });
    expect(byKey(s)).toEqual({ wechat: [21_000], douyin: [4_000], baidu: [1_500], null: [0] });
  });

  it('CAC with a filter counts only users whose first visit passes it', async () => {
    const baidu = f.ctx({
      from: D20,
      to: D22,
      timeZone: ZONE,
      filters: [{ dimension: 'channel', op: 'eq', value: 'baidu' }],
    });
    const s = await computeMetricSeries(baidu, 'cac', { granularity: 'day' });
    expect(s.groups[0]?.values).toEqual([1_500, null]);
  });

  it('ROI: GMV of the users a channel or campaign acquired against its spend', async () => {
    const byChannel = await series(days(), 'campaign_roi', 'day', { dimension: 'channel' });
    expect(byKey(byChannel)).toEqual({
      wechat: [(24_000 - 16_000) / 16_000, (3_000 - 5_000) / 5_000],
      douyin: [(8_000 - 4_000) / 4_000, null],
      baidu: [(2_500 - 3_000) / 3_000, null],
      null: [null, null],
    });
    const byCampaign = await series(days(), 'campaign_roi', 'day', { dimension: 'campaign' });
    expect(byKey(byCampaign)).toEqual({
      spring: [(28_000 - 10_000) / 10_000, null],
      // Spend without a campaign against users acquired without one.
      null: [(6_500 - 13_000) / 13_000, (2_200 - 5_000) / 5_000],
    });
    // Without a breakdown: all spend against users of channels with spend that day.
    const total = await computeMetricSeries(days(), 'campaign_roi', { granularity: 'day' });
    expect(total.groups).toEqual([{ key: null, values: [(34_500 - 23_000) / 23_000, -0.4] }]);
  });

  it('has no value inside a segment (spend is not per person)', async () => {
    const inSegment = f.ctx({ from: D20, to: D22, timeZone: ZONE, segmentId: 'seg_any' });
    for (const id of ['cac', 'campaign_roi'])
      expect((await computeMetricSeries(inSegment, id, { granularity: 'day' })).groups).toEqual([
        { key: null, values: [null, null] },
      ]);
  });

  it('answers no value for an empty range', async () => {
    const empty = f.ctx({ from: D20 - 100 * DAY, to: D20 - 99 * DAY, timeZone: ZONE });
    for (const id of ['cac', 'campaign_roi'])
      expect((await computeMetricSeries(empty, id, { granularity: 'day' })).groups).toEqual([
        { key: null, values: [null] },
      ]);
  });

  it('matches a naive computation by channel and day (property)', async () => {
    let run = 0;
    const channel = fc.constantFrom('c1', 'c2', null);
    const person = fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5', 'p6');
    const visit = fc.record({
      who: person,
      channel,
      offsetMs: fc.integer({ min: -5 * DAY, max: 3 * DAY }),
    });
    const order = fc.record({
      who: person,
      offsetMs: fc.integer({ min: -3 * DAY, max: 3 * DAY }),
      amount: fc.integer({ min: 1, max: 50 }).map((n) => n * 100),
      paid: fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
    });
    const cost = fc.record({
      day: fc.constantFrom('2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22'),
      channel: fc.constantFrom('c1', 'c2', 'c3'),
      cost: fc.integer({ min: 0, max: 10_000 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(visit, { maxLength: 40 }),
        fc.array(order, { maxLength: 30 }),
        fc.uniqueArray(cost, { maxLength: 8, selector: (c) => `${c.day}|${c.channel}` }),
        async (visits, orders, costs) => {
          const projectId = `acq-${(run += 1)}`;
          const events = visits.map((v) =>
            makeEventRow({
              projectId,
              userId: v.who,
              name: 'page_view',
              type: 'page',
              channel: v.channel,
              eventTime: D20 + v.offsetMs,
            }),
          );
          const orderRows = orders.map((o, i) =>
            makeOrderRow({
              projectId,
              orderId: `o${i}`,
              userId: o.who,
              status: o.paid ? 'paid' : 'cancelled',
              paidAt: o.paid ? D20 + o.offsetMs : null,
              orderTime: D20 + o.offsetMs,
              payAmount: o.amount,
            }),
          );
          await f.load({ events, orders: orderRows });
          await addCosts(
            projectId,
            costs.map((c) => [c.day, c.channel, '', c.cost] as CostRow),
          );
          const ctx = f.ctx({ from: D20, to: D22, timeZone: ZONE, projectId });
          const want = naiveByChannel(events, orderRows, costs);
          const groupBy = { dimension: 'channel' };
          expect(byKey(await series(ctx, 'cac', 'day', groupBy))).toEqual(want.cac);
          expect(byKey(await series(ctx, 'campaign_roi', 'day', groupBy))).toEqual(want.roi);
        },
      ),
      { numRuns: 25, seed: 2026 },
    );
  });
});

/** CAC and ROI per local day (20th, 21st) and acquisition channel, read off the definitions. */
function naiveByChannel(
  events: readonly EventRow[],
  orders: readonly OrderRow[],
  costs: ReadonlyArray<{ day: string; channel: string; cost: number }>,
) {
  const days = ['2026-11-20', '2026-11-21'];
  const firstOf = <T>(
    rows: readonly T[],
    key: (row: T) => string,
    order: (a: T, b: T) => number,
  ) => {
    const out = new Map<string, T>();
    for (const row of [...rows].sort(order)) if (!out.has(key(row))) out.set(key(row), row);
    return out;
  };
  const firstVisit = firstOf(
    events,
    (e) => e.userId as string,
    (a, b) => a.eventTime - b.eventTime || (a.eventId < b.eventId ? -1 : 1),
  );
  const paid = orders.filter((o) => o.status === 'paid');
  const firstPaid = firstOf(
    paid,
    (o) => o.userId as string,
    (a, b) => (a.paidAt as number) - (b.paidAt as number) || (a.orderId < b.orderId ? -1 : 1),
  );
  const channelOf = (who: string) => String(firstVisit.get(who)?.channel ?? null);
  const cells = new Map<
    string,
    { spend: number; payers: number; gmv: number; hasSpend: boolean; hasGmv: boolean }
  >();
  const cell = (group: string, day: string) => {
    const key = `${group}|${day}`;
    let found = cells.get(key);
    if (!found)
      cells.set(key, (found = { spend: 0, payers: 0, gmv: 0, hasSpend: false, hasGmv: false }));
    return found;
  };
  for (const c of costs)
    if (days.includes(c.day)) {
      const at = cell(c.channel, c.day);
      at.spend += c.cost;
      at.hasSpend = true;
    }
  for (const [who, o] of firstPaid) {
    const day = toLocalDate(o.paidAt as number, ZONE);
    if (days.includes(day)) cell(channelOf(who), day).payers += 1;
  }
  for (const o of paid) {
    const day = toLocalDate(o.paidAt as number, ZONE);
    if (days.includes(day)) {
      const at = cell(channelOf(o.userId as string), day);
      at.gmv += o.payAmount;
      at.hasGmv = true;
    }
  }
  // A group shows in a series when it has a row of either of the series' two measures.
  const cac: Record<string, Array<number | null>> = {};
  const roi: Record<string, Array<number | null>> = {};
  for (const [key, c] of cells) {
    const [group, day] = key.split('|') as [string, string];
    const i = days.indexOf(day);
    if (c.hasSpend || c.payers > 0) {
      const values = (cac[group] ??= days.map(() => null));
      values[i] = c.payers > 0 ? c.spend / c.payers : null;
    }
    if (c.hasSpend || c.hasGmv) {
      const values = (roi[group] ??= days.map(() => null));
      values[i] = c.spend > 0 ? (c.gmv - c.spend) / c.spend : null;
    }
  }
  return { cac, roi };
}

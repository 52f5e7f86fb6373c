import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow } from '../../store/index.ts';
import { makeEventRow } from '../../testing/event-row-fixture.ts';
import { makeOrderRow } from '../../testing/order-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../testing/query-fixture.ts';
import { diagnoseMonth } from './diagnose-month.ts';

const HOUR_MS = 3_600_000;
/** Local wall time in Asia/Shanghai (UTC+8), 2026. */
const local = (month: number, day: number, hour = 12, minute = 0, second = 0) =>
  Date.UTC(2026, month - 1, day, hour, minute, second) - 8 * HOUR_MS;

let next = 0;
function order(
  userId: string,
  at: number,
  productType: string,
  channel: string,
  payAmount: number,
) {
  next += 1;
  return makeOrderRow({ orderId: `o${next}`, userId, productType, channel, payAmount, paidAt: at });
}

function event(userId: string, name: string, at: number): EventRow {
  return makeEventRow({ userId, name, type: 'event', eventTime: at, receivedAt: at });
}

describe('diagnoseMonth', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load({
      orders: [
        order('u0', local(9, 20), 'goods', 'web', 10_000),
        // October: 60000 = goods 30000 + membership 30000; u0 returns, u1–u3 buy first.
        order('u1', local(10, 5), 'goods', 'web', 10_000),
        order('u2', local(10, 10), 'goods', 'web', 10_000),
        order('u0', local(10, 15), 'goods', 'web', 10_000),
        // 23:59:59 on 31 October, local: still October.
        order('u3', local(10, 31, 23, 59, 59), 'membership', 'app', 30_000),
        // November: 80000; u1 and u2 return (40000), u4 and u5 buy first (40000).
        // 00:00:30 on 1 November, local: November (still 31 October in UTC).
        order('u1', local(11, 1, 0, 0, 30), 'membership', 'app', 30_000),
        order('u4', local(11, 5), 'quota', 'web', 10_000),
        order('u5', local(11, 12), 'membership', 'douyin', 20_000),
        order('u5', local(11, 20), 'goods', 'douyin', 10_000),
        order('u2', local(11, 25), 'goods', 'web', 10_000),
      ],
      events: [
        // September cohort: both back on day 30 (5 October).
        ...['s10', 's11'].flatMap((u) => [
          event(u, 'sign_up', local(9, 5)),
          event(u, 'login', local(10, 5)),
        ]),
        // October cohort (3 October): s1, s2 back on day 7; s1 on day 30 (2 November).
        ...['s1', 's2', 's3', 's4'].map((u) => event(u, 'sign_up', local(10, 3))),
        event('s1', 'login', local(10, 10)),
        event('s2', 'login', local(10, 10)),
        event('s1', 'login', local(11, 2)),
        // November cohort (3 November): s5 back on day 7; s9 (28 November) is not complete yet.
        ...['s5', 's6', 's7', 's8'].map((u) => event(u, 'sign_up', local(11, 3))),
        event('s5', 'login', local(11, 10)),
        event('s9', 'sign_up', local(11, 28)),
      ],
    });
  });
  afterAll(() => f.close());

  const november = (projectId = 'p_test') =>
    f.ctx({ projectId, from: local(11, 1, 0), to: local(12, 1, 0) });
  const october = { from: local(10, 1, 0), to: local(11, 1, 0) };

  it('diagnoses mix, new vs returning revenue and cohorts, with one action per finding', async () => {
    const diagnosis = await diagnoseMonth(november(), { previous: october, locale: 'en' });
    expect(diagnosis.findings).toEqual([
      {
        topic: 'order_mix_product_type',
        // goods 30000/60000 → 20000/80000; membership 30000/60000 → 50000/80000; quota 0 → 10000.
        text: 'GMV by product type: goods 50% → 25% (−25.0 pp), membership 50% → 62.5% (+12.5 pp).',
      },
      {
        topic: 'order_mix_channel',
        text: 'GMV by channel: douyin 0% → 37.5% (+37.5 pp), web 50% → 25% (−25.0 pp).',
      },
      {
        topic: 'new_vs_returning_revenue',
        text: 'First-time buyers brought ¥400, 50% of GMV (last month ¥500, 83.33%); returning buyers ¥400, 50% (last month ¥100, 16.67%).',
      },
      {
        topic: 'cohort_health',
        // D7: October 2 of 4, November 1 of 4; D30: September 2 of 2, October 1 of 4.
        text: "Retention: D7 of this month's sign-ups 25% vs 50% for last month's (−25.0 pp); D30 of last month's sign-ups 25% vs 100% for the month before (−75.0 pp).",
      },
    ]);
    expect(diagnosis.actions).toEqual([
      'Review product type goods (pricing, stock, listing): its GMV share fell from 50% to 25%.',
      'Shift budget toward channel douyin while its traffic quality holds: its GMV share rose from 0% to 37.5%.',
      'Strengthen acquisition (first-order offers, channel campaigns): first-time buyer revenue fell from ¥500 to ¥400.',
      "Improve new sign-ups' first week (welcome offers, guidance): D7 retention fell from 50% to 25%.",
    ]);
  });

  it('writes Chinese', async () => {
    const diagnosis = await diagnoseMonth(november(), { previous: october, locale: 'zh-CN' });
    expect(diagnosis.findings.map((finding) => finding.text)).toEqual([
      '按商品类型的 GMV 占比：goods 50% → 25%（−25.0 个百分点），membership 50% → 62.5%（+12.5 个百分点）。',
      '按渠道的 GMV 占比：douyin 0% → 37.5%（+37.5 个百分点），web 50% → 25%（−25.0 个百分点）。',
      '首购客户贡献 ¥400，占 50%（上月 ¥500，占 83.33%）；复购客户 ¥400，占 50%（上月 ¥100，占 16.67%）。',
      '留存：本月注册用户 7 日留存率 25%，上月注册 50%（−25.0 个百分点）；上月注册用户 30 日留存率 25%，前一月注册 100%（−75.0 个百分点）。',
    ]);
    expect(diagnosis.actions[0]).toBe(
      '复盘商品类型 goods（价格、库存、上架）：其 GMV 占比由 50% 降至 25%。',
    );
  });

  it('says when there is nothing to diagnose', async () => {
    const diagnosis = await diagnoseMonth(november('p_empty'), { previous: october, locale: 'en' });
    expect(diagnosis.findings.map((finding) => finding.text)).toEqual([
      'GMV by product type: no paid orders this month to compare.',
      'GMV by channel: no paid orders this month to compare.',
      'No paid orders this month or last month to split between first-time and returning buyers.',
      "Retention: D7 of this month's sign-ups — vs — for last month's; D30 of last month's sign-ups — vs — for the month before.",
    ]);
    expect(diagnosis.actions).toEqual([
      'Check that paid orders reach Sightline: there were none this month.',
      'Check that sign_up events are sent: no sign-up cohort has completed its window, so retention cannot be judged.',
    ]);
  });
});

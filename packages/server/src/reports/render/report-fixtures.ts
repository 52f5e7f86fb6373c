import type { ReportDocument, ReportKind, ReportLocale } from '../report-document.ts';
import { createFixtureSections } from './report-fixture-sections.ts';

export interface ReportFixtureOptions {
  kind?: ReportKind;
  locale?: ReportLocale;
  /** Default "Acme 旗舰店"; tests pass hostile names here. */
  projectName?: string;
}

/** Hand-written report documents for the renderers' tests: every value kind, nulls, CJK. */
export function createReportFixture(options: ReportFixtureOptions = {}): ReportDocument {
  const kind = options.kind ?? 'daily';
  const zh = (options.locale ?? 'zh-CN') === 'zh-CN';
  const t = (zhText: string, enText: string) => (zh ? zhText : enText);
  const monthly = kind === 'monthly';
  const period = monthly
    ? { from: 1793462400000, to: 1796054400000, startDate: '2026-11-01', endDate: '2026-11-30' }
    : { from: 1795104000000, to: 1795190400000, startDate: '2026-11-20', endDate: '2026-11-20' };
  return {
    kind,
    locale: zh ? 'zh-CN' : 'en',
    project: { id: 'prj_acme', name: options.projectName ?? 'Acme 旗舰店' },
    timeZone: 'Asia/Shanghai',
    title: monthly
      ? t('月报 · 2026年11月', 'Monthly report · November 2026')
      : t('日报 · 2026-11-20', 'Daily report · 2026-11-20'),
    period,
    previousPeriod: monthly
      ? { from: 1790784000000, to: 1793462400000, startDate: '2026-10-01', endDate: '2026-10-31' }
      : { from: 1795017600000, to: 1795104000000, startDate: '2026-11-19', endDate: '2026-11-19' },
    lastYearPeriod: monthly
      ? { from: 1761926400000, to: 1764518400000, startDate: '2025-11-01', endDate: '2025-11-30' }
      : { from: 1763568000000, to: 1763654400000, startDate: '2025-11-20', endDate: '2025-11-20' },
    // 2026-11-21 08:00:00 in Asia/Shanghai.
    generatedAt: 1795219200000,
    headline: [
      {
        metric: 'gmv',
        name: 'GMV',
        unit: 'currency',
        value: 1234567,
        previous: 1100000,
        lastYear: null,
        higherIsBetter: true,
      },
      {
        metric: 'orders',
        name: t('订单数', 'Orders'),
        unit: 'count',
        value: 3456,
        previous: 3500,
        lastYear: 3000,
        higherIsBetter: true,
      },
      {
        metric: 'conversion',
        name: t('支付转化率', 'Conversion rate'),
        unit: 'ratio',
        value: 0.1234,
        previous: 0.1111,
        lastYear: 0.1,
        higherIsBetter: true,
      },
      {
        metric: 'refund_rate',
        name: t('退款率', 'Refund rate'),
        unit: 'ratio',
        value: 0.052,
        previous: 0.04,
        lastYear: 0.05,
        higherIsBetter: false,
      },
      {
        metric: 'api_p95',
        name: t('接口 P95 延迟', 'API latency p95'),
        unit: 'ms',
        value: 850,
        previous: 1520,
        lastYear: null,
        higherIsBetter: false,
      },
      {
        metric: 'new_users',
        name: t('新用户', 'New users'),
        unit: 'users',
        value: null,
        previous: 1200,
        lastYear: 980,
        higherIsBetter: true,
      },
      {
        metric: 'coupon_gmv',
        name: t('优惠券 GMV', 'Coupon GMV'),
        unit: 'currency',
        value: 50050,
        previous: 0,
        lastYear: 0,
        higherIsBetter: true,
      },
    ],
    explanations: [
      {
        metric: 'gmv',
        metricName: 'GMV',
        unit: 'currency',
        current: 1234567,
        previous: 1100000,
        change: 134567,
        dimension: 'channel',
        drivers: [
          {
            dimension: 'channel',
            dimensionName: t('渠道', 'Channel'),
            segment: 'douyin',
            current: 700000,
            previous: 580000,
            contribution: 120000,
            share: 0.8917,
          },
          {
            dimension: 'channel',
            dimensionName: t('渠道', 'Channel'),
            segment: '<b>wechat</b>',
            current: 334567,
            previous: 320000,
            contribution: 14567,
            share: 0.1083,
          },
          {
            dimension: 'channel',
            dimensionName: t('渠道', 'Channel'),
            segment: '$other',
            current: 200000,
            previous: null,
            contribution: 0,
            share: 0,
          },
        ],
        text: t(
          'GMV 环比增长 12.2%，主要来自抖音渠道（贡献 89.2%）。',
          'GMV rose 12.2%, mostly from Douyin (89.2% of the change).',
        ),
      },
      {
        metric: 'api_p95',
        metricName: t('接口 P95 延迟', 'API latency p95'),
        unit: 'ms',
        current: 850,
        previous: 1520,
        change: -670,
        dimension: null,
        drivers: [],
        text: t('接口 P95 延迟下降 44.1%。', 'API latency p95 fell 44.1%.'),
      },
    ],
    suggestions: [
      {
        rule: 'refund_spike_product',
        severity: 'warning',
        text: t(
          '退款率上升到 5.2%，请检查商品 SKU-42 的质量反馈。',
          'Refund rate rose to 5.2%: check quality feedback on SKU-42.',
        ),
      },
      {
        rule: 'stock_low',
        severity: 'critical',
        text: t('3 个热销商品库存不足 2 天。', '3 best sellers have under 2 days of stock.'),
      },
      {
        rule: 'channel_growth',
        severity: 'info',
        text: t(
          '抖音渠道增长明显，可考虑加大投放。',
          'Douyin is growing: consider more spend there.',
        ),
      },
    ],
    diagnosis: monthly
      ? {
          findings: [
            {
              topic: t('订单结构', 'Order mix'),
              text: t(
                '客单价提升 8%，大单占比上升。',
                'Average order value up 8%, more large orders.',
              ),
            },
            {
              topic: t('新老客', 'New vs returning'),
              text: t('老客贡献 64% 的收入。', 'Returning customers brought 64% of revenue.'),
            },
          ],
          actions: [
            t(
              '为复购率下降的 9 月新客群安排召回活动。',
              'Run a win-back campaign for the September cohort.',
            ),
            t('补货 SKU-42 与 SKU-77。', 'Restock SKU-42 and SKU-77.'),
          ],
        }
      : null,
    sections: createFixtureSections(zh),
    dashboardUrl:
      'https://sightline.example.com/p/prj_acme/overview?from=2026-11-20&to=2026-11-20&a=1',
  };
}

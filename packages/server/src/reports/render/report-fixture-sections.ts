import type { ReportSection } from '../report-document.ts';

/** The fixture's sections: a chart of each kind, nulls, a Chinese title, titles to sanitise. */
export function createFixtureSections(zh: boolean): ReportSection[] {
  const t = (zhText: string, enText: string) => (zh ? zhText : enText);
  const dates = [
    '2026-11-14',
    '2026-11-15',
    '2026-11-16',
    '2026-11-17',
    '2026-11-18',
    '2026-11-19',
    '2026-11-20',
  ];
  const gmv = [980000, 1010000, null, 1150000, 1090000, 1100000, 1234567];
  return [
    {
      id: 'orders',
      title: t('订单/退款：每日 [全部渠道]?', 'Orders / refunds: daily [all channels]?'),
      summary: t('近 7 天 GMV 稳步上升。', 'GMV rose steadily over the last 7 days.'),
      table: {
        columns: [
          { key: 'date', label: t('日期', 'Date'), unit: 'date' },
          { key: 'gmv', label: 'GMV', unit: 'currency' },
          { key: 'orders', label: t('订单数', 'Orders'), unit: 'count' },
          { key: 'conversion', label: t('转化率', 'Conversion'), unit: 'ratio' },
        ],
        rows: dates.map((date, i) => [
          date,
          gmv[i] ?? null,
          3000 + i * 71,
          i === 2 ? null : 0.1 + i / 200,
        ]),
      },
      chart: {
        id: 'orders-trend',
        title: t('GMV 趋势', 'GMV trend'),
        kind: 'line',
        unit: 'currency',
        categories: dates.map((d) => d.slice(5)),
        series: [
          { name: t('本期', 'This period'), values: gmv },
          {
            name: t('上期', 'Previous period'),
            values: [900000, 950000, 1000000, 1000000, 1050000, 1080000, 1100000],
          },
        ],
      },
    },
    {
      id: 'channels',
      title: t('渠道 GMV 占比', 'GMV by channel'),
      table: {
        columns: [
          { key: 'channel', label: t('渠道', 'Channel'), unit: 'text' },
          { key: 'gmv', label: 'GMV', unit: 'currency' },
          { key: 'share', label: t('占比', 'Share'), unit: 'ratio' },
        ],
        rows: [
          [t('抖音', 'Douyin'), 700000, 0.567],
          [t('微信小程序', 'WeChat mini program'), 334567, 0.271],
          ['App', 120000, 0.0972],
          [t('其他', 'Other'), 80000, 0.0648],
        ],
      },
      chart: {
        id: 'channel-share',
        title: t('渠道 GMV 占比', 'GMV by channel'),
        kind: 'pie',
        unit: 'currency',
        categories: [
          t('抖音', 'Douyin'),
          t('微信小程序', 'WeChat mini program'),
          'App',
          t('其他', 'Other'),
        ],
        series: [{ name: 'GMV', values: [700000, 334567, 120000, 80000] }],
      },
    },
    {
      id: 'latency',
      title: t('接口延迟', 'API latency'),
      summary: t('结算接口最慢。', 'Checkout is the slowest endpoint.'),
      table: {
        columns: [
          { key: 'route', label: t('接口', 'Route'), unit: 'text' },
          { key: 'p95', label: 'P95', unit: 'ms' },
          { key: 'requests', label: t('请求数', 'Requests'), unit: 'count' },
        ],
        rows: [
          ['/api/checkout', 1520, 120345],
          ['/api/cart', 640, 98211],
          ['/api/search', 310.5, 456789],
        ],
      },
      chart: {
        id: 'latency-bar',
        title: t('各接口 P95 延迟', 'p95 latency by route'),
        kind: 'bar',
        unit: 'ms',
        categories: ['/api/checkout', '/api/cart', '/api/search'],
        series: [
          { name: t('本期', 'This period'), values: [1520, 640, 310.5] },
          { name: t('上期', 'Previous period'), values: [1400, null, 330] },
        ],
      },
    },
    {
      id: 'top-products',
      title: t(
        '本期按销售额排名前列的商品明细表（全部渠道，含已退款及部分退款的订单）',
        'Top products by revenue in the period (all channels)',
      ),
      table: {
        columns: [
          { key: 'sku', label: 'SKU', unit: 'text' },
          { key: 'gmv', label: 'GMV', unit: 'currency' },
          { key: 'units', label: t('件数', 'Units'), unit: 'count' },
        ],
        rows: [
          ['SKU-42', 250000, 125],
          ['SKU-77', 199999, null],
        ],
      },
    },
    {
      id: 'top-products-region',
      title: t(
        '本期按销售额排名前列的商品明细表（按地区，含已退款及部分退款的订单）',
        'Top products by revenue in the period (by region)',
      ),
      table: {
        columns: [
          { key: 'region', label: t('地区', 'Region'), unit: 'text' },
          { key: 'gmv', label: 'GMV', unit: 'currency' },
        ],
        rows: [[t('浙江省', 'Zhejiang'), 123400]],
      },
    },
  ];
}

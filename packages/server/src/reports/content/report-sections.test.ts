import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryCache, findReport, runReport } from '../../queries/index.ts';
import { createQueryFixture, type QueryFixture } from '../../testing/query-fixture.ts';
import type { ReportKind, ReportLocale, ReportSection } from '../report-document.ts';
import type { ReportSectionId } from '../report-schema.ts';
import { buildReportContent } from './build-report-content.ts';
import type { AlertHistoryReader, AlertHistoryRow } from './content-types.ts';
import { atLocal, CONTENT_ROWS, NOW, PERIODS, PROJECT } from './content-test-data.ts';

describe('report sections', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load(CONTENT_ROWS);
  });
  afterAll(async () => {
    await f.close();
  });

  async function build(
    kind: ReportKind,
    id: ReportSectionId,
    options: { locale?: ReportLocale; now?: number; alertHistory?: AlertHistoryReader } = {},
  ) {
    const content = await buildReportContent(
      {
        eventStore: f.store,
        queryCache: createQueryCache({ store: f.store }),
        now: options.now ?? NOW,
        alertHistory: options.alertHistory ?? (() => Promise.resolve([])),
      },
      {
        project: PROJECT,
        kind,
        ...PERIODS[kind],
        locale: options.locale ?? 'en',
        sections: [id],
      },
    );
    const [section] = content.sections;
    if (!section) throw new Error(`no ${id} section`);
    return { section, headline: content.headline };
  }

  const labels = (section: ReportSection) => section.table.columns.map((c) => c.label);

  it('users: DAU (by hour: active in the hour), new and returning users', async () => {
    const { section } = await build('daily', 'users');
    expect(labels(section)).toEqual(['Hour', 'Active users', 'New users', 'Returning users']);
    expect(section.table.rows[9]).toEqual(['2026-11-01 09:00', 1, 0, 1]);
    expect(section.table.rows[13]).toEqual(['2026-11-01 13:00', 1, 1, 0]);
    expect(section.table.rows.at(-1)).toEqual(['Total', 2, 1, 1]);
    expect(section.summary).toBe('Daily active users averaged 2; new users 1, returning users 1.');
    expect(section.chart?.series.map((s) => s.name)).toEqual([
      'Active users',
      'New users',
      'Returning users',
    ]);
  });

  it('retention: sign-up cohorts with D1 and D7 in a weekly report', async () => {
    const { section } = await build('weekly', 'retention');
    expect(labels(section)).toEqual(['Sign-up day', 'Signed up', 'D1 retention', 'D7 retention']);
    expect(section.table.rows).toHaveLength(8);
    expect(section.table.rows[5]).toEqual(['2026-10-31', 1, 1, 0]);
    expect(section.table.rows[6]).toEqual(['2026-11-01', 1, 0, 0]);
    expect(section.table.rows[7]).toEqual(['Average', 2, 0.5, 0]);
    expect(section.summary).toBe('2 people signed up over 7 days; average D1 retention 50.0%.');
  });

  it('retention: a daily report shows the last 7 sign-up days, D1 empty until it ends', async () => {
    const { section } = await build('daily', 'retention', {
      now: atLocal('2026-11-02T08:00:00'),
    });
    expect(section.table.rows.map((row) => row[0])).toEqual([
      '2026-10-26',
      '2026-10-27',
      '2026-10-28',
      '2026-10-29',
      '2026-10-30',
      '2026-10-31',
      '2026-11-01',
      'Average',
    ]);
    expect(section.table.rows[5]).toEqual(['2026-10-31', 1, 1]);
    expect(section.table.rows[6]).toEqual(['2026-11-01', 1, null]);
    expect(section.table.rows[7]).toEqual(['Average', 2, 1]);
  });

  it('products and agents: the top lists of the period', async () => {
    const products = (await build('weekly', 'products')).section;
    expect(labels(products)).toEqual(['Product', 'Revenue', 'Quantity', 'Paid orders']);
    expect(products.table.rows).toEqual([
      ['p2', 25_000, 1, 1],
      ['p1', 15_000, 3, 2],
    ]);
    expect(products.chart).toMatchObject({ kind: 'bar', categories: ['p2', 'p1'] });
    expect(products.summary).toBe(
      'p2 sold most, ¥250.00 (62.5% of ¥400.00 product revenue); 2 products sold.',
    );
    const agents = (await build('weekly', 'agents')).section;
    expect(agents.table.rows).toEqual([
      ['a1', 25_000, 1, 2_500, 0.1],
      ['a2', 7_000, 1, 700, 0.1],
    ]);
    expect(agents.summary).toBe('2 agents sold ¥320.00 in 2 orders, earning ¥32.00 in commission.');
  });

  it('commissions: per day with the totals', async () => {
    const { section } = await build('weekly', 'commissions', { locale: 'zh-CN' });
    expect(labels(section)).toEqual(['日期', '佣金', '佣金比例', '分销 GMV']);
    expect(section.table.rows[0]).toEqual(['2026-10-26', 700, 0.1, 7_000]);
    expect(section.table.rows.at(-1)).toEqual(['合计', 3_200, 0.1, 32_000]);
    expect(section.summary).toBe('佣金总额 ¥32.00，分销 GMV ¥320.00，佣金比例 10.0%。');
  });

  it('tasks: rates per hour and a pie of failures by error code', async () => {
    const { section } = await build('daily', 'tasks');
    expect(section.table.rows[11]).toEqual(['2026-11-01 11:00', 1, 0, 1]);
    expect(section.table.rows.at(-1)).toEqual(['Total', 4, 0.25, 0.75]);
    expect(section.chart).toMatchObject({
      kind: 'pie',
      categories: ['E_TIMEOUT', 'E_QUOTA'],
      series: [{ values: [2, 1] }],
    });
    expect(section.summary).toBe('4 tasks, success rate 25.0%; most failures: E_TIMEOUT (2).');
  });

  it('api: the busiest endpoints as the API SLI report gives them', async () => {
    const { section, headline } = await build('daily', 'api');
    const report = findReport('api_sli');
    if (!report) throw new Error('no api_sli');
    const direct = await runReport(
      { eventStore: f.store, cache: createQueryCache({ store: f.store }), now: NOW },
      report,
      PROJECT,
      { from: '2026-11-01', to: '2026-11-01', granularity: 'all', limit: 10, seriesLimit: 0 },
      [],
    );
    const endpoints = (direct.result as { endpoints: Array<{ endpoint: string }> }).endpoints;
    expect(section.table.rows.map((row) => row[0])).toEqual(endpoints.map((e) => e.endpoint));
    expect(section.table.rows).toEqual([
      ['GET /api/products', 2, 0.5, 200, 290, 298, 0.5],
      ['POST /api/orders', 1, 1, 50, 50, 50, 0],
    ]);
    // The summary's error rate is the headline's api_error_rate.
    expect(headline.find((kpi) => kpi.metric === 'api_error_rate')?.value).toBeCloseTo(1 / 3, 12);
    expect(section.summary).toBe(
      '3 requests on 2 endpoints; API error rate 33.3%, availability 66.7%.',
    );
  });

  describe('alerts', () => {
    const row = (
      id: number,
      at: string,
      toState: string,
      labels?: Record<string, string>,
      kind = 'transition',
    ): AlertHistoryRow => ({
      id,
      alertId: `al_${id}`,
      at: atLocal(at),
      kind,
      fromState: null,
      toState,
      value: null,
      labels,
    });
    const rule = (name: string, severity: string, more: Record<string, string> = {}) => ({
      alertname: name,
      severity,
      ...more,
    });

    it('lists the transitions of the period at local time, oldest first', async () => {
      const asked: Array<{ projectId: string; from: number; to: number }> = [];
      const history: AlertHistoryReader = (projectId, range) => {
        asked.push({ projectId, ...range });
        return Promise.resolve([
          row(4, '2026-11-01T23:59:59', 'resolved', rule('GMV drop', 'P1')),
          row(3, '2026-11-01T13:05:07', 'firing', rule('GMV drop', 'P1', { channel: 'app' })),
          row(5, '2026-11-01T14:00:00', 'firing', rule('GMV drop', 'P1'), 'acknowledged'),
          row(2, '2026-11-01T00:00:00', 'pending', undefined),
          row(1, '2026-10-31T23:59:59', 'firing', rule('API errors', 'P0')),
        ]);
      };
      const { section } = await build('daily', 'alerts', { alertHistory: history });
      expect(asked).toEqual([
        { projectId: 'p_test', from: PERIODS.daily.period.from, to: PERIODS.daily.period.to },
      ]);
      expect(labels(section)).toEqual(['Time', 'Rule', 'Severity', 'State', 'Labels']);
      expect(section.table.rows).toEqual([
        ['2026-11-01 00:00:00', 'al_2', '—', 'Pending', ''],
        ['2026-11-01 13:05:07', 'GMV drop', 'P1', 'Firing', 'channel=app'],
        ['2026-11-01 23:59:59', 'GMV drop', 'P1', 'Resolved', ''],
      ]);
      expect(section.summary).toBe('3 alert state changes: P1 2, — 1.');
      expect(section.chart).toBeUndefined();
      const zh = await build('daily', 'alerts', { alertHistory: history, locale: 'zh-CN' });
      expect(zh.section.table.rows[1]).toEqual([
        '2026-11-01 13:05:07',
        'GMV drop',
        'P1',
        '触发',
        'channel=app',
      ]);
      expect(zh.section.summary).toBe('告警状态变化 3 次：P1 2 次，— 1 次。');
    });

    it('an empty period: no rows, and says so', async () => {
      const { section } = await build('monthly', 'alerts', { locale: 'zh-CN' });
      expect(section.table.rows).toEqual([]);
      expect(section.summary).toBe('本期没有告警。');
    });
  });
});

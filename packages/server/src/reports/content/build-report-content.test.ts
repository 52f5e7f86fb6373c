import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryCache, findReport, runReport } from '../../queries/index.ts';
import { createQueryFixture, type QueryFixture } from '../../testing/query-fixture.ts';
import { REPORT_KINDS, type ReportKind, type ReportLocale } from '../report-document.ts';
import { REPORT_SECTIONS, type ReportSectionId } from '../report-schema.ts';
import { HEADLINE_METRICS } from './build-headline.ts';
import { buildReportContent } from './build-report-content.ts';
import type { AlertHistoryReader } from './content-types.ts';
import { CONTENT_ROWS, EXPECTED, NOW, PERIODS, PROJECT } from './content-test-data.ts';

const noAlerts: AlertHistoryReader = () => Promise.resolve([]);
const BUCKETS: Record<ReportKind, number> = { daily: 24, weekly: 7, monthly: 31 };
const ZH_WORDS = new Map([
  ['Total', '合计'],
  ['Average', '平均'],
]);

interface KpisAnswer {
  kpis: Array<{
    value: number | null;
    previous: number | null;
    name: { en: string };
    higherIsBetter: boolean;
  }>;
}
interface TrendsAnswer {
  buckets: Array<{ label: string }>;
  series: Array<{ groups: Array<{ total: number | null; values: Array<number | null> }> }>;
}

describe('buildReportContent', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load(CONTENT_ROWS);
  });
  afterAll(async () => {
    await f.close();
  });

  const build = (
    kind: ReportKind,
    options: { locale?: ReportLocale; sections?: ReportSectionId[]; projectId?: string } = {},
  ) =>
    buildReportContent(
      {
        eventStore: f.store,
        queryCache: createQueryCache({ store: f.store }),
        now: NOW,
        alertHistory: noAlerts,
      },
      {
        project: { ...PROJECT, id: options.projectId ?? PROJECT.id },
        kind,
        ...PERIODS[kind],
        locale: options.locale ?? 'en',
        sections: options.sections ?? [...REPORT_SECTIONS],
      },
    );

  /** The query API's answer to a request, from a cache of its own (computed afresh). */
  async function runDirect<T>(report: string, request: Record<string, unknown>): Promise<T> {
    const found = findReport(report);
    if (!found) throw new Error(`no report ${report}`);
    const deps = { eventStore: f.store, cache: createQueryCache({ store: f.store }), now: NOW };
    return (await runReport(deps, found, PROJECT, request, [])).result as T;
  }

  describe.each(REPORT_KINDS)('%s report', (kind) => {
    const { period, previousPeriod } = PERIODS[kind];
    const range = { from: period.startDate, to: period.endDate };

    it('headline figures are the kpis answers for the period, last year and the previous period', async () => {
      const content = await build(kind);
      const metrics = [...HEADLINE_METRICS];
      const current = await runDirect<KpisAnswer>('kpis', { ...range, metrics, compare: 'year' });
      const previous = await runDirect<KpisAnswer>('kpis', {
        from: previousPeriod.startDate,
        to: previousPeriod.endDate,
        metrics,
      });
      expect(content.headline.map((kpi) => kpi.metric)).toEqual(metrics);
      content.headline.forEach((kpi, i) => {
        expect(kpi.value).toBe(current.kpis[i]?.value);
        expect(kpi.lastYear).toBe(current.kpis[i]?.previous);
        expect(kpi.previous).toBe(previous.kpis[i]?.value);
        expect(kpi.name).toBe(current.kpis[i]?.name.en);
        expect(kpi.higherIsBetter).toBe(current.kpis[i]?.higherIsBetter);
      });
      const byId = new Map(content.headline.map((kpi) => [kpi.metric, kpi]));
      const figures = (id: string) => {
        const kpi = byId.get(id);
        return [kpi?.value, kpi?.previous, kpi?.lastYear];
      };
      expect(figures('gmv')).toEqual(EXPECTED[kind].gmv);
      expect(figures('orders')).toEqual(EXPECTED[kind].orders);
      expect(byId.get('gmv')?.unit).toBe('currency');
      expect(byId.get('refund_rate_amount')?.unit).toBe('ratio');
      expect(byId.get('refund_amount')?.higherIsBetter).toBe(false);
    });

    it('orders section: a row per bucket and a total row equal to the trends totals', async () => {
      const [orders] = (await build(kind, { sections: ['orders'] })).sections;
      const granularity = kind === 'daily' ? 'hour' : 'day';
      const trends = await runDirect<TrendsAnswer>('trends', {
        ...range,
        granularity,
        series: ['orders', 'gmv', 'refund_amount', 'aov'].map((metric) => ({ metric })),
      });
      expect(orders?.id).toBe('orders');
      expect(orders?.table.columns.map((c) => c.label)).toEqual([
        kind === 'daily' ? 'Hour' : 'Date',
        'Paid orders',
        'GMV',
        'Refund amount',
        'AOV',
      ]);
      const rows = orders?.table.rows ?? [];
      expect(rows).toHaveLength(BUCKETS[kind] + 1);
      expect(rows.at(-1)).toEqual(['Total', ...trends.series.map((s) => s.groups[0]?.total)]);
      expect(rows.at(-1)?.slice(1, 3)).toEqual([EXPECTED[kind].orders[0], EXPECTED[kind].gmv[0]]);
      expect(rows.slice(0, -1).map((row) => row[0])).toEqual(trends.buckets.map((b) => b.label));
      expect(orders?.chart?.series[0]?.values).toEqual(trends.series[1]?.groups[0]?.values);
    });
  });

  it('daily: buckets are the local hours, and the numbers land in the right ones', async () => {
    const [orders] = (await build('daily', { sections: ['orders'] })).sections;
    const rows = orders?.table.rows ?? [];
    expect(rows[0]).toEqual(['2026-11-01 00:00', 1, 10_000, 0, 10_000]);
    expect(rows[13]).toEqual(['2026-11-01 13:00', 1, 25_000, 0, 25_000]);
    expect(rows[15]?.slice(0, 4)).toEqual(['2026-11-01 15:00', 0, 0, 5_000]);
    expect(orders?.summary).toBe('2 paid orders, GMV ¥350.00, refunds ¥50.00, AOV ¥175.00.');
  });

  it('monthly: the month boundary holds on both sides', async () => {
    const [orders] = (await build('monthly', { sections: ['orders'] })).sections;
    const rows = orders?.table.rows ?? [];
    expect(rows[0]?.slice(0, 3)).toEqual(['2026-10-01', 1, 4_000]);
    expect(rows[24]?.slice(0, 3)).toEqual(['2026-10-25', 1, 3_000]);
    expect(rows[30]?.slice(0, 3)).toEqual(['2026-10-31', 1, 5_000]);
  });

  it('builds only the asked sections, in the catalogue order', async () => {
    const content = await build('weekly', { sections: ['alerts', 'orders', 'api', 'orders'] });
    expect(content.sections.map((s) => s.id)).toEqual(['orders', 'api', 'alerts']);
    const all = await build('weekly');
    expect(all.sections.map((s) => s.id)).toEqual([...REPORT_SECTIONS]);
  });

  it('speaks the report language: titles, labels, names and summaries', async () => {
    const en = await build('daily');
    const zh = await build('daily', { locale: 'zh-CN' });
    en.sections.forEach((section, i) => {
      const other = zh.sections[i];
      expect(other?.id).toBe(section.id);
      expect(other?.title).not.toBe(section.title);
      expect(other?.summary).not.toBe(section.summary);
      expect(other?.table.rows).toEqual(
        section.table.rows.map((row) => row.map((cell) => ZH_WORDS.get(String(cell)) ?? cell)),
      );
    });
    expect(zh.sections[0]?.table.columns[0]?.label).toBe('时段');
    expect(zh.headline.find((kpi) => kpi.metric === 'gmv')?.name).toBe('GMV（支付金额）');
    expect(en.headline.find((kpi) => kpi.metric === 'gmv')?.name).toBe('GMV (paid)');
  });

  it('an empty project gives every section with zero or empty values', async () => {
    for (const kind of REPORT_KINDS) {
      const content = await build(kind, { projectId: 'p_empty' });
      expect(content.sections.map((s) => s.id)).toEqual([...REPORT_SECTIONS]);
      const byId = new Map(content.headline.map((kpi) => [kpi.metric, kpi]));
      expect([byId.get('orders')?.value, byId.get('orders')?.previous]).toEqual([0, 0]);
      expect(byId.get('aov')?.value).toBeNull();
      const orders = content.sections[0];
      expect(orders?.table.rows).toHaveLength(BUCKETS[kind] + 1);
      expect(orders?.table.rows.at(-1)).toEqual(['Total', 0, 0, 0, null]);
      for (const id of ['products', 'agents', 'api', 'alerts'])
        expect(content.sections.find((s) => s.id === id)?.table.rows).toEqual([]);
      expect(content.sections.find((s) => s.id === 'alerts')?.summary).toBe(
        'There were no alerts in this period.',
      );
    }
  });
});

import type { MetricUnit } from '@sightline/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatValue } from '../../packages/dashboard/src/lib/format.ts';
import type {
  ApiSliResult,
  ErrorGroupsResult,
  QualityAnswer,
} from '../../packages/dashboard/src/pages/tech/tech-types.ts';
import { launchChromium, screenshot } from '../support/chromium.ts';
import { apiReport, signIn, startDemoServer, type DemoServer } from '../support/dashboard.ts';

interface Kpi {
  metric: string;
  unit: string;
  value: number | null;
}
type Locale = 'en' | 'zh-CN';

const KPI_METRICS = [
  'api_requests',
  'api_latency_p95',
  'api_5xx_rate',
  'api_error_rate',
  'api_timeout_rate',
  'js_errors',
  'js_error_users',
  'web_vital_lcp_p75',
  'web_vital_inp_p75',
  'web_vital_cls_p75',
  'ws_connections',
  'ws_disconnect_rate',
];

/**
 * The Tech page in real Chromium against a real server with 30 days of demo data: KPI cards,
 * the API SLI table with its slow flags and sorting, error groups and one group's stack, web
 * vitals, ingest quality — each number checked against the API for the same request.
 */
describe('dashboard tech page in real Chromium', () => {
  let server: DemoServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** The API's KPI values for a range, as the cards show them. */
  async function apiKpis(body: Record<string, unknown>, locale: Locale) {
    const { kpis } = await apiReport<{ kpis: Kpi[] }>(server, 'kpis', {
      metrics: KPI_METRICS,
      compare: 'previous',
      ...body,
    });
    return Object.fromEntries(
      kpis.map((kpi) => [kpi.metric, formatValue(kpi.value, kpi.unit as MetricUnit, locale)]),
    );
  }

  /** The range a report resolved (the page asks the quality endpoint for the same instants). */
  async function resolvedRange(body: Record<string, unknown>) {
    const answer = await server.t.app.fastify.inject({
      method: 'POST',
      url: '/api/v1/projects/demo/reports/kpis',
      headers: { authorization: `Bearer ${server.t.adminToken}` },
      payload: { metrics: ['api_requests'], ...body },
    });
    return answer.json<{ from: string; to: string }>();
  }
  async function apiQuality(body: Record<string, unknown>): Promise<QualityAnswer> {
    const { from, to } = await resolvedRange(body);
    const answer = await server.t.app.fastify.inject({
      method: 'GET',
      url: `/api/v1/projects/demo/quality?${new URLSearchParams({ from, to }).toString()}`,
      headers: { authorization: `Bearer ${server.t.adminToken}` },
    });
    expect(answer.statusCode).toBe(200);
    return answer.json<QualityAnswer>();
  }

  const cardValue = (page: Page, metric: string) =>
    page.locator(`[data-metric="${metric}"] [data-testid="kpi-value"]`).innerText();
  const sliRows = (page: Page) => page.locator('[data-testid=sli-table] tbody tr');
  /** The shown text of a column (1-based) of the SLI table, top to bottom. */
  const sliColumn = (page: Page, column: number) =>
    page.locator(`[data-testid=sli-table] tbody tr td:nth-child(${column})`).allInnerTexts();
  const qualityValue = (page: Page, key: string) =>
    page.locator(`[data-quality="${key}"] [data-testid=quality-value]`).innerText();

  async function openTech(locale: 'en-US' | 'zh-CN', query = '') {
    const signed = await signIn(browser, server, { locale, path: `/p/demo/tech${query}` });
    await signed.page.waitForSelector('[data-metric="api_requests"] [data-testid="kpi-value"]');
    await signed.page.waitForSelector('[data-testid=sli-table] tbody tr');
    return signed;
  }

  it('shows the KPI cards, endpoints, error groups, vitals and ingest quality as the API does', async () => {
    const { context, page, problems } = await openTech('en-US');
    const range = { range: 'last_30_days' };

    // Cards.
    const kpis = await apiKpis(range, 'en');
    expect(await page.locator('[data-testid=kpis] .kpi').count()).toBe(KPI_METRICS.length);
    for (const metric of KPI_METRICS)
      expect(await cardValue(page, metric), metric).toBe(kpis[metric]);
    expect(kpis.api_requests).not.toBe('0');

    // Endpoints: the API's order, numbers and slow flags (none is above 1.5 s in the demo).
    const sli = await apiReport<ApiSliResult>(server, 'api_sli', {
      ...range,
      granularity: 'day',
      slowThresholdMs: 1500,
      seriesLimit: 5,
    });
    expect(sli.endpoints.length).toBeGreaterThan(3);
    await expect.poll(() => sliRows(page).count()).toBe(sli.endpoints.length);
    expect(await sliColumn(page, 1)).toEqual(sli.endpoints.map((e) => e.endpoint));
    expect(await sliColumn(page, 2)).toEqual(
      sli.endpoints.map((e) => formatValue(e.requests, 'count', 'en')),
    );
    expect(await sliColumn(page, 5)).toEqual(
      sli.endpoints.map((e) => formatValue(e.latencyMs.p95, 'ms', 'en')),
    );
    expect(await page.locator('.slow-chip').count()).toBe(
      sli.endpoints.filter((e) => e.slow).length,
    );

    // A lower limit flags the endpoints the API flags.
    const strict = await apiReport<ApiSliResult>(server, 'api_sli', {
      ...range,
      granularity: 'day',
      slowThresholdMs: 150,
      seriesLimit: 5,
    });
    const slow = strict.endpoints.filter((e) => e.slow).map((e) => e.endpoint);
    expect(slow.length).toBeGreaterThan(0);
    await page.fill('[data-testid=slow-threshold]', '150');
    await page.press('[data-testid=slow-threshold]', 'Enter');
    await expect.poll(() => page.locator('.slow-chip').count()).toBe(slow.length);
    const flags = await sliColumn(page, 11);
    expect(strict.endpoints.filter((_, i) => flags[i] === '⚠ slow').map((e) => e.endpoint)).toEqual(
      slow,
    );

    // Sorting by p95: the slowest endpoint first.
    await page.click('[data-testid=sli-table] th:nth-child(5) button');
    const slowest = [...strict.endpoints].sort(
      (a, b) => (b.latencyMs.p95 ?? -1) - (a.latencyMs.p95 ?? -1),
    )[0];
    expect((await sliColumn(page, 1))[0]).toBe(slowest?.endpoint);
    expect(
      await page.locator('[data-testid=sli-table] th:nth-child(5)').getAttribute('aria-sort'),
    ).toBe('descending');

    // Charts: 2 endpoint trends, 5 vitals, 3 ingest charts, all drawn, none empty.
    await expect.poll(() => page.locator('[data-testid=chart] canvas').count()).toBe(10);
    expect(await page.locator('[data-testid=chart-empty]').count()).toBe(0);
    for (const metric of ['web_vital_lcp_p75', 'web_vital_ttfb_p75'])
      expect(await page.locator(`[data-vital="${metric}"] canvas`).count()).toBe(1);

    // Error groups, then one group's detail with its stack and occurrences.
    const errors = await apiReport<ErrorGroupsResult>(server, 'error_groups', {
      ...range,
      limit: 50,
    });
    expect(errors.groups.length).toBeGreaterThan(0);
    const groups = page.locator('[data-testid=error-group]');
    await expect.poll(() => groups.count()).toBe(errors.groups.length);
    const top = errors.groups[0]!;
    expect(await groups.first().getAttribute('data-fingerprint')).toBe(top.fingerprint);
    expect(await groups.first().locator('[data-testid=group-count]').innerText()).toBe(
      formatValue(top.count, 'count', 'en'),
    );
    expect(await groups.first().locator('[data-testid=group-users]').innerText()).toBe(
      formatValue(top.users, 'count', 'en'),
    );
    const detail = await apiReport<ErrorGroupsResult>(server, 'error_groups', {
      ...range,
      fingerprint: top.fingerprint,
    });
    await groups.first().locator('button').click();
    const stack = page.locator('[data-testid=error-detail] [data-testid=stack]');
    await stack.waitFor();
    expect(await stack.textContent()).toBe(detail.groups[0]?.sampleStack);
    expect(await page.locator('[data-testid=detail-title]').innerText()).toBe(top.title);
    await expect
      .poll(() => page.locator('[data-testid=occurrences] tbody tr').count())
      .toBe(detail.occurrences?.length);
    expect(detail.occurrences?.length).toBeGreaterThan(0);

    // Ingest quality for the same instants as the reports.
    const quality = await apiQuality(range);
    expect(quality.totals.accepted).toBeGreaterThan(0);
    await expect
      .poll(() => qualityValue(page, 'accepted'))
      .toBe(formatValue(quality.totals.accepted, 'count', 'en'));
    expect(await qualityValue(page, 'duplicates')).toBe(
      formatValue(quality.totals.duplicates, 'count', 'en'),
    );
    expect(await qualityValue(page, 'delayP95')).toBe(formatValue(quality.delayMs.p95, 'ms', 'en'));

    await screenshot(page, 'dashboard/tech-en');
    await page.click('[data-testid=close-detail]');
    await expect.poll(() => page.locator('[data-testid=error-detail]').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('follows the time range and filters in the URL, also after a reload', async () => {
    const { context, page, problems } = await openTech('en-US');
    const month = await apiKpis({ range: 'last_30_days' }, 'en');
    await page.selectOption('[data-testid=range]', 'last_7_days');
    await page.waitForURL(/range=last_7_days/);
    const week = await apiKpis({ range: 'last_7_days' }, 'en');
    expect(week.api_requests).not.toBe(month.api_requests);
    await expect.poll(() => cardValue(page, 'api_requests')).toBe(week.api_requests);
    expect(await cardValue(page, 'js_errors')).toBe(week.js_errors);

    const sli = await apiReport<ApiSliResult>(server, 'api_sli', {
      range: 'last_7_days',
      granularity: 'day',
      slowThresholdMs: 1500,
      seriesLimit: 5,
    });
    const requests = sli.endpoints.map((e) => formatValue(e.requests, 'count', 'en'));
    await expect.poll(() => sliColumn(page, 2)).toEqual(requests);
    const errors = await apiReport<ErrorGroupsResult>(server, 'error_groups', {
      range: 'last_7_days',
      limit: 50,
    });
    await expect
      .poll(() =>
        page.locator('[data-testid=error-group] [data-testid=group-count]').allInnerTexts(),
      )
      .toEqual(errors.groups.map((g) => formatValue(g.count, 'count', 'en')));
    const quality = await apiQuality({ range: 'last_7_days' });
    await expect
      .poll(() => qualityValue(page, 'accepted'))
      .toBe(formatValue(quality.totals.accepted, 'count', 'en'));

    // A platform filter, picked from the values the data has: every panel follows it.
    await page.selectOption('[data-testid=add-filter]', 'platform');
    const first = page.locator('[data-testid=filter-values] input[type=checkbox]').first();
    await first.waitFor();
    const platform = await first.getAttribute('value');
    await first.check();
    await page.click('[data-testid=apply-filter]');
    await page.waitForURL(/platform=/);
    const filters = [{ dimension: 'platform', op: 'in', value: [platform] }];
    const filtered = await apiKpis({ range: 'last_7_days', filters }, 'en');
    expect(filtered.js_errors).not.toBe(week.js_errors);
    await expect.poll(() => cardValue(page, 'js_errors')).toBe(filtered.js_errors);
    expect(await cardValue(page, 'api_requests')).toBe(filtered.api_requests);
    const filteredSli = await apiReport<ApiSliResult>(server, 'api_sli', {
      range: 'last_7_days',
      filters,
      granularity: 'day',
      slowThresholdMs: 1500,
      seriesLimit: 5,
    });
    await expect
      .poll(() => sliColumn(page, 2))
      .toEqual(filteredSli.endpoints.map((e) => formatValue(e.requests, 'count', 'en')));

    await page.reload();
    await page.waitForSelector('[data-metric="js_errors"] [data-testid="kpi-value"]');
    await expect.poll(() => cardValue(page, 'js_errors')).toBe(filtered.js_errors);
    expect(await page.inputValue('[data-testid=range]')).toBe('last_7_days');
    expect(page.url()).toContain('platform=');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('speaks Chinese to a Chinese browser', async () => {
    const { context, page, problems } = await openTech('zh-CN');
    expect(await page.locator('h1').innerText()).toBe('技术');
    expect(await page.locator('[data-metric="api_requests"] .kpi-name').innerText()).toBe(
      '接口请求数',
    );
    expect(await page.locator('[data-testid=api-sli] h2').first().innerText()).toBe('接口服务水平');
    expect(await page.locator('[data-testid=sli-table] th').first().innerText()).toContain('接口');
    const kpis = await apiKpis({ range: 'last_30_days' }, 'zh-CN');
    expect(await cardValue(page, 'api_latency_p95')).toBe(kpis.api_latency_p95);
    expect(await cardValue(page, 'api_error_rate')).toBe(kpis.api_error_rate);
    await expect.poll(() => page.locator('[data-testid=chart] canvas').count()).toBe(10);
    await page.locator('[data-testid=quality-value]').first().waitFor();
    await screenshot(page, 'dashboard/tech-zh-CN');
    expect(problems).toEqual([]);
    await context.close();
  });
});

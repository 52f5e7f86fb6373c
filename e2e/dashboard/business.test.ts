import type { MetricUnit } from '@sightline/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatValue } from '../../packages/dashboard/src/lib/format.ts';
import { launchChromium, screenshot } from '../support/chromium.ts';
import { apiReport, signIn, startDemoServer, type DemoServer } from '../support/dashboard.ts';

interface Kpi {
  metric: string;
  unit: string;
  value: number | null;
}
interface Group {
  key: string | null;
  values: Array<number | null>;
  total: number | null;
}
interface Trends {
  buckets: Array<{ start: string }>;
  series: Array<{ unit: string; groups: Group[] }>;
}
interface Stickiness {
  activePeople: number;
  distribution: Array<{ intervals: number; people: number }>;
}

type Locale = 'en' | 'zh-CN';
/** Reports on a cold cache take a few seconds on a busy machine: wait for them, do not time them. */
const WAIT = { timeout: 30_000 };
const TASK_CARDS = [
  'tasks',
  'task_success_rate',
  'task_failure_rate',
  'task_duration_p50',
  'task_duration_p95',
  'feature_penetration',
  'quota_consumed',
];
const MONEY_CARDS = [
  'memberships_sold',
  'membership_purchase_rate',
  'membership_renewal_rate',
  'arpu',
  'arppu',
];
const PATH = '/p/demo/business';
/** Features 3, durations 2, failures 3, quota 2, memberships 4. */
const CHARTS = 14;

/**
 * The Business page in real Chromium against a real server with 30 days of demo data: cards,
 * feature, duration, failure, quota and membership panels against the query API, the error-code
 * drill-down, the filter bar in the URL (and a filter orders refuse), both languages.
 */
describe('dashboard business page in real Chromium', () => {
  let server: DemoServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const count = (value: number | null, locale: Locale = 'en') =>
    formatValue(value, 'count', locale);
  /** A number as the charts' tables hold it (a gap is an empty cell). */
  const cell = (value: number | null | undefined) =>
    value === null || value === undefined ? '' : String(value);

  /** The API's KPI values for a request, as the cards show them. */
  async function apiKpis(metrics: string[], body: Record<string, unknown>, locale: Locale) {
    const { kpis } = await apiReport<{ kpis: Kpi[] }>(server, 'kpis', { metrics, ...body });
    return Object.fromEntries(
      kpis.map((kpi) => [kpi.metric, formatValue(kpi.value, kpi.unit as MetricUnit, locale)]),
    );
  }
  const trends = (body: Record<string, unknown>) => apiReport<Trends>(server, 'trends', body);

  const cardValue = (page: Page, metric: string) =>
    page.locator(`[data-metric="${metric}"] [data-testid="kpi-value"]`).innerText();

  /** The screen-reader table of a chart: its header and rows, as text. */
  async function chartTable(page: Page, chart: string) {
    const table = page.locator(`[data-chart=${chart}] table.visually-hidden`).first();
    const columns = await table.locator('thead th').allTextContents();
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) =>
          Array.from(
            tr.querySelectorAll('td') as Iterable<{ textContent: string | null }>,
            (td) => td.textContent ?? '',
          ),
        ),
      );
    return { columns: columns.map((c) => c.trim()), rows: rows.map((r) => r.map((c) => c.trim())) };
  }
  /** The texts of a DataTable's first row. */
  const firstRow = (page: Page, table: string) =>
    page.locator(`[data-testid=${table}] tbody tr`).first().locator('td').allInnerTexts();

  async function openBusiness(locale: 'en-US' | 'zh-CN' = 'en-US', path = PATH) {
    const signed = await signIn(browser, server, { locale, path });
    await signed.page.waitForSelector('[data-metric="tasks"] [data-testid="kpi-value"]', WAIT);
    return signed;
  }

  it('shows the cards, features, durations, failures, quota and memberships the API gives', async () => {
    const { context, page, problems } = await openBusiness();
    const range = { range: 'last_30_days' };

    const tasks = await apiKpis(TASK_CARDS, { ...range, compare: 'previous' }, 'en');
    const money = await apiKpis(MONEY_CARDS, { ...range, compare: 'previous' }, 'en');
    await page.waitForSelector('[data-metric="arppu"] [data-testid="kpi-value"]', WAIT);
    expect(await page.locator('[data-testid=kpis-tasks] .kpi').count()).toBe(TASK_CARDS.length);
    expect(await page.locator('[data-testid=kpis-money] .kpi').count()).toBe(MONEY_CARDS.length);
    for (const metric of TASK_CARDS)
      expect(await cardValue(page, metric), metric).toBe(tasks[metric]);
    for (const metric of MONEY_CARDS)
      expect(await cardValue(page, metric), metric).toBe(money[metric]);
    expect(tasks.tasks).not.toBe('0');
    expect(money.memberships_sold).not.toBe('0');

    // Every chart drawn, none empty.
    await expect.poll(() => page.locator('[data-testid=chart] canvas').count(), WAIT).toBe(CHARTS);
    expect(await page.locator('[data-testid=chart]').count()).toBe(CHARTS);
    expect(await page.locator('[data-testid=chart-empty]').count()).toBe(0);
    expect(await page.locator('[data-testid=report-error]').count()).toBe(0);

    // Features: penetration and share of calls per feature, the table of users and calls.
    const features = await trends({
      ...range,
      granularity: 'all',
      series: [
        { metric: 'feature_penetration' },
        { metric: 'feature_call_share' },
        { metric: 'feature_users' },
        { metric: 'feature_calls' },
      ],
      breakdown: { dimension: 'feature', limit: 20 },
    });
    const topUsers = features.series[2]!.groups[0]!;
    const topRow = await firstRow(page, 'feature-table');
    expect(topRow[1]).toBe(count(topUsers.total));
    const calls = features.series[3]!.groups.find((g) => g.key === topUsers.key)!;
    expect(topRow[2]).toBe(count(calls.total));
    const bars = await chartTable(page, 'feature-bars');
    expect(bars.columns).toEqual(['', 'Feature penetration', 'Share of feature calls']);
    expect(bars.rows[0]![1]).toBe(String(features.series[0]!.groups[0]!.total));

    // Feature users by day: a line per feature (top 6).
    const users = await trends({
      ...range,
      granularity: 'day',
      series: [{ metric: 'feature_users' }],
      breakdown: { dimension: 'feature', limit: 6 },
    });
    const usersShown = await chartTable(page, 'feature-users');
    expect(usersShown.rows).toHaveLength(users.buckets.length);
    expect(usersShown.rows.at(-2)![1]).toBe(cell(users.series[0]!.groups[0]!.values.at(-2)));

    // Stickiness of feature users, then of one feature.
    const sticky = await apiReport<Stickiness>(server, 'stickiness', {
      ...range,
      interval: 'day',
      activityEvent: { name: 'feature_invoke' },
    });
    expect(await page.locator('[data-testid=stickiness-summary]').innerText()).toContain(
      `${count(sticky.activePeople)} people used it`,
    );
    expect((await chartTable(page, 'stickiness')).rows[0]![1]).toBe(
      String(sticky.distribution[0]!.people),
    );
    const feature = topUsers.key!;
    await page.selectOption('[data-testid=stickiness-feature]', feature);
    const one = await apiReport<Stickiness>(server, 'stickiness', {
      ...range,
      interval: 'day',
      activityEvent: {
        name: 'feature_invoke',
        filters: [{ dimension: 'feature', op: 'eq', value: feature }],
      },
    });
    expect(one.activePeople).toBeLessThan(sticky.activePeople);
    await expect
      .poll(() => page.locator('[data-testid=stickiness-summary]').innerText(), WAIT)
      .toContain(`${count(one.activePeople)} people used it`);

    // Task durations: a box per feature; the table holds every percentile asked for.
    const percentiles = [0, 5, 25, 50, 75, 95, 100];
    const durations = await trends({
      ...range,
      granularity: 'all',
      series: percentiles.map((percentile) => ({
        event: 'task_completed',
        aggregation: 'percentile',
        property: 'duration_ms',
        percentile,
      })),
      breakdown: { dimension: 'feature', limit: 10 },
    });
    const box = await chartTable(page, 'duration-box');
    expect(box.rows).toHaveLength(durations.series[3]!.groups.length);
    expect(box.rows[0]!.slice(1)).toEqual(durations.series.map((s) => String(s.groups[0]!.total)));
    const boxTitle = page.locator('[data-chart=duration-box] .chart-title');
    expect(await boxTitle.innerText()).toContain('whiskers P5 / P95');
    await page.locator('[data-testid=whiskers] label', { hasText: 'min' }).click();
    await expect.poll(() => boxTitle.innerText()).toContain('whiskers P0 / P100');

    // Failures by error code; a click on the top bar narrows the section to that code.
    const failures = await trends({
      ...range,
      granularity: 'all',
      series: [{ metric: 'tasks_failed' }, { metric: 'task_failure_rate' }],
      breakdown: { dimension: 'error_code', limit: 20 },
    });
    const top = failures.series[0]!.groups[0]!;
    const codeRow = await firstRow(page, 'failure-table');
    expect(codeRow[0]).toBe(top.key);
    expect(codeRow[2]).toBe(count(top.total));
    expect(codeRow[3]).toBe(formatValue(failures.series[1]!.groups[0]!.total, 'ratio', 'en'));
    const codes = page.locator('[data-chart=failure-codes] [data-testid=chart]');
    const size = (await codes.boundingBox())!;
    // The first code is the top bar and the longest: its right half is bar whatever the labels.
    // The bars' grid leaves 8 px above and below; each code has an equal band.
    const band = (size.height - 16) / failures.series[0]!.groups.length;
    await codes.click({ position: { x: size.width * 0.6, y: 8 + band / 2 } });
    await page.waitForURL(new RegExp(`error_code=${top.key}`));
    const byFeature = await trends({
      ...range,
      granularity: 'all',
      series: [{ metric: 'tasks_failed' }],
      breakdown: { dimension: 'feature', limit: 10 },
      filters: [{ dimension: 'error_code', op: 'eq', value: top.key }],
    });
    const featureTitle = page.locator('[data-chart=failure-features] .chart-title');
    await expect.poll(() => featureTitle.innerText(), WAIT).toMatch(/^Failed tasks by feature: /);
    await expect
      .poll(async () => (await chartTable(page, 'failure-features')).rows[0]?.[1], WAIT)
      .toBe(String(byFeature.series[0]!.groups[0]!.total));
    const byDay = await trends({
      ...range,
      granularity: 'day',
      series: [{ metric: 'tasks_failed' }, { metric: 'task_failure_rate' }],
      breakdown: { dimension: 'error_code', limit: 20 },
    });
    const codeByDay = byDay.series[0]!.groups.find((g) => g.key === top.key)!;
    await expect
      .poll(async () => (await chartTable(page, 'failure-trend')).rows.map((r) => r[1]), WAIT)
      .toEqual(codeByDay.values.map(cell));
    expect(
      await page.locator('[data-testid=error-code] input:checked').evaluate((el) => {
        return (el as unknown as { value: string }).value;
      }),
    ).toBe(top.key);
    // The keyboard way back: the radio group.
    await page.locator('[data-testid=error-code] label', { hasText: 'All codes' }).click();
    await page.waitForURL((url) => !url.search.includes('error_code'));
    await expect.poll(() => featureTitle.innerText(), WAIT).toBe('Failed tasks by feature');

    // Quota consumed against GMV by product type, day by day.
    const quota = await trends({
      ...range,
      granularity: 'day',
      series: [{ metric: 'quota_consumed' }],
    });
    const quotaShown = await chartTable(page, 'quota-revenue');
    expect(quotaShown.columns[1]).toBe('Quota consumed');
    expect(quotaShown.columns).toContain('GMV · Memberships');
    expect(quotaShown.rows.map((r) => r[1])).toEqual(quota.series[0]!.groups[0]!.values.map(cell));

    // Memberships by plan (order_completed events of memberships).
    const plans = await trends({
      ...range,
      granularity: 'all',
      filters: [{ dimension: 'product_type', op: 'eq', value: 'membership' }],
      series: [{ event: 'order_completed', aggregation: 'count' }],
      breakdown: { property: 'plan', limit: 10 },
    });
    const planShown = await chartTable(page, 'membership-plans');
    expect(planShown.rows.map((r) => r[1])).toEqual(
      plans.series[0]!.groups.map((g) => String(g.total)),
    );
    expect(planShown.rows.map((r) => r[0])).toContain('Monthly');

    await screenshot(page, 'dashboard/business-en');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('follows the filter bar: range and comparison in the URL, a filter orders refuse', async () => {
    const { context, page, problems } = await openBusiness();
    const month = await apiKpis(TASK_CARDS, { range: 'last_30_days', compare: 'previous' }, 'en');
    await page.selectOption('[data-testid=range]', 'last_7_days');
    await page.waitForURL(/range=last_7_days/);
    const week = { range: 'last_7_days' };
    const cards = await apiKpis(TASK_CARDS, { ...week, compare: 'previous' }, 'en');
    const money = await apiKpis(MONEY_CARDS, { ...week, compare: 'previous' }, 'en');
    expect(cards.tasks).not.toBe(month.tasks);
    await expect.poll(() => cardValue(page, 'tasks'), WAIT).toBe(cards.tasks);
    for (const metric of TASK_CARDS)
      expect(await cardValue(page, metric), metric).toBe(cards[metric]);
    await expect.poll(() => cardValue(page, 'arpu'), WAIT).toBe(money.arpu);
    await expect
      .poll(async () => (await chartTable(page, 'quota-revenue')).rows.length, WAIT)
      .toBe(7);

    await page.reload();
    await page.waitForSelector('[data-metric="tasks"] [data-testid="kpi-value"]', WAIT);
    await expect.poll(() => cardValue(page, 'tasks'), WAIT).toBe(cards.tasks);
    expect(await page.inputValue('[data-testid=range]')).toBe('last_7_days');

    // Against the previous week: the cards say so, the duration trend draws the past p50.
    await page.selectOption('[data-testid=compare]', 'previous');
    await page.waitForURL(/compare=previous/);
    await expect
      .poll(() => chartTable(page, 'duration-trend').then((t) => t.columns), WAIT)
      .toContain('Task duration p50 · Previous period');

    // A feature filter: the task cards follow it; orders have no feature, so the membership
    // cards and the revenue say why in words, and the quota line stays.
    await page.goto(`${server.base}${PATH}?range=last_7_days&feature=remove_bg`);
    const filters = [{ dimension: 'feature', op: 'in', value: ['remove_bg'] }];
    const filtered = await apiKpis(TASK_CARDS, { ...week, filters, compare: 'previous' }, 'en');
    expect(filtered.tasks).not.toBe(cards.tasks);
    await expect.poll(() => cardValue(page, 'tasks'), WAIT).toBe(filtered.tasks);
    await page.waitForSelector('[data-testid=feature-note]');
    const refused = page.locator('.kpi-group', { has: page.locator('#business-kpis-money') });
    await expect
      .poll(() => refused.locator('[data-testid=report-error]').innerText(), WAIT)
      .toContain('ERR_QUERY_DIMENSION_UNSUPPORTED');
    expect(await refused.innerText()).toContain('This view cannot be filtered by that dimension.');
    await page.waitForSelector('[data-testid=revenue-error] [data-testid=report-error]', WAIT);
    const quota = await trends({
      ...week,
      filters,
      granularity: 'day',
      series: [{ metric: 'quota_consumed' }],
    });
    await expect
      .poll(async () => (await chartTable(page, 'quota-revenue')).rows.map((r) => r[1]), WAIT)
      .toEqual(quota.series[0]!.groups[0]!.values.map(cell));
    expect(problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
    await context.close();
  });

  it('speaks Chinese to a Chinese browser', async () => {
    const { context, page, problems } = await openBusiness('zh-CN');
    expect(await page.locator('[data-testid=business-page] h1').innerText()).toBe('业务');
    expect(await page.locator('[data-testid=nav-business]').innerText()).toBe('业务');
    expect(await page.locator('[data-metric="task_success_rate"] .kpi-name').innerText()).toBe(
      '任务成功率',
    );
    expect(await page.locator('#business-features').innerText()).toBe('功能渗透与粘性');
    const cards = await apiKpis(
      TASK_CARDS,
      { range: 'last_30_days', compare: 'previous' },
      'zh-CN',
    );
    expect(await cardValue(page, 'task_duration_p95')).toBe(cards.task_duration_p95);
    expect(await cardValue(page, 'quota_consumed')).toBe(cards.quota_consumed);
    await expect.poll(() => page.locator('[data-testid=chart] canvas').count(), WAIT).toBe(CHARTS);
    await expect
      .poll(() => page.locator('[data-chart=duration-box] .chart-title').innerText(), WAIT)
      .toContain('须线 P5 / P95');
    expect((await chartTable(page, 'membership-plans')).rows.map((r) => r[0])).toContain('月卡');
    await screenshot(page, 'dashboard/business-zh-CN');
    expect(problems).toEqual([]);
    await context.close();
  });
});

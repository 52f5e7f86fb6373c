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
interface FunnelStep {
  count: number;
}
interface FunnelResult {
  steps: FunnelStep[];
  groups: Array<{ key: string | null; steps: FunnelStep[] }> | null;
}
interface AttributionResult {
  conversions: number;
  revenue: number;
  withoutTouch: number;
  rows: Array<{ value: string; linear: { revenue: number } }>;
}

const KPIS = ['uv', 'registration_conversion', 'pay_conversion', 'campaign_cost', 'cac'];
const STEPS = ['page_view', 'view_product', 'sign_up', 'order_completed'].map((event) => ({
  event,
}));

/** The Operations page in real Chromium against demo data, checked against the query API. */
describe('operations page in real Chromium', () => {
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

  async function apiCards(range: string) {
    const { kpis } = await apiReport<{ kpis: Kpi[] }>(server, 'kpis', {
      range,
      metrics: KPIS,
      compare: 'previous',
    });
    return Object.fromEntries(
      kpis.map((kpi) => [kpi.metric, formatValue(kpi.value, kpi.unit as MetricUnit, 'en')]),
    );
  }
  const card = (page: Page, metric: string) =>
    page.locator(`[data-metric="${metric}"] [data-testid="kpi-value"]`).innerText();
  /** The cells of a table's body rows, as text. */
  const tableRows = (page: Page, testId: string) =>
    page
      .locator(`[data-testid=${testId}] [data-testid=data-table] tbody tr`)
      .evaluateAll((rows) =>
        rows.map((row) =>
          Array.from(
            row.querySelectorAll('td') as Iterable<{ textContent: string | null }>,
            (cell) => (cell.textContent ?? '').trim(),
          ),
        ),
      );

  it('shows the cards, the channel funnel, channels, campaigns and attribution as the API does', async () => {
    const { context, page, problems } = await signIn(browser, server, {
      path: '/p/demo/operations',
    });
    await page.locator('[data-metric="uv"] [data-testid="kpi-value"]').waitFor();
    const cards = await apiCards('last_30_days');
    for (const metric of KPIS) expect(await card(page, metric), metric).toBe(cards[metric]);

    // Funnel: the people at each step, as the chart's table carries them.
    const funnel = await apiReport<FunnelResult>(server, 'funnel', {
      range: 'last_30_days',
      steps: STEPS,
      windowSeconds: 7 * 86_400,
    });
    expect(funnel.steps[3]?.count).toBeGreaterThan(0);
    const funnelTable = page.locator('[data-testid=funnel] table.visually-hidden tbody tr');
    await expect.poll(() => funnelTable.count()).toBe(4);
    const counts = await funnelTable.evaluateAll((rows) =>
      rows.map((row) =>
        Number(
          (row.querySelectorAll('td') as ArrayLike<{ textContent: string | null }>)[1]?.textContent,
        ),
      ),
    );
    expect(counts).toEqual(funnel.steps.map((step) => step.count));

    // Split by channel: one row per channel with its people at each step.
    await page.locator('[data-testid=funnel-split] input[value=channel]').check();
    const byChannel = await apiReport<FunnelResult>(server, 'funnel', {
      range: 'last_30_days',
      steps: STEPS,
      windowSeconds: 7 * 86_400,
      breakdown: { dimension: 'channel', limit: 8 },
    });
    const first = byChannel.groups?.[0];
    await expect
      .poll(async () => (await tableRows(page, 'funnel-groups'))[0]?.slice(0, 2), {
        timeout: 30_000,
      })
      .toEqual([first?.key, formatValue(first?.steps[0]?.count ?? null, 'users', 'en')]);

    // Channels: UV per channel from the same breakdown as the API.
    const channels = await apiReport<{
      series: Array<{ groups: Array<{ key: string | null; total: number | null }> }>;
    }>(server, 'trends', {
      range: 'last_30_days',
      granularity: 'all',
      series: [{ metric: 'uv' }],
      breakdown: { dimension: 'channel', limit: 10 },
    });
    const top = channels.series[0]?.groups[0];
    const channelRows = await tableRows(page, 'channels');
    expect(channelRows[0]?.slice(0, 2)).toEqual([
      top?.key,
      formatValue(top?.total ?? null, 'users', 'en'),
    ]);
    expect((await tableRows(page, 'campaigns')).length).toBeGreaterThan(0);

    // Attribution: the totals line and the first row of the linear model.
    const attribution = await apiReport<AttributionResult>(server, 'attribution', {
      range: 'last_30_days',
      touchDimension: 'channel',
    });
    expect(await page.locator('[data-testid=attribution-totals]').innerText()).toBe(
      `${formatValue(attribution.conversions, 'count', 'en')} paid orders, ${formatValue(attribution.revenue, 'currency', 'en')}; ${formatValue(attribution.withoutTouch, 'count', 'en')} without any touch`,
    );
    expect((await tableRows(page, 'attribution'))[0]?.[0]).toBe(attribution.rows[0]?.value);
    await page.locator('[data-testid=touch] input[value=campaign]').check();
    const byCampaign = await apiReport<AttributionResult>(server, 'attribution', {
      range: 'last_30_days',
      touchDimension: 'campaign',
    });
    await expect
      .poll(async () => (await tableRows(page, 'attribution'))[0]?.[0], { timeout: 30_000 })
      .toBe(byCampaign.rows[0]?.value);

    await expect.poll(() => page.locator('[data-testid=chart] canvas').count()).toBe(3);
    expect(await page.locator('[data-testid=chart-empty]').count()).toBe(0);
    await screenshot(page, 'dashboard/operations-en');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('follows the range, keeps it on reload, and speaks Chinese', async () => {
    const { context, page, problems } = await signIn(browser, server, {
      locale: 'zh-CN',
      path: '/p/demo/operations',
    });
    await page.locator('[data-metric="uv"] [data-testid="kpi-value"]').waitFor();
    expect(await page.locator('h1').innerText()).toBe('运营');
    await page.selectOption('[data-testid=range]', 'last_7_days');
    await page.waitForURL(/range=last_7_days/);
    const week = await apiReport<{ kpis: Kpi[] }>(server, 'kpis', {
      range: 'last_7_days',
      metrics: ['uv'],
      compare: 'previous',
    });
    const uv = formatValue(week.kpis[0]?.value ?? null, 'users', 'zh-CN');
    await expect.poll(() => card(page, 'uv'), { timeout: 30_000 }).toBe(uv);
    await page.reload();
    await expect.poll(() => card(page, 'uv'), { timeout: 30_000 }).toBe(uv);
    await screenshot(page, 'dashboard/operations-zh-CN');
    expect(problems).toEqual([]);
    await context.close();
  });
});

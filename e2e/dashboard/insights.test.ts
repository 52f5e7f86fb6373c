import type { MetricUnit } from '@sightline/shared';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatValue } from '../../packages/dashboard/src/lib/format.ts';
import { launchChromium, screenshot } from '../support/chromium.ts';
import { apiReport, signIn, startDemoServer, type DemoServer } from '../support/dashboard.ts';

interface Insight {
  id: string;
  name: string;
  kind: string;
  params: Record<string, unknown>;
  filters: Record<string, string>;
}
interface Trends {
  series: Array<{ unit: string; groups: Array<{ total: number | null }> }>;
}
interface Funnel {
  steps: Array<{ count: number }>;
  overallConversion: number | null;
}
interface Paths {
  topPaths: Array<{ nodes: string[]; people: number }>;
}

const TRENDS = {
  name: 'Active users and orders',
  kind: 'trends',
  params: { series: [{ metric: 'dau' }, { metric: 'orders' }] },
  filters: { range: 'last_7_days', channel: 'wechat' },
};
const FUNNEL = {
  name: 'Product to order',
  kind: 'funnel',
  params: {
    steps: [{ event: 'view_product' }, { event: 'add_to_cart' }, { event: 'order_completed' }],
  },
  filters: {},
};
const RETENTION = {
  name: 'Weekly retention',
  kind: 'retention',
  params: { cohortBy: 'first_event', period: 'week', periods: 3 },
  filters: {},
};
const PATHS = {
  name: 'After the home page',
  kind: 'paths',
  params: { start: { event: 'page_view' }, steps: 3 },
  filters: {},
};

/**
 * Saved insights and dashboards in real Chromium against a real server with demo data: the
 * analyst's saved insights are listed, renamed, opened in their builder and deleted; a dashboard
 * composed in the page draws each tile with the numbers the query API gives.
 */
describe('dashboard saved insights and dashboards in real Chromium', () => {
  let server: DemoServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startDemoServer({ days: 21 });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Saves an insight through the API with the signed-in analyst's session (its owner). */
  async function save(context: BrowserContext, body: object): Promise<Insight> {
    const answer = await context.request.post(`${server.base}/api/v1/projects/demo/insights`, {
      data: body,
    });
    expect(answer.status(), await answer.text()).toBe(201);
    return (await answer.json()) as Insight;
  }
  async function apiGet<T>(path: string): Promise<{ status: number; body: T }> {
    const answer = await server.t.app.fastify.inject({
      method: 'GET',
      url: path,
      headers: { authorization: `Bearer ${server.t.adminToken}` },
    });
    return { status: answer.statusCode, body: answer.json<T>() };
  }

  const tileValues = (page: Page, id: string) =>
    page
      .locator(`[data-testid=tile][data-insight-id="${id}"] [data-testid=tile-value]`)
      .allInnerTexts();
  const tileOrder = (page: Page) =>
    page
      .locator('[data-testid=tile]')
      .evaluateAll((tiles) => tiles.map((tile) => tile.getAttribute('data-insight-id')));

  /** What the trends and funnel tiles must show for a range, from the query API. */
  async function expected(range: string) {
    const trends = await apiReport<Trends>(server, 'trends', { ...TRENDS.params, range });
    const funnel = await apiReport<Funnel>(server, 'funnel', { ...FUNNEL.params, range });
    const paths = await apiReport<Paths>(server, 'paths', { ...PATHS.params, range });
    return {
      trends: trends.series.map((s) => formatValue(s.groups[0]?.total, s.unit as MetricUnit, 'en')),
      funnel: [
        formatValue(funnel.overallConversion, 'ratio', 'en'),
        ...funnel.steps.map((step) => formatValue(step.count, 'count', 'en')),
      ],
      paths: paths.topPaths.slice(0, 10).map((path) => formatValue(path.people, 'count', 'en')),
    };
  }

  it('lists saved insights, renames one, opens one in its builder and deletes one', async () => {
    const { context, page, problems } = await signIn(browser, server, {
      path: '/p/demo/analysis?tab=saved',
    });
    const trends = await save(context, TRENDS);
    const funnel = await save(context, FUNNEL);
    await page.reload();
    const rows = page.locator('[data-testid=insight-row]');
    await expect.poll(() => rows.count()).toBe(2);
    expect((await rows.locator('[data-testid=insight-open]').allInnerTexts()).sort()).toEqual(
      [FUNNEL.name, TRENDS.name].sort(),
    );

    // Rename in place; the API has the new name.
    const row = page.locator(`[data-testid=insight-row][data-insight-id="${trends.id}"]`);
    await row.locator('[data-testid=insight-rename]').click();
    await row.locator('[data-testid=insight-rename-input]').fill('DAU and orders');
    await row.locator('[data-testid=insight-rename-save]').click();
    await expect
      .poll(() => row.locator('[data-testid=insight-open]').innerText())
      .toBe('DAU and orders');
    const renamed = await apiGet<Insight>(`/api/v1/projects/demo/insights/${trends.id}`);
    expect(renamed.body.name).toBe('DAU and orders');

    // Delete asks first; cancelling keeps it.
    const funnelRow = page.locator(`[data-testid=insight-row][data-insight-id="${funnel.id}"]`);
    await funnelRow.locator('[data-testid=insight-delete]').click();
    await funnelRow.getByRole('button', { name: 'Cancel' }).click();
    expect(await rows.count()).toBe(2);
    await funnelRow.locator('[data-testid=insight-delete]').click();
    await funnelRow.locator('[data-testid=insight-delete-confirm]').click();
    await expect.poll(() => rows.count()).toBe(1);
    expect((await apiGet(`/api/v1/projects/demo/insights/${funnel.id}`)).status).toBe(404);

    // Opening goes to the builder of its kind with its request (q) and saved filters.
    const href = await row.locator('[data-testid=insight-open]').getAttribute('href');
    const link = new URL(href ?? '', server.base);
    expect(link.pathname).toBe('/p/demo/analysis');
    expect(JSON.parse(link.searchParams.get('q') ?? 'null')).toEqual(TRENDS.params);
    await row.locator('[data-testid=insight-open]').click();
    await page.waitForURL(/tab=trends/);
    // The builder reads q (and may write it back with its defaults filled in).
    const url = new URL(page.url());
    expect(JSON.parse(url.searchParams.get('q') ?? 'null')).toMatchObject(TRENDS.params);
    expect(url.searchParams.get('range')).toBe('last_7_days');
    expect(url.searchParams.get('channel')).toBe('wechat');
    await page.locator('[data-testid=panel-trends]').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('composes a dashboard whose tiles show the API’s numbers under the filter bar', async () => {
    const { context, page, problems } = await signIn(browser, server, {
      path: '/p/demo/analysis?tab=saved',
    });
    const [trends, funnel, retention, paths] = [
      await save(context, { ...TRENDS, name: 'Active users and orders (board)' }),
      await save(context, FUNNEL),
      await save(context, RETENTION),
      await save(context, PATHS),
    ] as Insight[];
    if (!trends || !funnel || !retention || !paths) throw new Error('not saved');
    await page.reload();
    await page.locator('[data-testid=insight-row]').first().waitFor();

    await page.fill('[data-testid=dashboard-new-name]', 'Weekly review');
    await page.click('[data-testid=dashboard-create]');
    await page.waitForURL(/dashboard=dsh_/);
    const dashboardId = new URL(page.url()).searchParams.get('dashboard');
    await page.locator('[data-testid=dashboard-empty]').waitFor();

    async function addTile(id: string, width: '1' | '2') {
      const before = await page.locator('[data-testid=tile]').count();
      await page.selectOption('[data-testid=tile-add-select]', id);
      await page.selectOption('[data-testid=tile-add-width]', width);
      await page.click('[data-testid=tile-add]');
      await expect.poll(() => page.locator('[data-testid=tile]').count()).toBe(before + 1);
    }
    await addTile(trends.id, '2');
    await addTile(funnel.id, '1');
    await addTile(paths.id, '1');
    await addTile(retention.id, '2');

    // Each tile runs its report under the page's filter bar (last 30 days by default).
    const month = await expected('last_30_days');
    expect(month.trends.every((text) => text !== '0' && text !== '—')).toBe(true);
    await expect.poll(() => tileValues(page, trends.id)).toEqual(month.trends);
    await expect.poll(() => tileValues(page, funnel.id)).toEqual(month.funnel);
    await expect.poll(() => tileValues(page, paths.id)).toEqual(month.paths);
    expect(month.paths.length).toBeGreaterThan(0);
    await expect
      .poll(() =>
        page.locator(`[data-insight-id="${retention.id}"] [data-testid=heat-cell]`).count(),
      )
      .toBeGreaterThan(4);
    // Charts are drawn and not empty.
    await expect
      .poll(() => page.locator('[data-testid=tile] [data-testid=chart] canvas').count())
      .toBe(2);
    expect(await page.locator('[data-testid=tile] [data-testid=chart-empty]').count()).toBe(0);

    // Reorder and share; both are stored.
    await page
      .locator(`[data-testid=tile][data-insight-id="${trends.id}"] [data-testid=tile-down]`)
      .click();
    await expect
      .poll(() => tileOrder(page))
      .toEqual([funnel.id, trends.id, paths.id, retention.id]);
    await page.check('[data-testid=dashboard-shared]');
    await expect
      .poll(
        async () =>
          (await apiGet<{ shared: boolean }>(`/api/v1/projects/demo/dashboards/${dashboardId}`))
            .body.shared,
      )
      .toBe(true);
    await screenshot(page, 'dashboard/insights-en');

    // A shorter range: every tile follows the filter bar, and the view survives a reload.
    await page.selectOption('[data-testid=range]', 'last_7_days');
    await page.waitForURL(/range=last_7_days/);
    const week = await expected('last_7_days');
    expect(week.trends).not.toEqual(month.trends);
    await expect.poll(() => tileValues(page, trends.id)).toEqual(week.trends);
    await expect.poll(() => tileValues(page, funnel.id)).toEqual(week.funnel);
    await page.reload();
    await expect
      .poll(() => tileOrder(page))
      .toEqual([funnel.id, trends.id, paths.id, retention.id]);
    await expect.poll(() => tileValues(page, trends.id)).toEqual(week.trends);

    // Remove a tile; deleting an insight takes its tile off the dashboard too.
    await page
      .locator(`[data-testid=tile][data-insight-id="${paths.id}"] [data-testid=tile-remove]`)
      .click();
    await expect.poll(() => tileOrder(page)).toEqual([funnel.id, trends.id, retention.id]);
    const row = page.locator(`[data-testid=insight-row][data-insight-id="${retention.id}"]`);
    await row.locator('[data-testid=insight-delete]').click();
    await row.locator('[data-testid=insight-delete-confirm]').click();
    await expect.poll(() => tileOrder(page)).toEqual([funnel.id, trends.id]);
    const stored = await apiGet<{ layout: Array<{ insightId: string; width: number }> }>(
      `/api/v1/projects/demo/dashboards/${dashboardId}`,
    );
    expect(stored.body.layout).toEqual([
      { insightId: funnel.id, width: 1 },
      { insightId: trends.id, width: 2 },
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('speaks Chinese', async () => {
    const { context, page, problems } = await signIn(browser, server, {
      locale: 'zh-CN',
      path: '/p/demo/analysis?tab=saved',
    });
    await page.locator('[data-testid=dashboard-open]').first().click();
    await page.locator('[data-testid=tile]').first().waitFor();
    expect(await page.locator('#insights-dashboards').innerText()).toBe('看板');
    expect(await page.locator('#insights-saved').innerText()).toBe('已保存的分析');
    await page.locator('[data-testid=tile] [data-testid=tile-value]').first().waitFor();
    await screenshot(page, 'dashboard/insights-zh-CN');
    expect(problems).toEqual([]);
    await context.close();
  });
});

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
interface TopProducts {
  totals: { revenue: number; groups: number };
  rows: Array<{ key: string | null; name: string | null; revenue: number; quantity: number }>;
}
interface AgentBoard {
  agentCount: number;
  agents: Array<{ agentId: string; gmv: number; commission: number }>;
}
interface ServiceStats {
  customers: { total: number; new: number; active: number } | null;
  serviceRecords: { total: number } | null;
  orders: { total: number; byStatus: Array<{ key: string | null; count: number }> } | null;
}

type Locale = 'en' | 'zh-CN';
const CARDS = [
  'gmv',
  'orders',
  'aov',
  'paying_users',
  'arppu',
  'items_sold',
  'refund_amount',
  'refunded_orders',
  'refund_rate_orders',
  'refund_rate_amount',
];
const AGENT_CARDS = [
  'agent_gmv',
  'agent_orders',
  'active_agents',
  'commission_total',
  'commission_ratio',
];
const PATH = '/p/demo/commerce';

/**
 * The Commerce page in real Chromium against a real server with 30 days of demo data: its cards,
 * charts and tables against the query API, the filter bar in the URL, both languages.
 */
describe('dashboard commerce page in real Chromium', () => {
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

  const money = (value: number, locale: Locale = 'en') => formatValue(value, 'currency', locale);
  const count = (value: number, locale: Locale = 'en') => formatValue(value, 'count', locale);

  /** The API's KPI values for a request, as the cards show them. */
  async function apiKpis(metrics: string[], body: Record<string, unknown>, locale: Locale) {
    const { kpis } = await apiReport<{ kpis: Kpi[] }>(server, 'kpis', { metrics, ...body });
    return Object.fromEntries(
      kpis.map((kpi) => [kpi.metric, formatValue(kpi.value, kpi.unit as MetricUnit, locale)]),
    );
  }

  const cardValue = (page: Page, metric: string) =>
    page.locator(`[data-metric="${metric}"] [data-testid="kpi-value"]`).innerText();
  const statValue = (page: Page, stat: string) =>
    page.locator(`[data-stat="${stat}"] [data-testid="stat-value"]`).innerText();
  /** The text of a cell of a table's first row. */
  const firstRowCell = (page: Page, table: string, column: number) =>
    page.locator(`[data-testid=${table}] tbody tr`).first().locator('td').nth(column).innerText();

  async function signInTo(locale: 'en-US' | 'zh-CN', path = PATH) {
    const signed = await signIn(browser, server, { locale, path });
    await signed.page.waitForSelector('[data-metric="gmv"] [data-testid="kpi-value"]');
    return signed;
  }

  it('shows the cards, charts, products, agents and customers the API gives', async () => {
    const { context, page, problems } = await signInTo('en-US');
    const range = { range: 'last_30_days' };

    const cards = await apiKpis(CARDS, { ...range, compare: 'previous' }, 'en');
    expect(await page.locator('[data-testid=kpis] .kpi').count()).toBe(CARDS.length);
    for (const metric of CARDS) expect(await cardValue(page, metric)).toBe(cards[metric]);
    expect(cards.orders).not.toBe('0');
    const agentCards = await apiKpis(AGENT_CARDS, { ...range, compare: 'previous' }, 'en');
    await page.waitForSelector('[data-metric="agent_gmv"] [data-testid="kpi-value"]');
    for (const metric of AGENT_CARDS)
      expect(await cardValue(page, metric)).toBe(agentCards[metric]);

    // Two trends, four structure charts, three customer charts: drawn, none empty.
    const charts = page.locator('[data-testid=chart]');
    await expect.poll(() => charts.count()).toBe(9);
    await expect.poll(() => page.locator('[data-testid=chart] canvas').count()).toBe(9);
    expect(await page.locator('[data-testid=chart-empty]').count()).toBe(0);

    // Top products, then categories, then categories by quantity: ranked by the server.
    const products = await apiReport<TopProducts>(server, 'top_products', { ...range, limit: 20 });
    const top = products.rows[0]!;
    await expect.poll(() => firstRowCell(page, 'top-products', 1)).toBe(top.name ?? top.key);
    expect(await firstRowCell(page, 'top-products', 4)).toBe(money(top.revenue));
    expect(await page.locator('[data-testid=top-products] tbody tr').count()).toBe(
      products.rows.length,
    );
    expect(await page.locator('[data-testid=products-totals]').innerText()).toContain(
      money(products.totals.revenue),
    );
    await page.locator('[data-testid=products-by] label', { hasText: 'Categories' }).click();
    const categories = await apiReport<TopProducts>(server, 'top_products', {
      ...range,
      by: 'category',
      limit: 20,
    });
    await expect
      .poll(() => firstRowCell(page, 'top-products', 1))
      .toBe(String(categories.rows[0]!.key));
    expect(await firstRowCell(page, 'top-products', 2)).toBe(money(categories.rows[0]!.revenue));
    await page.locator('[data-testid=products-sort] label', { hasText: 'Quantity' }).click();
    const byQuantity = await apiReport<TopProducts>(server, 'top_products', {
      ...range,
      by: 'category',
      sortBy: 'quantity',
      limit: 20,
    });
    expect(byQuantity.rows[0]!.key).not.toBe(categories.rows[0]!.key);
    await expect
      .poll(() => firstRowCell(page, 'top-products', 1))
      .toBe(String(byQuantity.rows[0]!.key));
    expect(await firstRowCell(page, 'top-products', 3)).toBe(count(byQuantity.rows[0]!.quantity));
    // A click on a column header sorts the rows shown, most first.
    await page
      .locator('[data-testid=top-products] th')
      .getByRole('button', { name: 'Revenue', exact: true })
      .click();
    const mostRevenue = Math.max(...byQuantity.rows.map((row) => row.revenue));
    await expect.poll(() => firstRowCell(page, 'top-products', 2)).toBe(money(mostRevenue));

    // Agents by GMV, then by commission.
    const agents = await apiReport<AgentBoard>(server, 'agent_leaderboard', {
      ...range,
      limit: 20,
    });
    expect(agents.agents.length).toBeGreaterThan(0);
    await expect.poll(() => firstRowCell(page, 'agents', 1)).toBe(agents.agents[0]!.agentId);
    expect(await firstRowCell(page, 'agents', 2)).toBe(money(agents.agents[0]!.gmv));
    expect(await page.locator('[data-testid=agent-count]').innerText()).toContain(
      String(agents.agentCount),
    );
    await page.locator('[data-testid=agents-sort] label', { hasText: 'Commission' }).click();
    const byCommission = await apiReport<AgentBoard>(server, 'agent_leaderboard', {
      ...range,
      sortBy: 'commission',
      limit: 20,
    });
    await expect.poll(() => firstRowCell(page, 'agents', 1)).toBe(byCommission.agents[0]!.agentId);
    expect(await firstRowCell(page, 'agents', 6)).toBe(money(byCommission.agents[0]!.commission));

    // Customers (B-end) from service_stats.
    const stats = await apiReport<ServiceStats>(server, 'service_stats', {
      ...range,
      granularity: 'day',
    });
    expect(stats.customers!.total).toBeGreaterThan(0);
    expect(await statValue(page, 'customers')).toBe(count(stats.customers!.total));
    expect(await statValue(page, 'new')).toBe(count(stats.customers!.new));
    expect(await statValue(page, 'active')).toBe(count(stats.customers!.active));
    expect(await statValue(page, 'records')).toBe(count(stats.serviceRecords!.total));
    expect(await statValue(page, 'orders')).toBe(count(stats.orders!.total));
    expect(await firstRowCell(page, 'orders-by-status', 1)).toBe(
      count(stats.orders!.byStatus[0]!.count),
    );

    await screenshot(page, 'dashboard/commerce-en');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('follows the filter bar: range and comparison in the URL, filters orders do not have', async () => {
    const { context, page, problems } = await signInTo('en-US');
    const month = await apiKpis(CARDS, { range: 'last_30_days', compare: 'previous' }, 'en');
    await page.selectOption('[data-testid=range]', 'last_7_days');
    await page.waitForURL(/range=last_7_days/);
    const week = { range: 'last_7_days' };
    const cards = await apiKpis(CARDS, { ...week, compare: 'previous' }, 'en');
    expect(cards.gmv).not.toBe(month.gmv);
    await expect.poll(() => cardValue(page, 'gmv')).toBe(cards.gmv);
    for (const metric of CARDS) expect(await cardValue(page, metric)).toBe(cards[metric]);
    const products = await apiReport<TopProducts>(server, 'top_products', { ...week, limit: 20 });
    await expect
      .poll(() => firstRowCell(page, 'top-products', 4))
      .toBe(money(products.rows[0]!.revenue));
    const stats = await apiReport<ServiceStats>(server, 'service_stats', {
      ...week,
      granularity: 'day',
    });
    await expect.poll(() => statValue(page, 'new')).toBe(count(stats.customers!.new));

    await page.reload();
    await page.waitForSelector('[data-metric="gmv"] [data-testid="kpi-value"]');
    await expect.poll(() => cardValue(page, 'gmv')).toBe(cards.gmv);
    expect(await page.inputValue('[data-testid=range]')).toBe('last_7_days');

    // Against the same week last year: the cards say so, the trend draws last year's line.
    await page.selectOption('[data-testid=compare]', 'year');
    await page.waitForURL(/compare=year/);
    await expect
      .poll(() => page.locator('[data-metric="gmv"] .kpi-change').innerText())
      .toContain('vs same period last year');
    await expect
      .poll(() => page.locator('[data-chart=sales] th').allTextContents())
      .toContain('GMV (paid) · Same period last year');

    // Orders have no app: the order panels step aside and say why; the customers stay.
    await page.goto(`${server.base}${PATH}?range=last_7_days&app=web`);
    await page.waitForSelector('[data-testid=unsupported]');
    expect(await page.locator('[data-testid=unsupported]').innerText()).toContain(
      'Orders have no app',
    );
    expect(await page.locator('[data-testid=kpis]').count()).toBe(0);
    await page.waitForSelector('[data-testid=no-orders]');
    await page.click('[data-testid=remove-unsupported]');
    await page.waitForURL((url) => !url.search.includes('app='));
    await expect.poll(() => cardValue(page, 'gmv')).toBe(cards.gmv);
    expect(await page.locator('[data-testid=unsupported]').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('speaks Chinese to a Chinese browser', async () => {
    const { context, page, problems } = await signInTo('zh-CN');
    expect(await page.locator('[data-testid=commerce-page] h1').innerText()).toBe('交易');
    expect(await page.locator('[data-testid=nav-commerce]').innerText()).toBe('交易');
    expect(
      await page.locator('[data-metric="refund_rate_amount"] .kpi-name').innerText(),
    ).toContain('退款率（按金额）');
    expect(await page.locator('#commerce-products').innerText()).toBe('商品排行');
    const cards = await apiKpis(CARDS, { range: 'last_30_days', compare: 'previous' }, 'zh-CN');
    expect(await cardValue(page, 'gmv')).toBe(cards.gmv);
    expect(await cardValue(page, 'refund_rate_orders')).toBe(cards.refund_rate_orders);
    await expect.poll(() => firstRowCell(page, 'orders-by-status', 0)).toBe('已支付');
    await expect.poll(() => page.locator('[data-testid=chart] canvas').count()).toBe(9);
    await screenshot(page, 'dashboard/commerce-zh-CN');
    expect(problems).toEqual([]);
    await context.close();
  });
});

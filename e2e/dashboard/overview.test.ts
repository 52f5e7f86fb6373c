import type { MetricUnit } from '@sightline/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatChange, formatValue } from '../../packages/dashboard/src/lib/format.ts';
import { launchChromium, screenshot } from '../support/chromium.ts';
import { apiReport, signIn, startDemoServer, type DemoServer } from '../support/dashboard.ts';

interface Kpi {
  metric: string;
  unit: string;
  value: number | null;
}

/**
 * The dashboard in real Chromium against a real server with 30 days of demo data: login, the
 * overview's cards and charts, filters in the URL, both languages.
 */
describe('dashboard overview in real Chromium', () => {
  let server: DemoServer;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    server = await startDemoServer();
    base = server.base;
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** The API's KPI values for a request, as the card shows them. */
  async function apiKpis(body: Record<string, unknown>, locale: 'en' | 'zh-CN') {
    const { kpis } = await apiReport<{ kpis: Kpi[] }>(server, 'kpis', {
      metrics: ['dau', 'gmv', 'orders'],
      ...body,
    });
    return Object.fromEntries(
      kpis.map((kpi) => [kpi.metric, formatValue(kpi.value, kpi.unit as MetricUnit, locale)]),
    );
  }

  const cardValue = (page: Page, metric: string) =>
    page.locator(`[data-metric="${metric}"] [data-testid="kpi-value"]`).innerText();

  async function signInTo(locale: 'en-US' | 'zh-CN') {
    const signed = await signIn(browser, server, { locale });
    await signed.page.waitForSelector('[data-metric="dau"] [data-testid="kpi-value"]');
    return signed;
  }

  it('refuses a wrong password in words, then opens the overview with numbers and charts', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${base}/p/demo/overview`);
    await page.waitForURL(/\/login\?next=/);
    await page.fill('[data-testid=email]', server.email);
    await page.fill('[data-testid=password]', 'wrong');
    await page.click('[data-testid=login-submit]');
    await expect
      .poll(() => page.locator('[data-testid=login-error]').innerText())
      .toBe('Email or password is wrong.');
    await context.close();

    const signed = await signInTo('en-US');
    const expected = await apiKpis({ range: 'last_30_days', compare: 'previous' }, 'en');
    for (const metric of ['dau', 'gmv', 'orders'])
      expect(await cardValue(signed.page, metric)).toBe(expected[metric]);
    expect(expected.orders).not.toBe('0');
    expect(await signed.page.locator('.kpi').count()).toBe(10);
    // Four charts, each drawn (a canvas) and none empty.
    const charts = signed.page.locator('[data-testid=chart]');
    await expect.poll(() => charts.count()).toBe(4);
    await expect.poll(() => signed.page.locator('[data-testid=chart] canvas').count()).toBe(4);
    expect(await signed.page.locator('[data-testid=chart-empty]').count()).toBe(0);
    await screenshot(signed.page, 'dashboard/overview-en');
    expect(signed.problems).toEqual([]);
    await signed.context.close();
  });

  it('keeps the time range and filters in the URL: numbers change, a reload keeps them', async () => {
    const { context, page, problems } = await signInTo('en-US');
    await page.selectOption('[data-testid=range]', 'last_7_days');
    await page.waitForURL(/range=last_7_days/);
    const week = await apiKpis({ range: 'last_7_days', compare: 'previous' }, 'en');
    await expect.poll(() => cardValue(page, 'orders')).toBe(week.orders);

    // A channel filter, picked from the values the data has.
    await page.selectOption('[data-testid=add-filter]', 'channel');
    const first = page.locator('[data-testid=filter-values] input[type=checkbox]').first();
    await first.waitFor();
    const channel = await first.getAttribute('value');
    await first.check();
    await page.click('[data-testid=apply-filter]');
    await page.waitForURL(/channel=/);
    const filtered = await apiKpis(
      {
        range: 'last_7_days',
        compare: 'previous',
        filters: [{ dimension: 'channel', op: 'in', value: [channel] }],
      },
      'en',
    );
    expect(filtered.orders).not.toBe(week.orders);
    await expect.poll(() => cardValue(page, 'orders')).toBe(filtered.orders);
    expect(await page.locator('[data-testid=filter-chip]').innerText()).toContain(String(channel));

    await page.reload();
    await page.waitForSelector('[data-metric="orders"] [data-testid="kpi-value"]');
    await expect.poll(() => cardValue(page, 'orders')).toBe(filtered.orders);
    expect(await page.inputValue('[data-testid=range]')).toBe('last_7_days');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('speaks Chinese to a Chinese browser, and switches language on request', async () => {
    const { context, page, problems } = await signInTo('zh-CN');
    expect(await page.locator('[data-testid=nav-overview]').innerText()).toBe('总览');
    expect(await page.locator('[data-metric="dau"] .kpi-name').innerText()).toContain('日活跃用户');
    const expected = await apiKpis({ range: 'last_30_days', compare: 'previous' }, 'zh-CN');
    expect(await cardValue(page, 'gmv')).toBe(expected.gmv);
    await screenshot(page, 'dashboard/overview-zh-CN');

    await page.selectOption('[data-testid=language]', 'en');
    await expect
      .poll(() => page.locator('[data-testid=nav-overview]').innerText())
      .toBe('Overview');
    await page.reload();
    await expect
      .poll(() => page.locator('[data-testid=nav-overview]').innerText())
      .toBe('Overview');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('compares with a control group picked in the filter bar', async () => {
    const { context, page, problems } = await signInTo('en-US');
    await page.selectOption('[data-testid=compare]', 'control');
    await page.selectOption('[data-testid=control-dimension]', 'platform');
    await page.fill('[data-testid=control-value]', 'web');
    await page.click('[data-testid=apply-control]');
    await page.waitForURL(
      /compare=control&control=platform%3Aweb|compare=control&control=platform:web/,
    );
    const { kpis } = await apiReport<{ kpis: Array<Kpi & { changeRatio: number | null }> }>(
      server,
      'kpis',
      {
        range: 'last_30_days',
        metrics: ['orders'],
        compare: 'control',
        control: { filters: [{ dimension: 'platform', op: 'eq', value: 'web' }] },
      },
    );
    const ratio = kpis[0]?.changeRatio;
    expect(ratio).not.toBeNull();
    const change = page.locator('[data-metric="orders"] .kpi-change');
    await expect
      .poll(() => change.innerText())
      .toContain(`${formatChange(ratio ?? 0, 'en')} vs control group`);
    // The charts draw the control group as their comparison line.
    await expect
      .poll(() => page.locator('figure.chart', { hasText: 'control: Platform = web' }).count())
      .toBeGreaterThan(0);
    await page.reload();
    expect(await page.inputValue('[data-testid=compare]')).toBe('control');
    expect(problems).toEqual([]);
    await context.close();
  });
});

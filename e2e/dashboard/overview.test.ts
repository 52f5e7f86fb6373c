import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { MetricUnit } from '@sightline/shared';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatValue } from '../../packages/dashboard/src/lib/format.ts';
import { seedDemo } from '../../packages/server/src/bootstrap/seed-demo.ts';
import { createTestApp, type TestApp } from '../../packages/server/src/testing/test-app.ts';
import { collectProblems, launchChromium, screenshot } from '../support/chromium.ts';

const EMAIL = 'analyst@example.com';
const PASSWORD = 'correct horse battery staple';

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
  let t: TestApp;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    execFileSync('npm', ['run', 'build', '-w', '@sightline/dashboard'], { stdio: 'pipe' });
    t = await createTestApp();
    await seedDemo(t.app.services, { days: 30, seed: 7, scale: 0.3 });
    const created = await t.app.fastify.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload: { email: EMAIL, password: PASSWORD, role: 'analyst', projectIds: ['demo'] },
    });
    expect(created.statusCode).toBe(201);
    await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.fastify.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** The API's KPI values for a request, as the card shows them. */
  async function apiKpis(body: Record<string, unknown>, locale: 'en' | 'zh-CN') {
    const answer = await t.app.fastify.inject({
      method: 'POST',
      url: '/api/v1/projects/demo/reports/kpis',
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload: { metrics: ['dau', 'gmv', 'orders'], ...body },
    });
    expect(answer.statusCode).toBe(200);
    const kpis = answer.json<{ result: { kpis: Kpi[] } }>().result.kpis;
    return Object.fromEntries(
      kpis.map((kpi) => [kpi.metric, formatValue(kpi.value, kpi.unit as MetricUnit, locale)]),
    );
  }

  const cardValue = (page: Page, metric: string) =>
    page.locator(`[data-metric="${metric}"] [data-testid="kpi-value"]`).innerText();

  async function signIn(locale: 'en-US' | 'zh-CN'): Promise<{
    context: BrowserContext;
    page: Page;
    problems: string[];
  }> {
    const context = await browser.newContext({ locale, viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    // The browser notes the 401 of the session check before signing in; nothing else may show.
    const problems = collectProblems(page, (text) => !text.includes('status of 401'));
    await page.goto(`${base}/p/demo/overview`);
    await page.waitForURL(/\/login\?next=/);
    await page.fill('[data-testid=email]', EMAIL);
    await page.fill('[data-testid=password]', PASSWORD);
    await page.click('[data-testid=login-submit]');
    await page.waitForURL(/\/p\/demo\/overview/);
    await page.waitForSelector('[data-metric="dau"] [data-testid="kpi-value"]');
    return { context, page, problems };
  }

  it('refuses a wrong password in words, then opens the overview with numbers and charts', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${base}/p/demo/overview`);
    await page.waitForURL(/\/login\?next=/);
    await page.fill('[data-testid=email]', EMAIL);
    await page.fill('[data-testid=password]', 'wrong');
    await page.click('[data-testid=login-submit]');
    await expect
      .poll(() => page.locator('[data-testid=login-error]').innerText())
      .toBe('Email or password is wrong.');
    await context.close();

    const signed = await signIn('en-US');
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
    const { context, page, problems } = await signIn('en-US');
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
    const { context, page, problems } = await signIn('zh-CN');
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
});

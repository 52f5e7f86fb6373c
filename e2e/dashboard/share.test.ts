import type { MetricUnit } from '@sightline/shared';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatValue } from '../../packages/dashboard/src/lib/format.ts';
import { collectProblems, launchChromium, screenshot } from '../support/chromium.ts';
import { apiReport, signIn, startDemoServer, type DemoServer } from '../support/dashboard.ts';

interface Kpi {
  metric: string;
  unit: string;
  value: number | null;
}

const DIRECT = [{ dimension: 'channel', op: 'eq', value: 'direct' }];
const SHARED = '/p/demo/commerce?range=last_7_days';

/**
 * Share links in real Chromium against a real server with demo data: an analyst restricted to
 * the direct channel shares the Commerce page; a browser without an account opens it, read-only,
 * with the analyst's numbers; revoking and expiry stop it with words a visitor can act on.
 */
describe('dashboard share links in real Chromium', () => {
  let server: DemoServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchChromium();
    // The analyst sees the direct channel only (row-level scope): so must their links.
    const admin = { authorization: `Bearer ${server.t.adminToken}` };
    const users = await server.t.app.fastify.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: admin,
    });
    const analyst = users
      .json<{ users: Array<{ id: string; email: string }> }>()
      .users.find((user) => user.email === server.email);
    const scoped = await server.t.app.fastify.inject({
      method: 'PUT',
      url: `/api/v1/users/${analyst?.id}/projects`,
      headers: admin,
      payload: { projects: [{ projectId: 'demo', rowScope: DIRECT }] },
    });
    expect(scoped.statusCode).toBe(204);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const gmvCard = (page: Page) =>
    page.locator('[data-metric="gmv"] [data-testid="kpi-value"]').first();

  async function apiGmv(filters: unknown[], locale: 'en' | 'zh-CN') {
    const { kpis } = await apiReport<{ kpis: Kpi[] }>(server, 'kpis', {
      metrics: ['gmv'],
      range: 'last_7_days',
      filters,
    });
    const [kpi] = kpis;
    return formatValue(kpi?.value ?? null, (kpi?.unit ?? 'currency') as MetricUnit, locale);
  }

  /** A browser with no account opening `url`; the 401s of a stopped link are expected. */
  async function visitor(locale: 'en-US' | 'zh-CN' = 'en-US') {
    const context = await browser.newContext({ locale, viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const problems = collectProblems(page, (text) => !text.includes('status of 401'));
    return { context, page, problems };
  }

  /** A link made from the dialog on the analyst's page. */
  async function shareFromDialog(page: Page, hours: number): Promise<string> {
    await page.click('[data-testid=share-button]');
    await page.locator('[data-testid=share-dialog]').waitFor();
    await page.fill('[data-testid=share-label]', 'Direct, last week');
    await page.selectOption('[data-testid=share-expiry]', String(hours));
    await page.click('[data-testid=share-create]');
    const url = await page.locator('[data-testid=share-url]').inputValue();
    expect(url).toMatch(new RegExp(`^${server.base}/share/slv_`));
    return url;
  }

  let analyst: { context: BrowserContext; page: Page; problems: string[] };
  let link = '';

  it('makes a link from the page with its filters and lists it', async () => {
    analyst = await signIn(browser, server, { path: SHARED });
    await gmvCard(analyst.page).waitFor();
    link = await shareFromDialog(analyst.page, 24);
    const rows = analyst.page.locator('[data-testid=share-links] tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('Direct, last week');
    expect(await rows.first().innerText()).toContain('Active');
    await screenshot(analyst.page, 'dashboard/share-dialog-en');
    await analyst.page.click('[data-testid=share-close]');
    expect(analyst.problems).toEqual([]);
  });

  it('opens for someone without an account: the shared page only, with the creator’s numbers', async () => {
    for (const [locale, lang] of [
      ['en-US', 'en'],
      ['zh-CN', 'zh-CN'],
    ] as const) {
      const { context, page, problems } = await visitor(locale);
      await page.goto(link);
      await page.waitForURL((url) => url.pathname === '/p/demo/commerce');
      expect(new URL(page.url()).searchParams.get('range')).toBe('last_7_days');
      await gmvCard(page).waitFor();
      // The analyst's view: direct channel only, not the whole shop.
      const direct = await apiGmv(DIRECT, lang);
      expect(direct).not.toBe(await apiGmv([], lang));
      await expect.poll(() => gmvCard(page).innerText()).toBe(direct);
      const banner = await page.locator('[data-testid=share-banner]').innerText();
      expect(banner).toContain(lang === 'en' ? 'read-only' : '只读');
      expect(banner).toContain('Direct, last week');
      // One page in the navigation, no project switcher, no Share button, no logout.
      expect(await page.locator('nav [data-testid^=nav-]').count()).toBe(1);
      expect(await page.locator('[data-testid=nav-commerce]').count()).toBe(1);
      expect(await page.locator('[data-testid=share-button]').count()).toBe(0);
      expect(await page.locator('[data-testid=project]').count()).toBe(0);
      await screenshot(page, `dashboard/share-view-${lang}`);
      // Another page of the app leads back to the shared one; settings too.
      await page.goto(`${server.base}/p/demo/settings`);
      await page.waitForURL((url) => url.pathname === '/p/demo/commerce');
      // Filters still work in the shared view, and survive a reload.
      await page.selectOption('[data-testid=range]', 'last_90_days');
      await page.waitForURL(/range=last_90_days/);
      await page.reload();
      await gmvCard(page).waitFor();
      expect(new URL(page.url()).searchParams.get('range')).toBe('last_90_days');
      expect(problems).toEqual([]);
      await context.close();
    }
    const listed = await analyst.page.request.get(`${server.base}/api/v1/projects/demo/shares`);
    expect((await listed.json()).shares[0].openCount).toBe(2);
  });

  it('keeps a shared realtime screen live over its feed, with the link as the credential', async () => {
    const made = await analyst.page.request.post(`${server.base}/api/v1/projects/demo/shares`, {
      data: { path: '/p/demo/realtime', expiresInHours: 1 },
    });
    expect(made.status()).toBe(201);
    const { context, page, problems } = await visitor();
    await page.goto(`${server.base}/share/${(await made.json()).token}`);
    await page.waitForURL((url) => url.pathname === '/p/demo/realtime');
    await page.locator('[data-metric="gmv"] [data-testid="kpi-value"]').waitFor();
    await expect
      .poll(() => page.locator('[data-testid=live-status]').innerText())
      .toContain('Live');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('stops at once when revoked, and says so', async () => {
    const { context, page, problems } = await visitor();
    await page.goto(link);
    await gmvCard(page).waitFor();
    await analyst.page.click('[data-testid=share-button]');
    const row = analyst.page.locator('[data-testid=share-links] tbody tr', {
      hasText: 'Direct, last week',
    });
    await row.locator('[data-testid=share-revoke]').click();
    await expect.poll(() => row.innerText()).toContain('Revoked');
    await analyst.page.click('[data-testid=share-close]');
    // The visitor's next request is refused; the page says why and offers to sign in.
    await page.selectOption('[data-testid=range]', 'last_30_days');
    await page.waitForURL((url) => url.pathname.startsWith('/share/'));
    expect(await page.locator('[data-testid=share-problem]').innerText()).toContain('revoked');
    await screenshot(page, 'dashboard/share-revoked-en');
    await page.goto(link);
    await expect
      .poll(() => page.locator('[data-testid=share-open] h1').innerText())
      .toBe('This link does not open');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says a link expired, in either language, and a visitor can still sign in', async () => {
    const expiring = await shareFromDialog(analyst.page, 1);
    await analyst.page.click('[data-testid=share-close]');
    const { context, page, problems } = await visitor('zh-CN');
    await page.goto(expiring);
    await gmvCard(page).waitFor();
    // The hour passes (the server reads the link's expiry at every request).
    await server.t.app.services.metaStore.db
      .updateTable('share_links')
      .set({ expires_at: Date.now() - 1_000 })
      .where('revoked_at', 'is', null)
      .execute();
    await page.reload();
    await expect
      .poll(() => page.locator('[data-testid=share-open] h1').innerText())
      .toBe('链接已过期');
    expect(await page.locator('[data-testid=share-open]').innerText()).toContain(
      'ERR_SHARE_EXPIRED',
    );
    await page.click('[data-testid=share-open] a');
    await page.waitForURL((url) => url.pathname === '/login');
    expect(problems).toEqual([]);
    await context.close();
    expect(analyst.problems).toEqual([]);
  });
});

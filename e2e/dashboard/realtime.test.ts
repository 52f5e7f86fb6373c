import { randomUUID } from 'node:crypto';
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

/**
 * The realtime screen in real Chromium: today's numbers pushed over socket.io, updated without a
 * reload when events arrive during the test, and the dark wall mode.
 */
describe('realtime screen in real Chromium', () => {
  let server: DemoServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startDemoServer({ env: { SIGHTLINE_REALTIME_INTERVAL_MS: '500' } });
    // Just after local midnight the demo's "today" may have no task yet: one finished task and
    // one API call keep every card on a value whatever the hour the test runs.
    const answer = await server.t.app.fastify.inject({
      method: 'POST',
      url: '/api/v1/batch',
      // A browser's user agent: the test client's own would be classified as a bot and left out.
      headers: {
        'x-sightline-key': server.writeKey,
        'user-agent':
          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      },
      payload: {
        batch: [
          {
            event_id: randomUUID(),
            type: 'event',
            name: 'task_completed',
            user_id: 'u-realtime-test',
            props: { task_id: `T-${randomUUID()}`, status: 'success' },
          },
          {
            event_id: randomUUID(),
            type: 'api',
            name: 'api_call',
            duration_ms: 120,
            status: 200,
            props: { route: '/api/realtime-test', method: 'GET' },
          },
        ],
      },
    });
    if (answer.statusCode !== 200) throw new Error(`seeding today: ${answer.body}`);
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Today's GMV as the API says it now, formatted as the card shows it. */
  async function apiGmv(locale: 'en' | 'zh-CN') {
    const { kpis } = await apiReport<{ kpis: Kpi[] }>(server, 'kpis', {
      range: 'today',
      metrics: ['gmv'],
      compare: 'same_time_yesterday',
    });
    const gmv = kpis[0];
    return gmv ? formatValue(gmv.value, gmv.unit as MetricUnit, locale) : '';
  }

  const card = (page: Page, metric: string) =>
    page.locator(`[data-metric="${metric}"] [data-testid="kpi-value"]`);

  async function sendOrder(amount: number) {
    const answer = await server.t.app.fastify.inject({
      method: 'POST',
      url: '/api/v1/batch',
      headers: { 'x-sightline-key': server.writeKey },
      payload: {
        batch: [
          {
            event_id: randomUUID(),
            type: 'event',
            name: 'order_completed',
            user_id: 'u-realtime-test',
            amount,
            currency: 'CNY',
            props: { order_id: `RT-${randomUUID()}` },
          },
        ],
      },
    });
    expect(answer.statusCode).toBe(200);
  }

  it('shows today so far and updates itself when new orders arrive', async () => {
    const { context, page, problems } = await signIn(browser, server, {
      path: '/p/demo/realtime',
    });
    await card(page, 'gmv').waitFor();
    expect(await card(page, 'gmv').innerText()).toBe(await apiGmv('en'));
    for (const metric of ['dau', 'task_success_rate', 'api_latency_p95', 'qps_now'])
      expect(await card(page, metric).innerText(), metric).not.toBe('—');
    await expect.poll(() => page.locator('[data-testid=chart] canvas').count()).toBe(5);
    expect(await page.locator('[data-testid=live-status]').innerText()).toContain('Live');

    // The page is not reloaded: a mark left on it survives the update.
    await page.evaluate(() => ((globalThis as { sameDocument?: boolean }).sameDocument = true));
    const before = await card(page, 'gmv').innerText();
    await sendOrder(888_800);
    // The result cache may serve the earlier answer for a few seconds (docs/api.md, freshness).
    await expect.poll(() => apiGmv('en'), { timeout: 30_000, interval: 500 }).not.toBe(before);
    const after = await apiGmv('en');
    await expect.poll(() => card(page, 'gmv').innerText(), { timeout: 30_000 }).toBe(after);
    expect(await page.evaluate(() => (globalThis as { sameDocument?: boolean }).sameDocument)).toBe(
      true,
    );
    await screenshot(page, 'dashboard/realtime-en');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('has a dark wall mode kept in the URL, in Chinese too', async () => {
    const { context, page, problems } = await signIn(browser, server, {
      locale: 'zh-CN',
      path: '/p/demo/realtime',
    });
    await card(page, 'gmv').waitFor();
    await page.click('[data-testid=wall-toggle]');
    await page.waitForURL(/wall=1/);
    const wall = page.locator('[data-testid=realtime-page]');
    expect(await wall.getAttribute('class')).toContain('wall');
    expect(await page.locator('[data-testid=wall-toggle]').innerText()).toBe('退出大屏');
    await page.reload();
    await card(page, 'gmv').waitFor();
    expect(await wall.getAttribute('class')).toContain('wall');
    expect(await card(page, 'gmv').innerText()).toBe(await apiGmv('zh-CN'));
    await expect.poll(() => page.locator('[data-testid=chart] canvas').count()).toBe(5);
    await screenshot(page, 'dashboard/realtime-wall-zh-CN');
    expect(problems).toEqual([]);
    await context.close();
  });
});

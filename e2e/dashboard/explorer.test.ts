import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot } from '../support/chromium.ts';
import { apiReport, signIn, startDemoServer, type DemoServer } from '../support/dashboard.ts';

interface Listed {
  eventId: string;
  time: string;
  type: string;
  name: string;
}
interface Events {
  events: Listed[];
  hasMore: boolean;
}

const PATH = '/p/demo/analysis?tab=explorer';

/**
 * The event explorer in real Chromium against a real server with demo data: the list equals the
 * `events` report, an event sent during the test shows up without a reload, search and the type
 * filter narrow the list, a row opens the event's details with its props, paging and pausing.
 */
describe('dashboard event explorer in real Chromium', () => {
  let server: DemoServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startDemoServer({ days: 14 });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Sends events over HTTP with the project's write key, as an SDK would. */
  async function send(events: Array<Record<string, unknown>>): Promise<void> {
    const answer = await fetch(`${server.base}/api/v1/batch`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-sightline-key': server.writeKey,
        'user-agent':
          'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36',
      },
      body: JSON.stringify({ batch: events }),
    });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { accepted: number }).accepted).toBe(events.length);
  }

  const rowIds = (page: Page) =>
    page
      .locator('[data-testid=explorer-row]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-event-id')));
  const firstRowName = (page: Page) =>
    page.locator('[data-testid=explorer-row] .name').first().innerText();

  async function open(locale: 'en-US' | 'zh-CN' = 'en-US') {
    const signed = await signIn(browser, server, { locale, path: PATH });
    await signed.page.waitForSelector('[data-testid=explorer-row]');
    return signed;
  }

  it('lists the latest events as the API does and shows a new one without a reload', async () => {
    const { context, page, problems } = await open();
    const expected = await apiReport<Events>(server, 'events', { range: 'last_30_days' });
    expect(expected.events).toHaveLength(50);
    await expect.poll(() => rowIds(page)).toEqual(expected.events.map((e) => e.eventId));

    const name = `e2e_live_${randomUUID().slice(0, 8)}`;
    await send([
      {
        event_id: randomUUID(),
        type: 'event',
        name,
        user_id: 'e2e-user',
        page: '/e2e/live',
        props: { probe: 'explorer', plan: { tier: 'gold', seats: 3 } },
      },
    ]);
    // Polled every 2 seconds: the event arrives on top while the page stays as it is.
    await expect.poll(() => firstRowName(page)).toBe(name);
    const first = page.locator('[data-testid=explorer-row]').first();
    expect(await first.innerText()).toContain('e2e-user');
    expect(await first.innerText()).toContain('/e2e/live');
    await expect.poll(() => page.locator('[data-testid=explorer-row]').count()).toBe(51);

    // Its details: every field, props as formatted JSON.
    await first.locator('.name').click();
    const detail = page.locator('[data-testid=explorer-detail]');
    await detail.locator('[data-testid=explorer-detail-props]').waitFor();
    const props = await detail.locator('[data-testid=explorer-detail-props]').innerText();
    expect(JSON.parse(props)).toEqual({ probe: 'explorer', plan: { tier: 'gold', seats: 3 } });
    expect(props).toContain('\n  "probe": "explorer"');
    expect(await detail.locator('[data-field=name]').innerText()).toBe(name);
    expect(await detail.locator('[data-field=user_id]').innerText()).toBe('e2e-user');
    expect(await detail.locator('[data-field=ua_browser]').innerText()).toBe('Chrome');
    await screenshot(page, 'dashboard/explorer-en');
    await page.keyboard.press('Escape');
    await expect.poll(() => detail.count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('narrows the list by search and type, pages back, and pauses', async () => {
    const { context, page, problems } = await open();
    const tag = randomUUID().slice(0, 8);
    await send([
      { event_id: randomUUID(), type: 'event', name: `search_${tag}`, user_id: 'u-search' },
      {
        event_id: randomUUID(),
        type: 'error',
        message: `Boom ${tag.toUpperCase()} failed`,
        anonymous_id: 'anon-e2e',
      },
    ]);
    // Search finds the name and, in any case, the error message.
    await page.fill('[data-testid=explorer-search]', tag);
    await expect.poll(() => page.locator('[data-testid=explorer-row]').count()).toBe(2);
    const found = await apiReport<Events>(server, 'events', { range: 'last_30_days', search: tag });
    expect(await rowIds(page)).toEqual(found.events.map((e) => e.eventId));

    await page.selectOption('[data-testid=explorer-type]', 'error');
    await expect.poll(() => page.locator('[data-testid=explorer-row]').count()).toBe(1);
    expect(await firstRowName(page)).toBe('js_error');

    // The type filter alone equals the API's, and "load older" continues where the page ended.
    await page.fill('[data-testid=explorer-search]', '');
    const errors = await apiReport<Events>(server, 'events', {
      range: 'last_30_days',
      types: ['error'],
    });
    await expect.poll(() => rowIds(page)).toEqual(errors.events.map((e) => e.eventId));
    const last = errors.events.at(-1);
    if (!last || !errors.hasMore) throw new Error('the demo should have more than 50 errors');
    const older = await apiReport<Events>(server, 'events', {
      range: 'last_30_days',
      types: ['error'],
      before: { time: last.time, eventId: last.eventId },
    });
    await page.click('[data-testid=explorer-load-older]');
    await expect
      .poll(() => rowIds(page))
      .toEqual([...errors.events, ...older.events].map((e) => e.eventId));

    // The filter bar applies too: a shorter range gives the API's list for it.
    await page.selectOption('[data-testid=range]', 'last_7_days');
    await page.waitForURL(/range=last_7_days/);
    const week = await apiReport<Events>(server, 'events', {
      range: 'last_7_days',
      types: ['error'],
    });
    await expect.poll(() => rowIds(page)).toEqual(week.events.map((e) => e.eventId));

    // Paused: no polls, so a new error stays out until resumed.
    await page.click('[data-testid=explorer-pause]');
    await expect
      .poll(() => page.getAttribute('[data-testid=explorer-status]', 'data-paused'))
      .toBe('true');
    let polls = 0;
    page.on('request', (request) => {
      if (request.url().endsWith('/reports/events')) polls += 1;
    });
    const paused = `paused ${randomUUID().slice(0, 8)}`;
    await send([{ event_id: randomUUID(), type: 'error', message: paused }]);
    await page.waitForTimeout(4_500);
    expect(polls).toBe(0);
    expect(await page.locator(`text=${paused}`).count()).toBe(0);
    await page.click('[data-testid=explorer-pause]');
    await expect
      .poll(() => page.locator('[data-testid=explorer-row] .message').first().innerText())
      .toBe(paused);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('speaks Chinese', async () => {
    const { context, page, problems } = await open('zh-CN');
    expect(await page.locator('#explorer-title').innerText()).toBe('事件浏览');
    expect(await page.locator('[data-testid=explorer-pause]').innerText()).toBe('暂停');
    await page.locator('[data-testid=explorer-row] .name').first().click();
    await page.locator('[data-testid=explorer-detail-props]').waitFor();
    expect(await page.locator('[data-testid=explorer-detail] h4').first().innerText()).toBe(
      '属性 (props)',
    );
    await screenshot(page, 'dashboard/explorer-zh-CN');
    expect(problems).toEqual([]);
    await context.close();
  });
});

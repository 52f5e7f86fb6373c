import { readFile } from 'node:fs/promises';
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
interface Cohorts {
  offsets: Array<{ label: string }>;
  cohorts: Array<{
    label: string;
    size: number;
    cells: Array<{ value: number | null; complete: boolean }>;
  }>;
}

/** Reports on a cold cache take a few seconds on a busy machine: wait for them, do not time them. */
const WAIT = { timeout: 30_000 };

const KPI_METRICS = [
  'dau',
  'wau',
  'mau',
  'new_users',
  'returning_users',
  'retention_d1',
  'retention_d7',
  'churn_rate_14d',
  'registered_users',
];

/**
 * The Users page in real Chromium against a real server with 30 days of demo data: cards, the
 * activity and lifecycle charts, the cohort heatmaps (retention, LTV), RFM and saved segments,
 * each checked against the query API; filters in the URL; both languages; permission errors.
 */
describe('dashboard users page in real Chromium', () => {
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

  /** An admin call of another endpoint (segments), as `apiReport` does for reports. */
  async function adminApi(method: 'GET' | 'POST', path: string, payload?: unknown) {
    const answer = await server.t.app.fastify.inject({
      method,
      url: `/api/v1/projects/demo${path}`,
      headers: { authorization: `Bearer ${server.t.adminToken}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    return answer;
  }

  async function apiKpis(body: Record<string, unknown>, locale: 'en' | 'zh-CN') {
    const { kpis } = await apiReport<{ kpis: Kpi[] }>(server, 'kpis', {
      metrics: KPI_METRICS,
      compare: 'previous',
      ...body,
    });
    return Object.fromEntries(
      kpis.map((kpi) => [kpi.metric, formatValue(kpi.value, kpi.unit as MetricUnit, locale)]),
    );
  }

  const cardValue = (page: Page, metric: string) =>
    page.locator(`[data-metric="${metric}"] [data-testid="kpi-value"]`).innerText();

  /** The screen-reader table of a panel's chart: its header and rows, as text. */
  async function chartTable(page: Page, panel: string) {
    const table = page.locator(`[data-testid=${panel}] table.visually-hidden`).first();
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

  async function openUsers(locale: 'en-US' | 'zh-CN' = 'en-US', path = '/p/demo/users') {
    const signed = await signIn(browser, server, { locale, path });
    await signed.page.waitForSelector('[data-metric="dau"] [data-testid="kpi-value"]');
    return signed;
  }

  it('shows the cards, charts and cohort matrices with the API’s numbers', async () => {
    const { context, page, problems } = await openUsers();
    const expected = await apiKpis({ range: 'last_30_days' }, 'en');
    expect(await page.locator('.kpi').count()).toBe(KPI_METRICS.length);
    for (const metric of KPI_METRICS)
      expect(await cardValue(page, metric), metric).toBe(expected[metric]);
    expect(expected.dau).not.toBe('0');

    // Five charts (activity, lifecycle, retention, LTV, RFM), each drawn and none empty.
    await expect.poll(() => page.locator('[data-testid=chart]:has(canvas)').count(), WAIT).toBe(5);
    expect(await page.locator('[data-testid=chart-empty]').count()).toBe(0);

    // Retention: signup cohorts by day; one cell (the first cohort's D1) against the API.
    const retention = await apiReport<Cohorts>(server, 'retention', {
      range: 'last_30_days',
      cohortBy: 'signup',
      period: 'day',
      value: 'retention',
    });
    const index = retention.cohorts.findIndex((c) => c.cells[1]?.complete && c.size > 0);
    const cohort = retention.cohorts[index]!;
    const shown = await chartTable(page, 'retention-panel');
    expect(shown.columns.slice(2)).toEqual(retention.offsets.map((o) => o.label));
    expect(shown.rows).toHaveLength(retention.cohorts.length + 1); // + the average row
    const row = shown.rows[index + 1]!;
    expect(row[0]).toBe(cohort.label);
    expect(row[1]).toBe(String(cohort.size));
    expect(row[3]).toBe(formatValue(cohort.cells[1]!.value, 'ratio', 'en'));
    expect(row[3]).toMatch(/%$/);

    // LTV: cumulative GMV per person by signup week, money in yuan from fen.
    const ltv = await apiReport<Cohorts>(server, 'retention', {
      range: 'last_30_days',
      cohortBy: 'signup',
      period: 'week',
      value: 'revenue',
    });
    const ltvShown = await chartTable(page, 'revenue-panel');
    const firstLtv = ltv.cohorts[0]!;
    expect(ltvShown.rows[1]![0]).toBe(firstLtv.label);
    expect(ltvShown.rows[1]![2]).toBe(formatValue(firstLtv.cells[0]!.value, 'currency', 'en'));
    expect(ltvShown.rows[1]![2]).toMatch(/^CN¥|^¥/);

    // Lifecycle: new / returning / resurrecting / dormant per day.
    const lifecycle = await apiReport<{
      buckets: Array<{ new: number; returning: number; resurrecting: number; dormant: number }>;
    }>(server, 'lifecycle', { range: 'last_30_days', granularity: 'day' });
    const lifeShown = await chartTable(page, 'lifecycle-panel');
    expect(lifeShown.rows).toHaveLength(lifecycle.buckets.length);
    const last = lifecycle.buckets.at(-1)!;
    expect(lifeShown.rows.at(-1)!.slice(1, 5)).toEqual(
      [last.new, last.returning, last.resurrecting, last.dormant].map(String),
    );

    // RFM: the segments table against the report.
    const rfm = await apiReport<{
      segments: Array<{ id: string; label: { en: string }; buyers: number; monetary: number }>;
    }>(server, 'rfm', { range: 'last_30_days', limit: 0 });
    const champions = rfm.segments.find((s) => s.buyers > 0)!;
    const rfmRow = page
      .locator('[data-testid=rfm-panel] [data-testid=data-table] tbody tr')
      .filter({ hasText: champions.label.en });
    expect(await rfmRow.locator('td').nth(1).innerText()).toBe(
      formatValue(champions.buyers, 'count', 'en'),
    );
    expect(await rfmRow.locator('td').nth(3).innerText()).toBe(
      formatValue(champions.monetary, 'currency', 'en'),
    );

    await screenshot(page, 'dashboard/users-en');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('follows the filter bar and its own controls; the range survives a reload', async () => {
    const { context, page, problems } = await openUsers();
    const month = await apiKpis({ range: 'last_30_days' }, 'en');
    await page.selectOption('[data-testid=range]', 'last_7_days');
    await page.waitForURL(/range=last_7_days/);
    const week = await apiKpis({ range: 'last_7_days' }, 'en');
    expect(week.new_users).not.toBe(month.new_users);
    await expect.poll(() => cardValue(page, 'new_users'), WAIT).toBe(week.new_users);
    // Seven daily cohorts (and the average row) in the heatmap now.
    await expect
      .poll(async () => (await chartTable(page, 'retention-panel')).rows.length, WAIT)
      .toBe(8);

    // Weekly cohorts of first visits.
    await page.selectOption('[data-testid=retention-period]', 'week');
    await page.selectOption('[data-testid=retention-cohort-by]', 'first_event');
    const weekly = await apiReport<Cohorts>(server, 'retention', {
      range: 'last_7_days',
      cohortBy: 'first_event',
      period: 'week',
      value: 'retention',
    });
    await expect
      .poll(async () => (await chartTable(page, 'retention-panel')).rows[1]?.[1], WAIT)
      .toBe(String(weekly.cohorts[0]!.size));
    expect((await chartTable(page, 'retention-panel')).columns[2]).toBe('W0');

    // A comparison adds the dashed line of DAU to the activity chart.
    await page.selectOption('[data-testid=compare]', 'previous');
    await page.waitForURL(/compare=previous/);
    await expect
      .poll(async () => (await chartTable(page, 'activity-chart')).columns.length, WAIT)
      .toBe(5);

    await page.reload();
    await page.waitForSelector('[data-metric="new_users"] [data-testid="kpi-value"]');
    await expect.poll(() => cardValue(page, 'new_users'), WAIT).toBe(week.new_users);
    expect(await page.inputValue('[data-testid=range]')).toBe('last_7_days');
    expect(await page.inputValue('[data-testid=compare]')).toBe('previous');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('previews, saves, lists and exports a segment, and filters the page by it', async () => {
    const { context, page, problems } = await openUsers();
    const builder = page.locator('[data-testid=segment-builder]');
    const rule = { kind: 'behavior', event: 'login', op: 'gte', count: 2, withinDays: 30 };
    await builder.locator('[data-testid=rule-event]').fill('login');
    await builder.locator('[data-testid=rule-count]').fill('2');
    await builder.locator('[data-testid=rule-days]').fill('30');
    await builder.locator('[data-testid=segment-preview]').click();
    const preview = await adminApi('POST', '/segments/preview', { rules: [rule] });
    const { size } = preview.json<{ size: number }>();
    expect(size).toBeGreaterThan(0);
    await expect
      .poll(() => builder.locator('[data-testid=segment-preview-size]').innerText(), WAIT)
      .toContain(`${formatValue(size, 'count', 'en')} people match now`);

    // A second rule on a dimension: the preview narrows, as the API's does.
    await builder.locator('[data-testid=add-property-rule]').click();
    const second = builder.locator('[data-testid=segment-rule-1]');
    await second.locator('[data-testid=rule-field]').selectOption('platform');
    await second.locator('[data-testid=rule-value]').fill('web');
    await builder.locator('[data-testid=segment-preview]').click();
    const narrowed = (
      await adminApi('POST', '/segments/preview', {
        rules: [rule, { kind: 'property', dimension: 'platform', op: 'eq', value: 'web' }],
      })
    ).json<{ size: number }>().size;
    expect(narrowed).toBeLessThan(size);
    await expect
      .poll(() => builder.locator('[data-testid=segment-preview-size]').innerText(), WAIT)
      .toContain(`${formatValue(narrowed, 'count', 'en')} people match now`);
    await second.getByRole('button', { name: 'Remove rule 2' }).click();

    await builder.locator('[data-testid=segment-name]').fill('Frequent logins');
    await builder.locator('[data-testid=segment-save]').click();
    await builder.locator('[data-testid=segment-saved]').waitFor();
    const listed = (await adminApi('GET', '/segments')).json<{
      segments: Array<{ id: string; name: string; size: number }>;
    }>().segments;
    const segment = listed.find((s) => s.name === 'Frequent logins')!;
    expect(segment.size).toBe(size);
    const row = page.locator(`[data-segment="${segment.id}"]`);
    expect(await row.locator('[data-testid=segment-size]').innerText()).toBe(
      formatValue(size, 'count', 'en'),
    );
    expect(await row.innerText()).toContain('Did login at least 2 times in the last 30 days');

    // Members as CSV, the server's file as is.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.locator('[data-testid=segment-export]').click(),
    ]);
    const file = await readFile(await download.path(), 'utf8');
    const members = await adminApi('GET', `/segments/${segment.id}/members.csv`);
    expect(file).toBe(members.body);
    expect(file.trim().split(/\r?\n/)).toHaveLength(size + 1);

    // The segment as the page's filter: the cards count its people only.
    await row.locator('[data-testid=segment-use]').click();
    await page.waitForURL(new RegExp(`segment=${segment.id}`));
    expect(await page.locator('[data-testid=active-segment]').innerText()).toContain(
      'Frequent logins',
    );
    const within = await apiKpis({ range: 'last_30_days', segmentId: segment.id }, 'en');
    await expect.poll(() => cardValue(page, 'mau'), WAIT).toBe(within.mau);
    expect(within.mau).not.toBe((await apiKpis({ range: 'last_30_days' }, 'en')).mau);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says in words when the role may not save segments or export members', async () => {
    const email = 'viewer@example.com';
    const password = 'another horse battery staple';
    const created = await server.t.app.fastify.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { authorization: `Bearer ${server.t.adminToken}` },
      payload: { email, password, role: 'viewer', projectIds: ['demo'] },
    });
    expect(created.statusCode).toBe(201);
    // A segment the viewer did not make, created through the admin API: listed for them too.
    const made = await adminApi('POST', '/segments', {
      name: 'Buyers',
      rules: [{ kind: 'behavior', event: 'order_completed', op: 'gte', count: 1, withinDays: 30 }],
    });
    expect(made.statusCode).toBe(201);
    const segment = made.json<{ id: string; size: number }>();

    const { context, page, problems } = await signIn(
      browser,
      { ...server, email, password },
      { path: '/p/demo/users' },
    );
    const row = page.locator(`[data-segment="${segment.id}"]`);
    await row.waitFor();
    expect(await row.locator('[data-testid=segment-size]').innerText()).toBe(
      formatValue(segment.size, 'count', 'en'),
    );

    const builder = page.locator('[data-testid=segment-builder]');
    await builder.locator('[data-testid=segment-name]').fill('Not allowed');
    await builder.locator('[data-testid=segment-save]').click();
    const error = builder.locator('[data-testid=segment-error]');
    await error.waitFor();
    expect(await error.innerText()).toContain('Missing permission data:export');
    expect(await error.innerText()).toContain('ERR_AUTH_FORBIDDEN');

    await row.locator('[data-testid=segment-export]').click();
    await expect
      .poll(() => row.locator('[data-testid=segment-export-error]').innerText(), WAIT)
      .toContain('may not save segments or download their members');
    // The browser logs the refused requests themselves; nothing else went wrong.
    expect(problems.filter((text) => !text.includes('status of 403'))).toEqual([]);
    await context.close();
  });

  it('speaks Chinese to a Chinese browser', async () => {
    const { context, page, problems } = await openUsers('zh-CN');
    expect(await page.locator('h1').innerText()).toBe('用户');
    expect(await page.locator('[data-metric="mau"] .kpi-name').innerText()).toContain('月活跃用户');
    expect(await page.locator('[data-testid=retention-panel] .chart-title').innerText()).toBe(
      '留存热力图',
    );
    const expected = await apiKpis({ range: 'last_30_days' }, 'zh-CN');
    expect(await cardValue(page, 'retention_d1')).toBe(expected.retention_d1);
    await expect.poll(() => page.locator('[data-testid=chart]:has(canvas)').count(), WAIT).toBe(5);
    await screenshot(page, 'dashboard/users-zh-CN');
    expect(problems).toEqual([]);
    await context.close();
  });
});

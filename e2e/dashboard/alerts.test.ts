import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatValue } from '../../packages/dashboard/src/lib/format.ts';
import { formatBytes } from '../../packages/dashboard/src/pages/alerts/format-bytes.ts';
import { launchChromium, screenshot } from '../support/chromium.ts';
import { signIn, startDemoServer, type DemoServer } from '../support/dashboard.ts';

interface AlertJson {
  id: string;
  state: string;
  value: number | null;
  labels: Record<string, string>;
  ackBy: string | null;
  ackComment: string | null;
  silencedBy: string | null;
}

/** A local HTTP receiver standing in for a webhook: it records every request and answers 200. */
async function startReceiver() {
  const requests: Array<{
    method: string;
    url: string;
    headers: IncomingHttpHeaders;
    body: string;
  }> = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      requests.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body,
      });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    requests,
    url: `http://127.0.0.1:${port}/hook`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The alerts page in real Chromium against a real demo server whose alerting loop runs every
 * second: an operator creates a rule in the editor and previews it, sees it fire in the alert
 * center, acknowledges it with a comment, silences another alert, adds a webhook channel and
 * sends a test to a local receiver; an analyst sees no rule controls; Chinese renders. Every
 * change is checked through the HTTP API.
 */
describe('dashboard alerts in real Chromium', () => {
  let server: DemoServer;
  let browser: Browser;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const operator = { email: 'alerts-operator@example.com', password: 'alerts operator password 1' };
  let operatorId = '';
  /** One operator session shared by the tests in order (the login rate limit allows few). */
  let session: { context: BrowserContext; page: Page; problems: string[] };
  const RULE = 'Orders flowing (e2e)';
  const OTHER = 'Events flowing (e2e)';
  const INSIGHT = 'Checkout funnel (e2e)';
  const INSIGHT_RULE = 'Checkout conversion low (e2e)';
  let ruleAlertId = '';

  async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, payload?: object) {
    const answer = await server.t.app.fastify.inject({
      method,
      url: `/api/v1/projects/demo/alerts${path}`,
      headers: { authorization: `Bearer ${server.t.adminToken}` },
      ...(payload ? { payload } : {}),
    });
    if (answer.statusCode >= 300)
      throw new Error(`${method} ${path}: ${answer.statusCode} ${answer.body}`);
    return answer.json<T>();
  }
  const alertsNamed = async (name: string) =>
    (await api<{ alerts: AlertJson[] }>('GET', '')).alerts.filter(
      (alert) => alert.labels.alertname === name,
    );
  const row = (page: Page, name: string) =>
    page.locator('[data-testid=alert-row]', { hasText: name });

  beforeAll(async () => {
    server = await startDemoServer({ env: { SIGHTLINE_ALERT_TICK_MS: '1000' } });
    const created = await server.t.app.fastify.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { authorization: `Bearer ${server.t.adminToken}` },
      payload: { ...operator, role: 'operator', name: 'Alerts Operator', projectIds: ['demo'] },
    });
    if (created.statusCode !== 201) throw new Error(`creating the operator: ${created.body}`);
    operatorId = created.json<{ user: { id: string } }>().user.id;
    receiver = await startReceiver();
    browser = await launchChromium();
    session = await signIn(
      browser,
      { ...server, ...operator },
      { path: '/p/demo/alerts?tab=rules' },
    );
  }, 180_000);
  afterAll(async () => {
    await session?.context.close();
    await browser?.close();
    await receiver?.close();
    await server?.close();
  });

  it('creates a rule in the editor, draws its 7-day preview, and sees it fire', async () => {
    const { page, problems } = session;
    // The demo project starts with a few rules of its own (they name no channel).
    const before = (await api<{ rules: unknown[] }>('GET', '/rules')).rules.length;
    await expect.poll(() => page.locator('[data-testid=rule-row]').count()).toBe(before);
    await page.click('[data-testid=rule-new]');
    await page.waitForURL(/rule=new/);
    await page.fill('[data-testid=rule-name]', RULE);
    await page.selectOption('[data-testid=rule-metric]', 'orders');
    await page.fill('[data-testid=rule-window]', '60');
    await page.selectOption('[data-testid=rule-condition]', 'threshold');
    await page.selectOption('[data-testid=rule-op]', 'gte');
    await page.fill('[data-testid=rule-threshold]', '0');
    await page.selectOption('[data-testid=rule-severity]', 'P1');
    expect(await page.locator('[data-testid=rule-summary]').innerText()).toContain(
      'Paid orders ≥ 0 over the last 1 h',
    );

    // The preview: the server's answer for the same definition, drawn with its firing periods.
    const spec = {
      name: RULE,
      severity: 'P1',
      query: { metric: 'orders', windowMinutes: 60 },
      condition: { kind: 'threshold', op: 'gte', value: 0 },
    };
    const preview = await api<{ points: unknown[]; firings: unknown[] }>(
      'POST',
      '/rules/preview',
      spec,
    );
    expect(preview.points).toHaveLength(7 * 24);
    expect(preview.firings.length).toBeGreaterThan(0);
    await page.click('[data-testid=rule-preview-button]');
    const drawn = page.locator('[data-testid=rule-preview]');
    await drawn.locator('[data-testid=chart] canvas').waitFor();
    expect(await drawn.locator('[data-testid=chart-empty]').count()).toBe(0);
    const times = preview.firings.length === 1 ? 'once' : `${preview.firings.length} times`;
    expect(await drawn.locator('[data-testid=preview-verdict]').innerText()).toContain(
      `Would have fired ${times} in the last 7 days.`,
    );
    // Its screen-reader table marks the hours the rule would have fired.
    expect(await drawn.locator('table.visually-hidden tbody tr').count()).toBe(7 * 24);

    await page.click('[data-testid=rule-save]');
    await page.waitForURL((url) => !url.search.includes('rule='));
    await expect.poll(() => page.locator('[data-testid=rule-row]').count()).toBe(before + 1);
    expect(
      await page
        .locator('[data-testid=rule-row]', { hasText: RULE })
        .locator('[data-testid=rule-condition-text]')
        .innerText(),
    ).toContain('Paid orders ≥ 0 over the last 1 h');
    const { rules } = await api<{ rules: Array<Record<string, unknown>> }>('GET', '/rules');
    expect(rules).toHaveLength(before + 1);
    expect(rules.find((rule) => rule.name === RULE)).toMatchObject({
      name: RULE,
      severity: 'P1',
      enabled: true,
      query: { metric: 'orders', windowMinutes: 60, groupBy: null },
      condition: { kind: 'threshold', op: 'gte', value: 0 },
      forSeconds: 0,
      breaches: { m: 1, n: 1 },
    });

    // The alerting loop evaluates it within a second or two; the center shows it firing.
    await expect.poll(async () => (await alertsNamed(RULE))[0]?.state).toBe('firing');
    await page.click('[data-testid=tab-center]');
    await page.waitForURL((url) => !url.search.includes('tab='));
    await row(page, RULE).waitFor();
    expect(await row(page, RULE).getAttribute('data-state')).toBe('firing');
    expect(await row(page, RULE).locator('[data-testid=severity]').innerText()).toBe('P1');
    const [alert] = await alertsNamed(RULE);
    ruleAlertId = alert?.id ?? '';
    await page.click('[data-testid=refresh]');
    await expect
      .poll(async () => {
        const [now] = await alertsNamed(RULE);
        const shown = await row(page, RULE).locator('[data-testid=alert-value]').innerText();
        return shown === formatValue(now?.value ?? null, 'count', 'en') ? 'same' : shown;
      })
      .toBe('same');
    expect(problems).toEqual([]);
  });

  it("shows the server's refusal of a rule next to the field it names", async () => {
    const { page, problems } = session;
    await page.click('[data-testid=tab-rules]');
    await page.click('[data-testid=rule-new]');
    await page.fill('[data-testid=rule-name]', 'Too patient (e2e)');
    // 2000 minutes is more than the server's 24 hours of "for".
    await page.fill('[data-testid=rule-for]', '2000');
    await page.click('[data-testid=rule-save]');
    const refusal = page.locator('[data-testid=rule-editor] [data-testid=action-error]');
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('Code ERR_ALERT_RULE_INVALID');
    expect(await refusal.innerText()).toContain('forSeconds');
    expect(await page.getAttribute('[data-testid=rule-for]', 'aria-invalid')).toBe('true');
    await page.click('[data-testid=rule-cancel]');
    await page.waitForSelector('[data-testid=rules-table]');
    expect(
      (await api<{ rules: Array<{ name: string }> }>('GET', '/rules')).rules.map((r) => r.name),
    ).not.toContain('Too patient (e2e)');
    // The browser notes the refused request (400) in its console; nothing else went wrong.
    expect(problems.filter((text) => !text.includes('status of 400'))).toEqual([]);
    problems.length = 0;
    await page.click('[data-testid=tab-center]');
    await row(page, RULE).waitFor();
  });

  it('creates a rule on a saved funnel insight from the editor', async () => {
    const { page, problems } = session;
    const saveInsight = async (insight: object) => {
      const answer = await server.t.app.fastify.inject({
        method: 'POST',
        url: '/api/v1/projects/demo/insights',
        headers: { authorization: `Bearer ${server.t.adminToken}` },
        payload: insight,
      });
      if (answer.statusCode !== 201) throw new Error(`saving an insight: ${answer.body}`);
      return answer.json<{ id: string }>().id;
    };
    const insightId = await saveInsight({
      name: INSIGHT,
      kind: 'funnel',
      params: {
        steps: [{ event: 'view_product' }, { event: 'add_to_cart' }, { event: 'order_completed' }],
      },
    });
    await saveInsight({ name: 'Retention (e2e)', kind: 'retention', params: {} });
    await page.click('[data-testid=tab-rules]');
    await page.click('[data-testid=rule-new]');
    await page.fill('[data-testid=rule-name]', INSIGHT_RULE);
    await page.check('[data-testid=rule-source-insight]');
    const picker = page.locator('[data-testid=rule-insight]');
    await expect.poll(() => picker.locator('option', { hasText: INSIGHT }).count()).toBe(1);
    // Only trends and funnel insights can be watched.
    expect(await picker.locator('option', { hasText: 'Retention (e2e)' }).count()).toBe(0);
    await picker.selectOption(insightId);
    await page.selectOption('[data-testid=rule-insight-step]', '3');
    await page.selectOption('[data-testid=rule-insight-step-from]', 'first');
    await page.fill('[data-testid=rule-window]', '1440');
    await page.selectOption('[data-testid=rule-condition]', 'threshold');
    await page.selectOption('[data-testid=rule-op]', 'lt');
    await page.fill('[data-testid=rule-threshold]', '100'); // %: the value is a conversion
    const watched = `Insight “${INSIGHT}” · conversion into step 3 (order_completed) from step 1`;
    expect(await page.locator('[data-testid=rule-summary]').innerText()).toContain(
      `${watched} < ${formatValue(1, 'ratio', 'en')} over the last 1 d`,
    );

    const spec = {
      name: INSIGHT_RULE,
      severity: 'P1',
      query: { source: 'insight', insightId, step: 3, stepFrom: 'first', windowMinutes: 1440 },
      condition: { kind: 'threshold', op: 'lt', value: 1 },
    };
    const preview = await api<{ firings: unknown[] }>('POST', '/rules/preview', spec);
    await page.click('[data-testid=rule-preview-button]');
    const drawn = page.locator('[data-testid=rule-preview]');
    await drawn.locator('[data-testid=chart] canvas').waitFor();
    expect(await drawn.locator('[data-testid=chart-empty]').count()).toBe(0);
    const times = preview.firings.length === 1 ? 'once' : `${preview.firings.length} times`;
    expect(await drawn.locator('[data-testid=preview-verdict]').innerText()).toContain(
      `Would have fired ${times} in the last 7 days.`,
    );
    await screenshot(page, 'dashboard/alerts-insight-rule-en');

    await page.click('[data-testid=rule-save]');
    await page.waitForURL((url) => !url.search.includes('rule='));
    const listed = page.locator('[data-testid=rule-row]', { hasText: INSIGHT_RULE });
    await expect.poll(() => listed.locator('[data-testid=rule-watched]').innerText()).toBe(watched);
    const { rules } = await api<{ rules: Array<Record<string, unknown>> }>('GET', '/rules');
    expect(rules.find((rule) => rule.name === INSIGHT_RULE)).toMatchObject({
      query: { source: 'insight', insightId, seriesIndex: 0, step: 3, stepFrom: 'first' },
      condition: { kind: 'threshold', op: 'lt', value: 1 },
    });

    // It fires with the conversion the funnel report gives for the window it was evaluated on.
    await expect.poll(async () => (await alertsNamed(INSIGHT_RULE))[0]?.state).toBe('firing');
    const [alert] = (
      await api<{ alerts: Array<AlertJson & { lastEvalAt: number }> }>('GET', '')
    ).alerts.filter((a) => a.labels.alertname === INSIGHT_RULE);
    const evaluatedAt = alert?.lastEvalAt ?? 0;
    const report = await server.t.app.fastify.inject({
      method: 'POST',
      url: '/api/v1/projects/demo/reports/funnel',
      headers: { authorization: `Bearer ${server.t.adminToken}` },
      payload: {
        from: new Date(evaluatedAt - 1440 * 60_000).toISOString(),
        to: new Date(evaluatedAt).toISOString(),
        steps: [{ event: 'view_product' }, { event: 'add_to_cart' }, { event: 'order_completed' }],
      },
    });
    const steps = report.json<{ result: { steps: Array<{ conversionFromFirst: number }> } }>()
      .result.steps;
    expect(alert?.value).toBe(steps[2]?.conversionFromFirst);
    expect(alert?.labels.insight_id).toBe(insightId);
    await page.click('[data-testid=tab-center]');
    await row(page, INSIGHT_RULE).waitFor();
    expect(await row(page, INSIGHT_RULE).locator('[data-testid=alert-value]').innerText()).toBe(
      formatValue(alert?.value ?? null, 'ratio', 'en'),
    );
    expect(problems).toEqual([]);
    await row(page, RULE).waitFor();
  });

  it('acknowledges the alert with a comment, and opens its detail from a link', async () => {
    const { page, problems } = session;
    const comment = 'Looking into it (e2e)';
    await row(page, RULE).locator('[data-testid=action-ack]').click();
    await page.fill('[data-testid=note-text]', comment);
    await page.click('[data-testid=note-submit]');
    await row(page, RULE).locator('[data-testid=mark-ack]').waitFor();
    expect(await row(page, RULE).locator('[data-testid=mark-ack]').innerText()).toContain(
      'Acknowledged by alerts-operator@example.com (you)',
    );
    const detail = await api<{
      alert: AlertJson;
      events: Array<{ kind: string; comment: string }>;
    }>('GET', `/${ruleAlertId}`);
    expect(detail.alert.ackBy).toBe(`user:${operatorId}`);
    expect(detail.alert.ackComment).toBe(comment);
    expect(detail.events.find((event) => event.kind === 'acknowledged')?.comment).toBe(comment);

    // The notification link: ?alert=<id> opens the detail with its history.
    await page.goto(`${server.base}/p/demo/alerts?alert=${ruleAlertId}`);
    await page.waitForSelector('[data-testid=alert-detail] [data-testid=history]');
    expect(await page.locator('[data-testid=detail-ack-comment]').innerText()).toContain(comment);
    const history = await page.locator('[data-testid=history]').innerText();
    expect(history).toContain('Inactive → Firing');
    expect(history).toContain('Acknowledged by alerts-operator@example.com (you)');
    expect(history).toContain(comment);
    await page.fill('[data-testid=detail-comment]', 'Orders are fine (e2e)');
    await page.click('[data-testid=detail-comment-submit]');
    await expect
      .poll(() => page.locator('[data-testid=history]').innerText())
      .toContain('Orders are fine (e2e)');
    await page.click('[data-testid=detail-back]');
    await page.waitForSelector('[data-testid=alerts-table]');
    expect(problems).toEqual([]);
  });

  it('silences another alert from the center with its labels as matchers', async () => {
    const { page, problems } = session;
    await page.click('[data-testid=tab-silences]');
    await page.waitForSelector('[data-testid=silences-empty]');
    expect(await page.locator('[data-testid=silences-empty]').innerText()).toContain(
      'No silences — every alert notifies its channels.',
    );
    await page.click('[data-testid=tab-center]');
    await page.waitForSelector('[data-testid=alerts-table]');
    await api('POST', '/rules', {
      name: OTHER,
      severity: 'P2',
      query: { metric: 'events', windowMinutes: 60 },
      condition: { kind: 'threshold', op: 'gte', value: 0 },
    });
    await expect.poll(async () => (await alertsNamed(OTHER))[0]?.state).toBe('firing');
    await page.click('[data-testid=refresh]');
    await row(page, OTHER).waitFor();
    await row(page, OTHER).locator('[data-testid=action-silence]').click();
    const form = page.locator('[data-testid=silence-dialog] [data-testid=silence-form]');
    await form.waitFor();
    const inputs = await form.locator('[data-testid=matcher-value]').all();
    const values = await Promise.all(inputs.map((input) => input.inputValue()));
    expect(values.sort()).toEqual([OTHER, 'P2'].sort());
    await form.locator('[data-testid=silence-comment]').fill('Planned maintenance (e2e)');
    await form.locator('[data-testid=silence-submit]').click();
    await row(page, OTHER).locator('[data-testid=mark-silenced]').waitFor();

    const { silences } = await api<{
      silences: Array<{ id: string; comment: string; matchers: unknown[]; status: string }>;
    }>('GET', '/silences');
    expect(silences).toHaveLength(1);
    const [silence] = silences;
    expect(silence).toMatchObject({ comment: 'Planned maintenance (e2e)', status: 'active' });
    expect(silence?.matchers).toEqual(
      expect.arrayContaining([
        { name: 'alertname', op: '=', value: OTHER },
        { name: 'severity', op: '=', value: 'P2' },
      ]),
    );
    const [other] = await alertsNamed(OTHER);
    expect(other?.silencedBy).toBe(silence?.id);
    expect((await alertsNamed(RULE))[0]?.silencedBy).toBeNull();
    expect(await row(page, OTHER).locator('[data-testid=mark-silenced]').innerText()).toContain(
      silence?.id ?? '?',
    );
    await screenshot(page, 'dashboard/alerts-en');

    // The silences tab lists it, with its matchers and comment.
    await page.click('[data-testid=tab-silences]');
    await page.waitForURL(/tab=silences/);
    const listed = page.locator(`[data-silence-id="${silence?.id}"]`);
    await listed.waitFor();
    expect(await listed.innerText()).toContain(`alertname = ${OTHER}`);
    expect(await listed.innerText()).toContain('Planned maintenance (e2e)');

    // A recurring weekly window: weekdays 22:00–06:00 in the project's time zone.
    await page.click('[data-testid=silence-new]');
    const recurring = page.locator('[data-testid=silences-panel] [data-testid=silence-form]');
    await recurring.locator('[data-testid=matcher-value]').fill('Nightly batch');
    await recurring.locator('[data-testid=silence-kind] input[value=recurring]').check();
    await recurring.locator('[data-testid=window-start]').fill('22:00');
    await recurring.locator('[data-testid=window-end]').fill('06:00');
    expect(await recurring.innerText()).toContain(
      'Runs over midnight: 22:00 to 06:00 the next day.',
    );
    await recurring.locator('[data-testid=silence-comment]').fill('Nightly import (e2e)');
    await recurring.locator('[data-testid=silence-submit]').click();
    await expect.poll(() => page.locator('[data-testid=silence-row]').count()).toBe(2);
    const windowed = (
      await api<{ silences: Array<{ comment: string; schedule: unknown }> }>('GET', '/silences')
    ).silences.find((item) => item.comment === 'Nightly import (e2e)');
    expect(windowed?.schedule).toEqual({
      days: [1, 2, 3, 4, 5],
      startMinute: 1320,
      endMinute: 360,
    });
    expect(
      await page.locator('[data-testid=silence-row]', { hasText: 'Nightly batch' }).innerText(),
    ).toContain('22:00–06:00');
    expect(problems).toEqual([]);
  });

  it('adds a webhook channel and sends a test to a local receiver', async () => {
    const { page, problems } = session;
    await page.click('[data-testid=tab-channels]');
    await page.waitForURL(/tab=channels/);
    await page.waitForSelector('[data-testid=channels-empty]');
    await page.click('[data-testid=channel-new]');
    await page.fill('[data-testid=channel-name]', 'e2e hook');
    await page.selectOption('[data-testid=channel-kind]', 'webhook');
    await page.fill('[data-testid=channel-url]', receiver.url);
    await page.fill('[data-testid=channel-secret]', 'e2e-signing-secret');
    await page.click('[data-testid=channel-save]');
    const channelRow = page.locator('[data-testid=channel-row]', { hasText: 'e2e hook' });
    await channelRow.waitFor();
    const { channels } = await api<{
      channels: Array<{ id: string; kind: string; config: Record<string, unknown> }>;
    }>('GET', '/channels');
    expect(channels).toHaveLength(1);
    expect(channels[0]?.kind).toBe('webhook');
    expect(channels[0]?.config).toMatchObject({ url: receiver.url, secret: '******' });

    expect(receiver.requests).toHaveLength(0);
    await channelRow.locator('[data-testid=channel-test]').click();
    const status = page.locator('[data-testid=channel-test-result] [data-testid=test-status]');
    await status.waitFor();
    expect(await status.innerText()).toBe('Test message: sent');
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]?.method).toBe('POST');
    expect(receiver.requests[0]?.headers['x-sightline-signature']).toMatch(/^sha256=/);
    expect(JSON.parse(receiver.requests[0]?.body ?? '{}')).toMatchObject({
      sightline: { status: 'test', project: { id: 'demo' } },
    });

    // Editing keeps the masked secret: the form shows the mask and saving sends it back.
    await channelRow.locator('[data-testid=channel-edit]').click();
    expect(await page.inputValue('[data-testid=channel-secret]')).toBe('******');
    await page.fill('[data-testid=channel-name]', 'e2e hook (edited)');
    await page.click('[data-testid=channel-save]');
    const edited = page.locator('[data-testid=channel-row]', { hasText: 'e2e hook (edited)' });
    await edited.waitFor();
    await edited.locator('[data-testid=channel-test]').click();
    await expect.poll(() => receiver.requests.length).toBe(2);
    expect(receiver.requests[1]?.headers['x-sightline-signature']).toMatch(/^sha256=/);

    // The delivery log names the channel and the outcome.
    await page.click('[data-testid=tab-noise]');
    await page.waitForURL(/tab=noise/);
    const log = page.locator('[data-testid=deliveries-panel] [data-testid=data-table]');
    await log.waitFor();
    await expect.poll(() => log.locator('tbody tr').count()).toBe(2);
    expect(await log.locator('tbody tr').first().innerText()).toContain('e2e hook (edited)');
    expect(await log.locator('tbody tr').first().innerText()).toContain('sent');
    const noise = await api<{ rawFirings: number }>('GET', '/noise');
    expect(
      await page.locator('[data-noise=rawFirings] [data-testid=noise-value]').innerText(),
    ).toBe(formatValue(noise.rawFirings, 'count', 'en'));
    expect(problems).toEqual([]);
  });

  it('shows an analyst the rules without the controls to change them', async () => {
    const { context, page, problems } = await signIn(browser, server, {
      path: '/p/demo/alerts?tab=rules',
    });
    await page.waitForSelector('[data-testid=rules-table]');
    const { rules } = await api<{ rules: unknown[] }>('GET', '/rules');
    expect(await page.locator('[data-testid=rule-row]').count()).toBe(rules.length);
    expect(await page.locator('[data-testid=rule-new]').count()).toBe(0);
    expect(await page.locator('[data-testid=rule-edit]').count()).toBe(0);
    expect(await page.locator('[data-testid=rule-toggle]').first().isDisabled()).toBe(true);
    // Analysts respond to alerts: they may comment, but the channel controls are hidden.
    await page.click('[data-testid=tab-center]');
    await row(page, RULE).waitFor();
    expect(await row(page, RULE).locator('[data-testid=action-comment]').count()).toBe(1);
    await page.click('[data-testid=tab-channels]');
    await page.waitForSelector('[data-testid=channels-table]');
    expect(await page.locator('[data-testid=channel-test]').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('speaks Chinese to a Chinese browser', async () => {
    const { context, page, problems } = await signIn(
      browser,
      { ...server, ...operator },
      { locale: 'zh-CN', path: '/p/demo/alerts' },
    );
    await row(page, RULE).waitFor();
    expect(await page.locator('[data-testid=tab-center]').innerText()).toBe('告警中心');
    expect(await row(page, RULE).locator('[data-testid=alert-state]').innerText()).toBe('告警中');
    expect(await row(page, RULE).locator('[data-testid=mark-ack]').innerText()).toContain('认领');
    await screenshot(page, 'dashboard/alerts-zh-CN');
    await page.click('[data-testid=tab-rules]');
    await page.waitForSelector('[data-testid=rules-table]');
    expect(
      await page
        .locator('[data-testid=rule-row]', { hasText: RULE })
        .locator('[data-testid=rule-condition-text]')
        .innerText(),
    ).toContain('近 1 小时 支付订单数 ≥ 0');
    // Named after the insight once the insights are in.
    await expect
      .poll(() =>
        page
          .locator('[data-testid=rule-row]', { hasText: INSIGHT_RULE })
          .locator('[data-testid=rule-watched]')
          .innerText(),
      )
      .toBe(`已保存分析「${INSIGHT}」· 第 3 步（order_completed）转化率（较第 1 步）`);
    await page
      .locator('[data-testid=rule-row]', { hasText: RULE })
      .locator('[data-testid=rule-edit]')
      .click();
    await page.click('[data-testid=rule-preview-button]');
    await page.locator('[data-testid=rule-preview] [data-testid=chart] canvas').waitFor();
    expect(await page.locator('[data-testid=preview-verdict]').innerText()).toMatch(
      /最近 7 天会触发 \d+ 次。/,
    );
    await page.click('[data-testid=rule-cancel]');
    expect(problems).toEqual([]);
    await context.close();
  });

  /** The server's monitoring API as the admin. */
  async function monitoringApi<T>(method: 'GET' | 'POST', path: string) {
    const answer = await server.t.app.fastify.inject({
      method,
      url: `/api/v1/monitoring${path}`,
      headers: { authorization: `Bearer ${server.t.adminToken}` },
    });
    if (answer.statusCode >= 300)
      throw new Error(`${method} ${path}: ${answer.statusCode} ${answer.body}`);
    return answer.json<T>();
  }
  interface FindingJson {
    id: string;
    kind: string;
    state: string;
    evidence: Record<string, unknown>;
    reviewedBy: string | null;
    reviewNote: string | null;
  }
  const findings = async (query = '') =>
    (
      await server.t.app.fastify.inject({
        method: 'GET',
        url: `/api/v1/projects/demo/anomalies?limit=500${query}`,
        headers: { authorization: `Bearer ${server.t.adminToken}` },
      })
    ).json<{ findings: FindingJson[] }>().findings;
  const DEVICE = 'dev-7f3a9c1e5b2d';
  const admin = { email: 'alerts-admin@example.com', password: 'alerts admin password 1' };
  let burstId = '';

  it('shows the planted order burst in the anomaly queue and confirms it with a note', async () => {
    const { page, problems } = session;
    await page.click('[data-testid=tab-anomalies]');
    await page.waitForURL(/tab=anomalies/);
    const all = await findings();
    const burst = all.find(
      (finding) => finding.kind === 'order_burst' && finding.evidence.deviceId === DEVICE,
    );
    expect(burst?.state).toBe('open');
    burstId = burst?.id ?? '';
    const burstRow = page.locator(`[data-testid=anomaly-row][data-finding-id="${burstId}"]`);
    await burstRow.waitFor();
    expect(await page.locator('[data-testid=anomaly-row]').count()).toBe(all.length);
    expect(await burstRow.locator('[data-testid=anomaly-kind]').innerText()).toBe('Order burst');
    expect(await burstRow.locator('[data-testid=anomaly-headline]').innerText()).toContain(
      `from one device ${DEVICE}`,
    );
    expect(await burstRow.locator('[data-testid=anomaly-state]').innerText()).toBe('Open');
    // Open findings come first.
    const states = await page.locator('[data-testid=anomaly-state]').allInnerTexts();
    expect(states.indexOf('Open')).toBe(0);

    // Evidence in words: the large first order's amount in yuan, as lib/format.ts writes it.
    const large = all.find(
      (finding) => finding.kind === 'large_first_order' && finding.evidence.account === 'u990201',
    );
    expect(large).toBeDefined();
    const largeRow = page.locator(`[data-testid=anomaly-row][data-finding-id="${large?.id}"]`);
    await largeRow.locator('summary').click();
    expect(await largeRow.locator('[data-field=payAmount] dd').innerText()).toBe(
      formatValue(large?.evidence.payAmount as number, 'currency', 'en'),
    );
    expect(await largeRow.locator('[data-testid=anomaly-headline]').innerText()).toContain(
      'u990201',
    );
    expect(
      (await findings()).some(
        (finding) => finding.kind === 'self_dealing' && finding.evidence.agentId === 'agent_13',
      ),
    ).toBe(true);

    // The kind filter is kept in the URL and survives a reload.
    await page.selectOption('[data-testid=anomalies-kind]', 'order_burst');
    await page.waitForURL(/kind=order_burst/);
    const bursts = await findings('&kind=order_burst');
    await expect.poll(() => page.locator('[data-testid=anomaly-row]').count()).toBe(bursts.length);
    await page.reload();
    await burstRow.waitFor();
    expect(await page.inputValue('[data-testid=anomalies-kind]')).toBe('order_burst');
    expect(await page.locator('[data-testid=anomaly-row]').count()).toBe(bursts.length);

    // Confirm it with a note.
    const NOTE = 'Planted burst: device blocked (e2e)';
    await burstRow.locator('[data-testid=anomaly-confirm]').click();
    await page.fill('[data-testid=review-note]', NOTE);
    await page.click('[data-testid=review-submit]');
    await expect
      .poll(() => burstRow.locator('[data-testid=anomaly-state]').innerText())
      .toBe('Confirmed');
    expect(await burstRow.locator('[data-testid=anomaly-note]').innerText()).toContain(NOTE);
    expect(await burstRow.locator('[data-testid=anomaly-review]').innerText()).toContain(
      'Confirmed by',
    );
    const reviewed = (await findings()).find((finding) => finding.id === burstId);
    expect(reviewed).toMatchObject({
      state: 'confirmed',
      reviewNote: NOTE,
      reviewedBy: `user:${operatorId}`,
    });
    expect(await burstRow.locator('[data-testid=anomaly-reopen]').count()).toBe(1);
    expect(await burstRow.locator('[data-testid=anomaly-confirm]').count()).toBe(0);

    await page.selectOption('[data-testid=anomalies-kind]', '');
    await page.waitForURL((url) => !url.search.includes('kind='));
    await expect.poll(() => page.locator('[data-testid=anomaly-row]').count()).toBe(all.length);
    await burstRow.locator('summary').click();
    await burstRow.locator('[data-testid=anomaly-orders]').waitFor();
    await screenshot(page, 'dashboard/alerts-anomalies-en');
    expect(problems).toEqual([]);
  });

  it('shows the host as the API does, and adds an http target that a check finds up', async () => {
    const created = await server.t.app.fastify.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { authorization: `Bearer ${server.t.adminToken}` },
      payload: { ...admin, role: 'admin', name: 'Alerts Admin', projectIds: ['demo'] },
    });
    expect(created.statusCode).toBe(201);
    const health = await startReceiver();
    const { context, page, problems } = await signIn(
      browser,
      { ...server, ...admin },
      { path: '/p/demo/alerts?tab=monitoring' },
    );
    try {
      await page.waitForSelector('[data-testid=host-stats]');
      const host = await monitoringApi<{
        cpu: { cores: number };
        memory: { totalBytes: number };
        disk: { totalBytes: number } | null;
      }>('GET', '/metrics/system');
      expect(await page.locator('[data-testid=host-cpu-cores]').innerText()).toBe(
        formatValue(host.cpu.cores, 'count', 'en'),
      );
      expect(await page.locator('[data-testid=host-memory-total]').innerText()).toBe(
        formatBytes(host.memory.totalBytes, 'en'),
      );
      if (host.disk)
        expect(await page.locator('[data-testid=host-disk-total]').innerText()).toBe(
          formatBytes(host.disk.totalBytes, 'en'),
        );
      const store = await monitoringApi<{ writerQueue: { capacity: number } | null }>(
        'GET',
        '/store',
      );
      if (store.writerQueue)
        expect(await page.locator('[data-testid=store-queue]').innerText()).toContain(
          formatValue(store.writerQueue.capacity, 'count', 'en'),
        );
      expect(await page.locator('[data-testid=meta-store]').innerText()).toContain('OK');

      // Add an http target pointing at the local server, then check it now.
      await page.waitForSelector('[data-testid=targets-empty]');
      await page.click('[data-testid=target-new]');
      await page.fill('[data-testid=target-name]', 'local health (e2e)');
      await page.selectOption('[data-testid=target-kind]', 'http');
      await page.fill('[data-testid=target-url]', health.url);
      await page.fill('[data-testid=target-max-latency]', '5000');
      await page.click('[data-testid=target-save]');
      const targetRow = page.locator('[data-testid=target-row]', {
        hasText: 'local health (e2e)',
      });
      await targetRow.waitFor();
      const { targets } = await monitoringApi<{
        targets: Array<{ id: string; kind: string; config: Record<string, unknown> }>;
      }>('GET', '/targets');
      expect(targets).toHaveLength(1);
      expect(targets[0]).toMatchObject({
        kind: 'http',
        config: { url: health.url, method: 'GET', maxLatencyMs: 5000 },
      });
      const id = targets[0]?.id ?? '';

      await targetRow.locator('[data-testid=target-check]').click();
      await expect
        .poll(() => targetRow.locator('[data-testid=target-status]').getAttribute('data-status'))
        .toBe('up');
      expect(await targetRow.locator('[data-testid=target-status]').innerText()).toBe('Up');
      expect(health.requests.length).toBeGreaterThan(0);
      expect(health.requests[0]?.method).toBe('GET');
      const target = await monitoringApi<{ lastStatus: string; lastLatencyMs: number }>(
        'GET',
        `/targets/${id}`,
      );
      expect(target.lastStatus).toBe('up');
      const { checks } = await monitoringApi<{ checks: Array<{ status: string }> }>(
        'GET',
        `/targets/${id}/history`,
      );
      expect(checks.length).toBeGreaterThan(0);
      expect(checks[0]?.status).toBe('up');
      // The latency cell and the 24 h uptime are the API's (polled: the scheduler checks too).
      await expect
        .poll(async () => {
          const latest = await monitoringApi<{ lastLatencyMs: number }>('GET', `/targets/${id}`);
          return (
            (await targetRow.locator('[data-testid=target-latency]').innerText()) ===
            formatValue(latest.lastLatencyMs, 'ms', 'en')
          );
        })
        .toBe(true);
      const services = await monitoringApi<{
        services: Array<{ id: string; uptimePct24h: number | null }>;
      }>('GET', '/health/services');
      expect(services.services.find((entry) => entry.id === id)?.uptimePct24h).toBe(100);
      expect(await targetRow.locator('[data-testid=target-uptime]').innerText()).toBe('100%');

      // Its latency over 24 hours, drawn.
      const history = page.locator('[data-testid=target-history]');
      await history.locator('[data-testid=chart] canvas').waitFor();
      expect(await history.locator('[data-testid=chart-empty]').count()).toBe(0);
      expect(page.url()).toContain(`target=${id}`);
      await screenshot(page, 'dashboard/alerts-monitoring-en');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      await health.close();
    }
  });

  it('speaks Chinese on the anomaly and monitoring tabs', async () => {
    const { context, page, problems } = await signIn(
      browser,
      { ...server, ...admin },
      { locale: 'zh-CN', path: '/p/demo/alerts?tab=anomalies' },
    );
    const burstRow = page.locator(`[data-testid=anomaly-row][data-finding-id="${burstId}"]`);
    await burstRow.waitFor();
    expect(await page.locator('[data-testid=tab-anomalies]').innerText()).toBe('业务异常');
    expect(await burstRow.locator('[data-testid=anomaly-kind]').innerText()).toBe('订单突增');
    expect(await burstRow.locator('[data-testid=anomaly-state]').innerText()).toBe('已确认');
    expect(await burstRow.locator('[data-testid=anomaly-headline]').innerText()).toContain(
      `来自同一设备 ${DEVICE}`,
    );
    await screenshot(page, 'dashboard/alerts-anomalies-zh-CN');
    await page.click('[data-testid=tab-monitoring]');
    await page.waitForURL(/tab=monitoring/);
    await page.waitForSelector('[data-testid=host-stats]');
    expect(await page.locator('#alerts-host-title').innerText()).toBe('主机');
    const targetRow = page.locator('[data-testid=target-row]', { hasText: 'local health (e2e)' });
    await targetRow.waitFor();
    expect(await targetRow.locator('[data-testid=target-status]').innerText()).toBe('正常');
    await screenshot(page, 'dashboard/alerts-monitoring-zh-CN');
    expect(problems).toEqual([]);
    await context.close();
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../platform/index.ts';
import { createWriteBatch, type EventRow } from '../store/index.ts';
import { makeEventRow } from '../testing/event-row-fixture.ts';
import { startTestReceiver, type TestReceiver } from '../testing/http-receiver.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { alertRuleSpecSchema, type AlertRuleInput } from './alert-rule-schema.ts';
import { evaluateRule } from './evaluate-rule.ts';

const NOW = Date.parse('2026-11-21T04:00:00Z'); // 12:00 in Asia/Shanghai
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface WebhookBody {
  alerts: Array<{ labels: Record<string, string>; annotations: Record<string, string> }>;
}
interface RuleJson {
  id: string;
  name: string;
  lastEvalAt: number | null;
  lastError: string | null;
  query: Record<string, unknown>;
}

describe('alert rules on saved insights', () => {
  const clock = createFakeClock(NOW);
  let t: TestApp;
  let hook: TestReceiver;

  beforeEach(async () => {
    clock.set(NOW);
    hook = await startTestReceiver();
    t = await createTestApp({ clock, env: { SIGHTLINE_ALERT_TICK_MS: '0' } });
  });
  afterEach(async () => {
    await t.close();
    await hook.close();
  });

  async function call(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    token = t.adminToken,
  ) {
    const response = await t.app.fastify.inject({
      method,
      url: `/api/v1/projects/${t.project.id}${url}`,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
    return { status: response.statusCode, body: response.body ? response.json() : {} };
  }
  async function saveInsight(insight: Record<string, unknown>): Promise<string> {
    const saved = await call('POST', '/insights', insight);
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    return saved.body.id as string;
  }
  async function createRule(rule: Record<string, unknown>): Promise<RuleJson> {
    const created = await call('POST', '/alerts/rules', { severity: 'P1', ...rule });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as RuleJson;
  }
  const tick = () => t.app.services.alerting.tick();
  const commit = (events: EventRow[]) =>
    t.app.services.eventStore.commit(createWriteBatch({ events }));
  const event = (overrides: Partial<EventRow>) =>
    makeEventRow({ projectId: t.project.id, receivedAt: overrides.eventTime ?? NOW, ...overrides });
  /** `count` events named `name`, a minute apart, ending just before `endAt`. */
  const many = (count: number, endAt: number, overrides: Partial<EventRow>) =>
    Array.from({ length: count }, (_, i) =>
      event({ eventTime: endAt - (count - i) * 20_000, ...overrides }),
    );
  const hookBodies = () => hook.requests.map((r) => JSON.parse(r.body) as WebhookBody);

  it('fires per breakdown group of a trends insight, with the value of its report over the window', async () => {
    // In the last hour: add_to_cart on WeChat 30 iOS (app shop) + 10 iOS (app lite) + 5
    // Android; 100 iOS on the web, which the insight's filter bar leaves out.
    await commit([
      ...many(30, NOW, { name: 'add_to_cart', channel: 'wechat', platform: 'ios', app: 'shop' }),
      ...many(10, NOW, { name: 'add_to_cart', channel: 'wechat', platform: 'ios', app: 'lite' }),
      ...many(5, NOW, { name: 'add_to_cart', channel: 'wechat', platform: 'android', app: 'shop' }),
      ...many(100, NOW, { name: 'add_to_cart', channel: 'web', platform: 'ios', app: 'shop' }),
    ]);
    const insightId = await saveInsight({
      name: 'Carts by platform',
      kind: 'trends',
      params: {
        series: [{ metric: 'gmv' }, { event: 'add_to_cart' }],
        breakdown: { dimension: 'platform', limit: 5 },
      },
      filters: { range: 'last_7_days', channel: 'wechat' },
    });
    const created = await call('POST', '/alerts/channels', {
      name: 'hook',
      config: { kind: 'webhook', url: `${hook.origin}/hook` },
    });
    await call('PUT', '/alerts/policy', { groupWaitSeconds: 0, locale: 'en' });
    const rule = await createRule({
      name: 'Carts per platform',
      query: {
        source: 'insight',
        insightId,
        seriesIndex: 1,
        groupBy: 'platform',
        windowMinutes: 60,
        filters: [{ dimension: 'app', op: 'eq', value: 'shop' }],
      },
      condition: { kind: 'threshold', op: 'gt', value: 20 },
      channelIds: [created.body.id],
    });
    expect(rule.query).toMatchObject({ source: 'insight', insightId, seriesIndex: 1, step: null });

    await tick();
    const alerts = (await call('GET', '/alerts')).body.alerts as Array<{
      labels: Record<string, string>;
      value: number;
      state: string;
      annotations: Record<string, unknown>;
    }>;
    expect(alerts.map((a) => [a.labels.platform, a.state, a.value])).toEqual([
      ['ios', 'firing', 30],
    ]);
    expect(alerts[0]?.labels).toMatchObject({ insight_id: insightId, alertname: rule.name });
    expect(alerts[0]?.annotations).toMatchObject({
      unit: 'count',
      insight: { id: insightId, name: 'Carts by platform', kind: 'trends' },
    });
    // The insight's own report over the same window, with the rule's filter ANDed, agrees.
    const report = await call('POST', '/reports/trends', {
      from: new Date(NOW - HOUR).toISOString(),
      to: new Date(NOW).toISOString(),
      granularity: 'all',
      series: [{ event: 'add_to_cart' }],
      breakdown: { dimension: 'platform', limit: 5 },
      filters: [
        { dimension: 'channel', op: 'in', value: ['wechat'] },
        { dimension: 'app', op: 'eq', value: 'shop' },
      ],
    });
    const totals = Object.fromEntries(
      (report.body.result.series[0].groups as Array<{ key: string; total: number }>).map((g) => [
        g.key,
        g.total,
      ]),
    );
    expect(totals).toEqual({ ios: 30, android: 5 });
    // The notification names the insight and what of it is watched.
    expect(hookBodies()[0]?.alerts[0]?.annotations.condition).toBe(
      'Insight “Carts by platform” · add_to_cart > 20 (last 60 min)',
    );

    // The rule follows the insight live: its filter bar now says the web.
    await call('PATCH', `/insights/${insightId}`, { filters: { channel: 'web' } });
    clock.advance(MINUTE);
    await tick();
    const after = (await call('GET', '/alerts')).body.alerts as Array<{ value: number }>;
    expect(after.map((a) => a.value)).toEqual([100]);
  });

  /** Three steps for 10 people an hour: view → cart for 8, → pay for `paid`. */
  function funnelHour(end: number, tag: string, paid: number): EventRow[] {
    return Array.from({ length: 10 }, (_, i) => {
      const userId = `${tag}-${i}`;
      const at = end - HOUR + i * 2 * MINUTE;
      const platform = i % 2 === 0 ? 'ios' : 'android';
      return [
        event({ name: 'view_item', userId, eventTime: at, platform }),
        ...(i < 8
          ? [event({ name: 'add_to_cart', userId, eventTime: at + MINUTE, platform })]
          : []),
        ...(i < paid ? [event({ name: 'pay', userId, eventTime: at + 90_000, platform })] : []),
      ];
    }).flat();
  }

  it('compares funnel windows as each stood at its end: later conversions do not count', async () => {
    // Both hours: 10 people view and add to cart; 4 pay within the hour. 4 more of the hour
    // before paid after it ended (in this hour): the window had not seen them at its end, as
    // this hour has not yet seen its own late payers.
    const hour = (end: number, tag: string, latePayers: number) =>
      Array.from({ length: 10 }, (_, i) => {
        const userId = `${tag}-${i}`;
        const at = end - 30 * MINUTE + i * MINUTE;
        return [
          event({ name: 'view_item', userId, eventTime: at }),
          event({ name: 'add_to_cart', userId, eventTime: at + 10_000 }),
          ...(i < 4 ? [event({ name: 'pay', userId, eventTime: at + 20_000 })] : []),
          ...(i >= 4 && i < 4 + latePayers
            ? [event({ name: 'pay', userId, eventTime: end + 5 * MINUTE })]
            : []),
        ];
      }).flat();
    await commit([...hour(NOW - HOUR, 'before', 4), ...hour(NOW, 'now', 0)]);
    const insightId = await saveInsight({
      name: 'Checkout',
      kind: 'funnel',
      params: {
        steps: [{ event: 'view_item' }, { event: 'add_to_cart' }, { event: 'pay' }],
        windowSeconds: 86_400,
      },
    });
    const [outcome] = await evaluateRule(
      {
        store: t.app.services.eventStore,
        db: t.app.services.metaStore.db,
        project: { id: t.project.id, timeZone: 'Asia/Shanghai' },
      },
      {
        spec: alertRuleSpecSchema.parse({
          severity: 'P1',
          name: 'Checkout conversion dropped',
          query: { source: 'insight', insightId, windowMinutes: 60 },
          condition: {
            kind: 'change',
            compareTo: 'previous_window',
            direction: 'down',
            percent: 25,
          },
        }),
        at: NOW,
      },
    );
    // Read now, the hour before converted 8 of 10; at its end it had 4, as this hour has.
    expect(outcome).toMatchObject({ value: 0.4, reference: 0.4, breached: false });
  });

  it('fires a funnel conversion rule on a drop, and checks volume on the funnel entries', async () => {
    // The hour before: 8 of 10 paid; this hour: 2 of 10.
    await commit([...funnelHour(NOW - HOUR, 'before', 8), ...funnelHour(NOW, 'now', 2)]);
    const insightId = await saveInsight({
      name: 'Checkout',
      kind: 'funnel',
      params: {
        steps: [{ event: 'view_item' }, { event: 'add_to_cart' }, { event: 'pay', label: 'Pay' }],
        breakdown: { dimension: 'platform' },
      },
    });
    const base = {
      name: 'Checkout conversion dropped',
      query: { source: 'insight', insightId, windowMinutes: 60 },
      condition: { kind: 'change', compareTo: 'previous_window', direction: 'down', percent: 50 },
    };
    await createRule(base);
    await tick();
    const [alert] = (await call('GET', '/alerts')).body.alerts as Array<{
      state: string;
      value: number;
      annotations: Record<string, unknown>;
    }>;
    expect(alert).toMatchObject({
      state: 'firing',
      value: 0.2,
      annotations: { reference: 0.8, unit: 'ratio' },
    });

    const evaluate = async (rule: Partial<AlertRuleInput>) =>
      evaluateRule(
        {
          store: t.app.services.eventStore,
          db: t.app.services.metaStore.db,
          project: { id: t.project.id, timeZone: 'Asia/Shanghai' },
        },
        { spec: alertRuleSpecSchema.parse({ severity: 'P1', ...base, ...rule }), at: NOW },
      );
    // Into step 3 from step 2: 2 of 8 now, 8 of 8 before; step 2 from step 1 stayed at 80%.
    const [pay] = await evaluate({ query: { ...base.query, source: 'insight', step: 3 } });
    expect(pay).toMatchObject({ value: 0.25, reference: 1, breached: true });
    const [cart] = await evaluate({
      query: { ...base.query, source: 'insight', step: 2, stepFrom: 'first' },
    });
    expect(cart).toMatchObject({ value: 0.8, reference: 0.8, breached: false });
    // Ten people entered: enough for 5, not for 20.
    const volume = (min: number) => ({ minVolume: { metric: '$funnel_entries', min } });
    expect((await evaluate(volume(5)))[0]).toMatchObject({ volume: 10, breached: true });
    expect((await evaluate(volume(20)))[0]).toMatchObject({
      volume: 10,
      breached: false,
      skipped: 'low_volume',
    });
    // Grouped by the funnel's breakdown: per platform, each against its own previous hour.
    const grouped = await evaluate({
      query: { ...base.query, source: 'insight', groupBy: 'platform' },
      ...volume(1),
    });
    const rows = grouped.map((o) => [o.group, o.value, o.reference, o.volume, o.breached]);
    expect(rows.sort()).toEqual([
      ['android', 0.2, 0.8, 5, true],
      ['ios', 0.2, 0.8, 5, true],
    ]);
  });

  it('previews a rule on an insight over the last 7 days', async () => {
    await commit(many(30, NOW - 26 * HOUR, { name: 'add_to_cart' }));
    const insightId = await saveInsight({
      name: 'Carts',
      kind: 'trends',
      params: { series: [{ event: 'add_to_cart' }] },
    });
    const preview = await call('POST', '/alerts/rules/preview', {
      name: 'Carts surge',
      severity: 'P2',
      query: { source: 'insight', insightId, windowMinutes: 60 },
      condition: { kind: 'threshold', op: 'gte', value: 30 },
    });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.firings).toEqual([
      { group: '', from: NOW - 26 * HOUR, to: NOW - 25 * HOUR },
    ]);
    expect(preview.body.points).toHaveLength(7 * 24);
    const point = (preview.body.points as Array<{ at: number; value: number }>).find(
      (p) => p.at === NOW - 26 * HOUR,
    );
    expect(point?.value).toBe(30);
  });

  it('records an error for a rule whose insight was deleted, and goes on with the others', async () => {
    const insightId = await saveInsight({
      name: 'Carts',
      kind: 'trends',
      params: { series: [{ event: 'add_to_cart' }] },
    });
    const onInsight = await createRule({
      name: 'On the insight',
      query: { source: 'insight', insightId, windowMinutes: 60 },
      condition: { kind: 'no_data' },
    });
    const onMetric = await createRule({
      name: 'On a metric',
      query: { metric: 'orders', windowMinutes: 60 },
      condition: { kind: 'no_data' },
    });
    // While a rule watches it, the insight can be neither deleted nor turned into another kind.
    const refused = await call('DELETE', `/insights/${insightId}`);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'ERR_INSIGHT_WATCHED']);
    expect(refused.body.error.message).toContain('On the insight');
    const retyped = await call('PATCH', `/insights/${insightId}`, {
      kind: 'retention',
      params: {},
    });
    expect([retyped.status, retyped.body.error.code]).toEqual([409, 'ERR_INSIGHT_WATCHED']);
    expect((await call('PATCH', `/insights/${insightId}`, { name: 'Cart adds' })).status).toBe(200);
    // Gone anyway (a database restored without it): the rule says why it cannot be evaluated.
    await t.app.services.metaStore.db.deleteFrom('insights').where('id', '=', insightId).execute();
    await tick();
    const rules = (await call('GET', '/alerts/rules')).body.rules as RuleJson[];
    const byId = new Map(rules.map((r) => [r.id, r]));
    expect(byId.get(onInsight.id)).toMatchObject({
      lastEvalAt: NOW,
      lastError: `ERR_ALERT_INSIGHT_NOT_FOUND: The rule watches saved insight ${insightId}, which is not saved in this project`,
    });
    expect(byId.get(onMetric.id)).toMatchObject({ lastEvalAt: NOW, lastError: null });
    const alerts = (await call('GET', '/alerts')).body.alerts as Array<{
      labels: Record<string, string>;
    }>;
    expect(alerts.map((a) => a.labels.alertname)).toEqual(['On a metric']);
  });

  it('refuses insights that cannot be watched, or that are not in the project', async () => {
    const retention = await saveInsight({ name: 'Retention', kind: 'retention', params: {} });
    const paths = await saveInsight({
      name: 'Paths',
      kind: 'paths',
      params: { start: { event: 'view_item' } },
    });
    const trends = await saveInsight({
      name: 'Carts',
      kind: 'trends',
      params: { series: [{ event: 'add_to_cart' }] },
    });
    await t.app.services.projects.create(
      { id: 'other', name: 'Other', timeZone: 'UTC', retentionDays: 30 },
      'test',
    );
    const elsewhere = await t.app.fastify.inject({
      method: 'POST',
      url: '/api/v1/projects/other/insights',
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload: { name: 'Other', kind: 'trends', params: { series: [{ metric: 'gmv' }] } },
    });
    const rule = (query: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      name: 'x',
      severity: 'P2',
      query: { source: 'insight', ...query },
      condition: { kind: 'no_data' },
      ...extra,
    });
    const cases: Array<[Record<string, unknown>, number, string, string]> = [
      [
        rule({ insightId: retention }),
        400,
        'ERR_ALERT_INSIGHT_UNSUPPORTED',
        `Insight ${retention} is a retention insight; alert rules can watch trends and funnel insights only`,
      ],
      [rule({ insightId: paths }), 400, 'ERR_ALERT_INSIGHT_UNSUPPORTED', 'paths insight'],
      [rule({ insightId: 'ins_missing' }), 404, 'ERR_ALERT_INSIGHT_NOT_FOUND', 'ins_missing'],
      [
        rule({ insightId: elsewhere.json().id as string }),
        404,
        'ERR_ALERT_INSIGHT_NOT_FOUND',
        'not saved in this project',
      ],
      [
        rule({ insightId: trends, seriesIndex: 1 }),
        400,
        'ERR_ALERT_RULE_INVALID',
        'query.seriesIndex: insight “Carts” has 1 series (0-based)',
      ],
      [
        rule({ insightId: trends, groupBy: 'platform' }),
        400,
        'ERR_ALERT_RULE_INVALID',
        'query.groupBy: insight “Carts” has no breakdown',
      ],
      [
        rule({ insightId: trends, step: 2 }),
        400,
        'ERR_ALERT_RULE_INVALID',
        'query.step: insight “Carts” is a trends insight',
      ],
      [
        rule({ insightId: trends }, { minVolume: { metric: '$funnel_entries', min: 1 } }),
        400,
        'ERR_ALERT_RULE_INVALID',
        'minVolume.metric',
      ],
      [rule({}), 400, 'ERR_ALERT_RULE_INVALID', 'query.insightId'],
    ];
    for (const [body, status, code, message] of cases) {
      for (const path of ['/alerts/rules', '/alerts/rules/preview']) {
        const answer = await call('POST', path, body);
        expect([path, answer.status, answer.body.error?.code]).toEqual([path, status, code]);
        expect(answer.body.error.message).toContain(message);
      }
    }
    // A viewer may preview a rule on an insight (reading it), not save one.
    const { token } = await t.app.services.auth.createToken(
      { name: 'viewer', role: 'viewer', projectId: 'shop' },
      'test',
    );
    const ok = rule({ insightId: trends });
    expect((await call('POST', '/alerts/rules/preview', ok, token)).status).toBe(200);
    expect((await call('POST', '/alerts/rules', ok, token)).status).toBe(403);
    expect((await call('GET', '/alerts/rules')).body.rules).toEqual([]);
  });

  it('keeps rules stored before insights existed as they were', async () => {
    const spec = {
      name: 'No paid orders',
      description: '',
      severity: 'P1',
      enabled: true,
      query: { metric: 'orders', filters: [], windowMinutes: 30, groupBy: null, maxGroups: 20 },
      condition: { kind: 'no_data' },
      minVolume: null,
      forSeconds: 0,
      breaches: { m: 1, n: 1 },
      intervalSeconds: 60,
      labels: {},
      channelIds: [],
    };
    await t.app.services.metaStore.db
      .insertInto('alert_rules')
      .values({
        id: 'rul_old',
        project_id: t.project.id,
        name: spec.name,
        severity: spec.severity,
        enabled: 1,
        spec: JSON.stringify(spec),
        created_by: 'test',
        created_at: NOW - HOUR,
        updated_at: NOW - HOUR,
        next_eval_at: NOW,
        last_eval_at: null,
        last_eval_ms: null,
        last_error: null,
      })
      .execute();
    const stored = (await call('GET', '/alerts/rules/rul_old')).body;
    expect(stored).toMatchObject({ ...spec, query: { ...spec.query, source: 'metric' } });
    await tick();
    const [alert] = (await call('GET', '/alerts')).body.alerts as Array<{
      labels: Record<string, string>;
      state: string;
      annotations: Record<string, unknown>;
    }>;
    expect(alert).toMatchObject({
      labels: { alertname: 'No paid orders', severity: 'P1' },
      state: 'firing',
      annotations: { metric: 'orders', unit: 'count', value: 0 },
    });
    expect(alert?.labels).not.toHaveProperty('insight_id');
  });
});

import { METRICS } from '@sightline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewRule } from '../alerts/index.ts';
import { DEMO_ANOMALIES } from '../demo/index.ts';
import { createFakeClock } from '../platform/index.ts';
import {
  computeMetricSeries,
  createQueryContext,
  duckDbDialect,
  REPORTS,
} from '../queries/index.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { DEMO_ALERT_RULES } from './demo-alert-rules.ts';
import { DEMO_REPORT_EXPECTATIONS } from './demo-report-expectations.ts';
import { seedDemo, type SeedDemoResult } from './seed-demo.ts';

/*
 * The demo project must give every catalog metric and every report something sensible to show.
 * A small demo (16 days at a tenth of the traffic, ~45k events) through the real ingest path,
 * then every metric and every registered report over the range a dashboard would show by
 * default: the demo's days after the first (so people seen on the first day are returning) up to
 * now.
 */
const DAYS = 16;
const SCALE = 0.1;
// 15:30 in Shanghai (the test app's zone): the demo covers 2026-11-04 … 2026-11-19 plus today.
const NOW = Date.parse('2026-11-20T07:30:00Z');
const FROM_DATE = '2026-11-05';
const TO_DATE = '2026-11-20';
const FROM = Date.parse('2026-11-04T16:00:00Z');
const TO = Date.parse('2026-11-20T16:00:00Z');

/**
 * Metrics the demo leaves empty over this range, and why. Each needs more history than 16 days:
 * retention_d30 a sign-up day whose day 30 has ended, churn_rate_30d activity in the 30 days
 * before a 30-day window, ltv_6m sign-up cohorts six months old (a default 30-day demo has none
 * of them either: `sightline demo --days 62` gives the first two, 190 days all three).
 */
const EMPTY_WITH_REASON: Readonly<Record<string, string>> = {
  retention_d30: 'needs a sign-up day 30+ days before the end of the data',
  churn_rate_30d: 'needs 60 days of activity',
  ltv_6m: 'needs sign-up cohorts six months old',
};
/** Ratios that may exceed 1 by their definition (docs/metrics.md). */
const UNBOUNDED_RATIOS = new Set(['pay_conversion', 'membership_purchase_rate', 'campaign_roi']);

describe('the demo project', () => {
  let t: TestApp;
  let seeded: SeedDemoResult;
  const options = { days: DAYS, seed: 42, scale: SCALE };

  beforeAll(async () => {
    // The alerting loop stays off: the test runs its passes itself.
    t = await createTestApp({ clock: createFakeClock(NOW), env: { SIGHTLINE_ALERT_TICK_MS: '0' } });
    seeded = await seedDemo(t.app.services, options);
  }, 120_000);
  afterAll(() => t.close());

  it('starts with alert rules that evaluate cleanly; the p95 rule finds the planted spike', async () => {
    const { alerting, eventStore } = t.app.services;
    const rules = await alerting.rules.list(seeded.projectId);
    expect(rules.map((r) => r.name)).toEqual(DEMO_ALERT_RULES.map((r) => r.name));
    await alerting.tick();
    const evaluated = await alerting.rules.list(seeded.projectId);
    expect(evaluated.map((r) => [r.lastEvalAt, r.lastError])).toEqual(rules.map(() => [NOW, null]));
    // Yesterday 20:00–21:00 local (seed day 15 = 2026-11-19), POST /api/checkout p95 above 3 s:
    // the P0 rule over hourly windows fires for that route in the hour that ends at 21:00.
    const spike = DEMO_ANOMALIES.find((a) => a.kind === 'latency_spike');
    expect(spike?.dayFromEnd).toBe(1);
    const [p95] = rules;
    if (!p95) throw new Error('no p95 rule');
    const preview = await previewRule({
      store: eventStore,
      project: { id: seeded.projectId, timeZone: t.config.timeZone },
      spec: { ...p95, query: { ...p95.query, windowMinutes: 60 }, minVolume: null, forSeconds: 0 },
      now: NOW,
    });
    const checkout = preview.firings.filter((f) => f.group === '/api/checkout');
    expect(checkout.map((f) => f.from)).toContain(Date.parse('2026-11-19T13:00:00Z'));
    // The push gateway drops connections in the same hour: the WebSocket rule finds it (at this
    // tenth of the traffic without its volume guard, which is set for the full demo).
    const ws = rules.find((rule) => rule.query.metric === 'ws_disconnect_rate');
    if (!ws) throw new Error('no WebSocket rule');
    const wsPreview = await previewRule({
      store: eventStore,
      project: { id: seeded.projectId, timeZone: t.config.timeZone },
      spec: {
        ...ws,
        query: { ...ws.query, windowMinutes: 60 },
        minVolume: null,
        forSeconds: 0,
        breaches: { m: 1, n: 1 },
      },
      now: NOW,
    });
    expect(wsPreview.firings.map((f) => f.from)).toContain(Date.parse('2026-11-19T13:00:00Z'));
  });

  it('is ingested without rejections, with spend for every day', () => {
    expect(seeded.rejected).toBe(0);
    expect(seeded.accepted).toBeGreaterThan(30_000);
    expect(seeded.campaignCosts).toBeGreaterThan(DAYS * 5);
  });

  it('gives every catalog metric a value except the ones that need more history', async () => {
    const ctx = createQueryContext({
      store: t.app.services.eventStore,
      dialect: duckDbDialect,
      projectId: seeded.projectId,
      timeZone: t.config.timeZone,
      from: FROM,
      to: TO,
      now: NOW,
      granularity: 'all',
    });
    const empty: string[] = [];
    for (const metric of METRICS) {
      const series = await computeMetricSeries(ctx, metric.id, { granularity: 'all' });
      const value = series.groups[0]?.values[0] ?? null;
      if (metric.id in EMPTY_WITH_REASON) {
        empty.push(metric.id);
        expect(value, metric.id).toBeNull();
        continue;
      }
      expect(value, metric.id).not.toBeNull();
      expect(Number.isFinite(value), metric.id).toBe(true);
      expect(value, metric.id).toBeGreaterThan(0);
      if (metric.unit === 'ratio' && !UNBOUNDED_RATIOS.has(metric.id))
        expect(value, metric.id).toBeLessThanOrEqual(1);
    }
    expect(empty.sort()).toEqual(Object.keys(EMPTY_WITH_REASON).sort());

    // Acquisition economics per channel: every paid channel has spend, customers and a return.
    const byChannel = async (metric: string) => {
      const series = await computeMetricSeries(ctx, metric, {
        granularity: 'all',
        breakdown: { dimension: 'channel', limit: 20 },
      });
      return new Map(series.groups.map((group) => [group.key, group.values[0] ?? null]));
    };
    const cac = await byChannel('cac');
    const roi = await byChannel('campaign_roi');
    for (const channel of ['paid_search', 'social', 'affiliate', 'email']) {
      expect(cac.get(channel), channel).toBeGreaterThan(0);
      expect(Number.isFinite(roi.get(channel)), channel).toBe(true);
      expect(roi.get(channel), channel).toBeGreaterThan(-1);
    }
  });

  it('answers every registered report through its route with sensible numbers', async () => {
    expect(REPORTS.map((report) => report.id).sort()).toEqual(
      Object.keys(DEMO_REPORT_EXPECTATIONS).sort(),
    );
    for (const report of REPORTS) {
      const expectation = DEMO_REPORT_EXPECTATIONS[report.id];
      if (!expectation) continue;
      const res = await t.app.fastify.inject({
        method: 'POST',
        url: `/api/v1/projects/${seeded.projectId}/reports/${report.id}`,
        headers: { authorization: `Bearer ${t.adminToken}` },
        payload: { from: FROM_DATE, to: TO_DATE, ...expectation.body },
      });
      expect(res.statusCode, `${report.id}: ${res.body.slice(0, 300)}`).toBe(200);
      const { result } = res.json<{ result: unknown }>();
      try {
        expectation.check(result, { days: DAYS });
      } catch (error) {
        throw new Error(`report ${report.id}: ${(error as Error).message}`, { cause: error });
      }
    }
  });

  it('adds nothing when seeded again with the same options', async () => {
    const again = await seedDemo(t.app.services, options);
    expect(again.accepted).toBe(0);
    expect(again.duplicates).toBe(seeded.accepted + seeded.duplicates);
    expect(again.campaignCosts).toBe(seeded.campaignCosts);
    expect(again.secretKey).toBeNull();
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type SeedDemoResult } from '../bootstrap/seed-demo.ts';
import { findDemoAnomaly, findDemoStockAnomaly } from '../demo/index.ts';
import { createFakeClock } from '../platform/index.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { ANOMALY_REPORT_EXPECTATIONS } from './anomaly-report-expectations.ts';
import type { Finding } from './anomaly-schema.ts';
import type { Anomalies } from './create-anomalies.ts';

// As demo-reports.test.ts: 16 days at a tenth of the traffic, now 15:30 in Shanghai.
const DAYS = 16;
const NOW = Date.parse('2026-11-20T07:30:00Z');
const DAY_MS = 86_400_000;
/** The end-of-day stock count `dayFromEnd` days before today (2026-11-20 in Shanghai). */
const countAt = (dayFromEnd: number) =>
  new Date(Date.parse('2026-11-20T15:59:59Z') - dayFromEnd * DAY_MS).toISOString();

describe('anomaly detectors on the demo project', () => {
  let t: TestApp;
  let seeded: SeedDemoResult;
  let anomalies: Anomalies;
  let findings: Finding[];

  beforeAll(async () => {
    t = await createTestApp({ clock: createFakeClock(NOW), env: { SIGHTLINE_ALERT_TICK_MS: '0' } });
    seeded = await seedDemo(t.app.services, { days: DAYS, seed: 42, scale: 0.1 });
    // Seeding scans the demo's whole period once, so the planted anomalies are in the queue.
    anomalies = t.app.services.anomalies;
    findings = await anomalies.list(seeded.projectId, { limit: 500 });
  }, 180_000);
  afterAll(() => t.close());

  const ofKind = (kind: string) => findings.filter((f) => f.kind === kind);

  it('finds the planted order burst once, with its 25 orders and 3 accounts', () => {
    const planted = findDemoAnomaly('order_burst').details;
    const bursts = ofKind('order_burst');
    expect(bursts).toHaveLength(1);
    const evidence = bursts[0]?.evidence ?? {};
    expect(evidence.deviceId).toBe(planted.deviceId);
    expect(evidence.ipHash).toEqual(expect.any(String));
    expect(evidence.orderCount).toBe(planted.orders);
    for (const userId of planted.userIds) expect(evidence.accounts).toContain(userId);
    expect(bursts[0]?.dedupKey).toMatch(/^order_burst:ip:[^:]+:.+$/);
  });

  it('finds the large first order of the new account', () => {
    const planted = findDemoAnomaly('large_first_order').details;
    const large = ofKind('large_first_order');
    const whale = large.find((f) => f.evidence.account === planted.userId);
    expect(whale?.evidence.multiple).toBeGreaterThan(planted.aovMultiple);
    // Ordinary new customers' first baskets reach 10–24× the median on some seeds: the default
    // multiple (30) stays above them.
    expect(large).toHaveLength(1);
    // The same order is an amount outlier as well, but is reported once.
    expect(ofKind('amount_outlier').map((f) => f.evidence.orderId)).not.toContain(
      whale?.evidence.orderId,
    );
  });

  it('finds the agent buying through their own link', () => {
    const planted = findDemoAnomaly('commission_abuse').details;
    const selfDealing = ofKind('self_dealing');
    expect(selfDealing).toHaveLength(planted.orders);
    for (const finding of selfDealing) {
      expect(finding.evidence).toMatchObject({ agentId: planted.agentId, buyerId: planted.userId });
    }
  });

  it('finds the planted oversized delivery, and no other restock', () => {
    const planted = findDemoStockAnomaly('restock_outlier');
    const restocks = ofKind('restock_outlier');
    expect(restocks).toHaveLength(1);
    const evidence = restocks[0]?.evidence ?? {};
    expect(evidence).toMatchObject({
      previousCountAt: countAt(planted.dayFromEnd + 1),
      restockedAt: countAt(planted.dayFromEnd),
      overstock: true,
      aboveUsual: false,
    });
    // The whole delivery was in transit the day before; nothing else arrived with it.
    const quantity = Number(evidence.quantity);
    expect(evidence.inTransitBefore).toBe(quantity);
    expect(quantity % planted.details.multiple).toBe(0);
    expect(quantity / planted.details.multiple).toBeGreaterThanOrEqual(24);
    expect(Number(evidence.coverDays)).toBeGreaterThan(Number(evidence.maxCoverDays));
    expect(restocks[0]?.dedupKey).toBe(
      `restock_outlier:${String(evidence.productId)}:${countAt(planted.dayFromEnd)}`,
    );
    expect(ofKind('late_restock')).toEqual([]);
  });

  it('finds the planted stock loss, and no other', () => {
    const planted = findDemoStockAnomaly('stock_shrinkage');
    const losses = ofKind('stock_shrinkage');
    expect(losses).toHaveLength(1);
    expect(losses[0]?.severity).toBe('high');
    expect(losses[0]?.evidence).toMatchObject({
      fromAt: countAt(planted.dayFromEnd + 1),
      toAt: countAt(planted.dayFromEnd),
      unexplainedUnits: planted.details.units,
    });
  });

  it('keeps the queue short on normal traffic, and stores each finding once', async () => {
    const counts: Record<string, number> = {};
    for (const finding of findings) counts[finding.kind] = (counts[finding.kind] ?? 0) + 1;
    // The amount outlier is one of the burst's own orders (a ¥1,466 one), not normal traffic.
    expect(counts).toEqual({
      amount_outlier: 1,
      order_burst: 1,
      large_first_order: 1,
      low_stock: 1,
      self_dealing: 4,
      restock_outlier: 1,
      stock_shrinkage: 1,
    });
    expect(findings.length).toBeLessThanOrEqual(15);
    const again = await anomalies.scan(seeded.projectId, {
      from: NOW - (DAYS + 1) * DAY_MS,
      to: NOW,
    });
    expect(again).toEqual([]);
    const stored = await anomalies.list(seeded.projectId, { limit: 500 });
    expect(stored).toHaveLength(findings.length);
  });

  it('answers the detector reports through their routes', async () => {
    for (const [id, expectation] of Object.entries(ANOMALY_REPORT_EXPECTATIONS)) {
      const res = await t.app.fastify.inject({
        method: 'POST',
        url: `/api/v1/projects/${seeded.projectId}/reports/${id}`,
        headers: { authorization: `Bearer ${t.adminToken}` },
        payload: { from: '2026-11-05', to: '2026-11-20', ...expectation.body },
      });
      expect(res.statusCode, `${id}: ${res.body.slice(0, 300)}`).toBe(200);
      expectation.check(res.json<{ result: unknown }>().result, { days: DAYS });
    }
  });
});

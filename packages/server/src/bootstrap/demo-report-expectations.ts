import { expect } from 'vitest';
import { ANOMALY_REPORT_EXPECTATIONS } from '../anomalies/anomaly-report-expectations.ts';

/*
 * What every registered report should show on the demo project: the request body beyond the
 * range, and checks of the result. The demo tests (demo-reports.test.ts) run each one through its
 * HTTP route; a report missing here fails them, so a new report gets demo expectations too.
 */

export interface DemoReportExpectation {
  body: Record<string, unknown>;
  check(result: unknown, demo: { days: number }): void;
}

type Row = Record<string, unknown>;

function asRow(value: unknown): Row {
  expect(typeof value === 'object' && value !== null && !Array.isArray(value)).toBe(true);
  return value as Row;
}

function rowsOf(value: unknown): Row[] {
  expect(Array.isArray(value)).toBe(true);
  return (value as unknown[]).map(asRow);
}

function num(value: unknown): number {
  expect(typeof value === 'number' && Number.isFinite(value)).toBe(true);
  return value as number;
}

const FUNNEL_EVENTS = [
  'page_view',
  'view_product',
  'add_to_cart',
  'checkout_started',
  'order_completed',
];

export const DEMO_REPORT_EXPECTATIONS: Readonly<Record<string, DemoReportExpectation>> = {
  ...ANOMALY_REPORT_EXPECTATIONS,
  trends: {
    body: { series: [{ metric: 'gmv' }, { event: 'page_view' }], compare: ['previous'] },
    check(result) {
      for (const series of rowsOf(asRow(result).series)) {
        const [group] = rowsOf(series.groups);
        // Every day has sales and page views (today's so far too).
        for (const value of group?.values as unknown[]) expect(num(value)).toBeGreaterThan(0);
        expect(num(group?.total)).toBeGreaterThan(0);
        expect(asRow(series.compare).previous).toBeDefined();
      }
    },
  },
  retention: {
    body: { cohortBy: 'signup', period: 'day', periods: 7 },
    check(result, { days }) {
      const r = asRow(result);
      const cohorts = rowsOf(r.cohorts);
      expect(cohorts.length).toBeGreaterThanOrEqual(days - 2);
      for (const cohort of cohorts) {
        expect(num(cohort.size)).toBeGreaterThan(0);
        const [d0] = rowsOf(cohort.cells);
        // Today's cohort is not complete yet and has no value.
        expect(d0?.value).toBe(d0?.complete ? 1 : null);
      }
      const average = rowsOf(asRow(r.average).cells);
      const d1 = num(average[1]?.value);
      const d7 = num(average[7]?.value);
      expect(d1).toBeGreaterThan(0.15);
      expect(d1).toBeLessThan(0.6);
      expect(d7).toBeGreaterThan(0);
      expect(d7).toBeLessThan(d1);
    },
  },
  lifecycle: {
    body: {},
    check(result, { days }) {
      const buckets = rowsOf(asRow(result).buckets);
      expect(buckets).toHaveLength(days);
      for (const bucket of buckets.slice(1)) {
        expect(num(bucket.new)).toBeGreaterThan(0);
        expect(num(bucket.returning)).toBeGreaterThan(0);
        expect(num(bucket.dormant)).toBeLessThan(0);
      }
      expect(buckets.some((bucket) => num(bucket.resurrecting) > 0)).toBe(true);
    },
  },
  stickiness: {
    body: { interval: 'day' },
    check(result) {
      const r = asRow(result);
      const people = rowsOf(r.distribution).map((row) => num(row.people));
      expect(num(r.activePeople)).toBeGreaterThan(0);
      // Most people come once; regulars (agents, members) come most days.
      expect(people[0]).toBeGreaterThan(people[1] ?? 0);
      expect(people.slice(5).some((n) => n > 0)).toBe(true);
      expect(num(r.dauMauRatio)).toBeGreaterThan(0);
      expect(num(r.dauMauRatio)).toBeLessThan(1);
    },
  },
  kpis: {
    body: {
      metrics: ['gmv', 'dau', 'aov', 'cac', 'campaign_roi', 'api_latency_p95', 'service_records'],
    },
    check(result) {
      for (const kpi of rowsOf(asRow(result).kpis)) expect(num(kpi.value)).toBeGreaterThan(0);
    },
  },
  rfm: {
    body: { limit: 10 },
    check(result) {
      const r = asRow(result);
      const segments = rowsOf(r.segments);
      const buyers = num(r.buyers);
      expect(buyers).toBeGreaterThan(20);
      expect(segments.reduce((sum, s) => sum + num(s.buyers), 0)).toBe(buyers);
      expect(segments.filter((s) => num(s.buyers) > 0).length).toBeGreaterThanOrEqual(4);
      expect(rowsOf(r.topBuyers)).toHaveLength(10);
    },
  },
  attribution: {
    body: { touchDimension: 'channel' },
    check(result) {
      const r = asRow(result);
      const rows = rowsOf(r.rows);
      const values = rows.map((row) => row.value);
      for (const channel of ['direct', 'social', 'paid_search', 'organic_search'])
        expect(values).toContain(channel);
      const firstTouch = rows.reduce((sum, row) => sum + num(asRow(row.firstTouch).conversions), 0);
      expect(firstTouch).toBe(num(r.conversions));
      expect(num(r.revenue)).toBeGreaterThan(0);
    },
  },
  api_sli: {
    body: { slowThresholdMs: 1_000 },
    check(result) {
      const r = asRow(result);
      const overall = asRow(r.overall);
      expect(num(overall.availability)).toBeGreaterThan(0.98);
      expect(num(overall.availability)).toBeLessThan(1);
      const endpoints = rowsOf(r.endpoints);
      expect(endpoints.length).toBeGreaterThanOrEqual(10);
      for (const endpoint of endpoints) {
        const latency = asRow(endpoint.latencyMs);
        expect(num(endpoint.requests)).toBeGreaterThan(0);
        expect(num(latency.p50)).toBeLessThanOrEqual(num(latency.p95));
      }
      expect(endpoints.map((e) => e.endpoint)).toContain('POST /api/checkout');
    },
  },
  error_groups: {
    body: { limit: 50 },
    check(result) {
      const groups = rowsOf(asRow(result).groups);
      // A handful of distinct bugs, each seen many times, each on the pages where it was thrown.
      expect(groups.length).toBeGreaterThan(3);
      expect(groups.length).toBeLessThanOrEqual(8);
      for (const group of groups) {
        expect(num(group.count)).toBeGreaterThan(1);
        expect(rowsOf(group.topPages).every((p) => typeof p.page === 'string')).toBe(true);
      }
      const coupon = groups.find((g) => String(g.title).includes('coupon.rules'));
      const releases = rowsOf(coupon?.releases).map((row) => String(row.release));
      expect(releases.every((release) => release.endsWith('@2.15.0'))).toBe(true);
    },
  },
  top_products: {
    body: { limit: 10 },
    check(result) {
      const rows = rowsOf(asRow(result).rows);
      expect(rows).toHaveLength(10);
      const revenue = rows.map((row) => num(row.revenue));
      expect([...revenue].sort((a, b) => b - a)).toEqual(revenue);
      expect(rows.every((row) => typeof row.name === 'string')).toBe(true);
    },
  },
  agent_leaderboard: {
    body: { limit: 50 },
    check(result) {
      const agents = rowsOf(asRow(result).agents);
      expect(agents.length).toBeGreaterThan(5);
      for (const agent of agents) {
        expect(num(agent.commissionRatio)).toBeGreaterThan(0.04);
        expect(num(agent.commissionRatio)).toBeLessThan(0.45);
      }
    },
  },
  commission_anomalies_input: {
    body: { flaggedOnly: true },
    check(result) {
      const orders = rowsOf(asRow(result).orders);
      // The planted abuse: agent_13 buys through its own link at ~40% commission.
      const selfDealt = orders.filter((o) => o.agentId === 'agent_13' && o.buyerIsAgent === true);
      expect(selfDealt).toHaveLength(4);
      for (const order of selfDealt) expect(num(order.commissionRatio)).toBeGreaterThan(0.35);
    },
  },
  service_stats: {
    body: { activeDays: 30 },
    check(result) {
      const r = asRow(result);
      const customers = asRow(r.customers);
      expect(num(customers.total)).toBeGreaterThan(num(customers.new));
      expect(num(customers.new)).toBeGreaterThan(0);
      expect(num(customers.active)).toBeGreaterThan(0);
      const records = asRow(r.serviceRecords);
      expect(num(records.total)).toBeGreaterThan(0);
      const statuses = rowsOf(asRow(records.breakdowns).status).map((row) => row.key);
      expect(statuses).toEqual(expect.arrayContaining(['open', 'in_progress', 'closed']));
      expect(num(asRow(r.orders).paidOrders)).toBeGreaterThan(0);
    },
  },
  funnel: {
    body: { steps: FUNNEL_EVENTS.map((event) => ({ event })) },
    check(result) {
      const counts = rowsOf(asRow(result).steps).map((step) => num(step.count));
      expect(counts).toHaveLength(FUNNEL_EVENTS.length);
      for (let i = 1; i < counts.length; i += 1) {
        expect(counts[i]).toBeGreaterThan(0);
        expect(counts[i]).toBeLessThan(counts[i - 1] ?? 0);
      }
    },
  },
  paths: {
    body: { start: { event: 'page_view' }, eventType: 'page', limit: 10 },
    check(result) {
      const r = asRow(result);
      expect(num(asRow(r.totals).people)).toBeGreaterThan(0);
      const paths = rowsOf(r.topPaths);
      expect(paths.length).toBe(10);
      expect(paths.some((path) => (path.nodes as unknown[]).includes('/order/success'))).toBe(true);
      expect(rowsOf(asRow(r.sankey).links).length).toBeGreaterThan(0);
    },
  },
  events: {
    body: { types: ['page'], limit: 20 },
    check(result) {
      const r = asRow(result);
      const events = rowsOf(r.events);
      expect(events).toHaveLength(20);
      expect(r.hasMore).toBe(true);
      const times = events.map((event) => Date.parse(String(event.time)));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      for (const event of events) expect(event).toMatchObject({ type: 'page', name: 'page_view' });
    },
  },
  event_detail: {
    // Demo event ids are random: an id no event has answers null (events-report.test.ts shows
    // real events in detail).
    body: { eventId: '00000000-0000-4000-8000-000000000000' },
    check(result) {
      expect(asRow(result).event).toBeNull();
    },
  },
};

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow } from '../../../store/index.ts';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import type { QueryContext } from '../../context/query-context.ts';
import { apiSliParams, apiSliReport, type ApiSliResult } from './api-sli-report.ts';

// Shanghai is UTC+8: local day 2026-11-20 runs from 2026-11-19T16:00Z to 2026-11-20T16:00Z.
const D20 = Date.parse('2026-11-19T16:00:00Z');
const D21 = D20 + 86_400_000;
const D22 = D21 + 86_400_000;
const HOUR = 3_600_000;

interface Call {
  at: number;
  route?: string;
  method?: string;
  status?: number | null;
  ms?: number | null;
  timeout?: boolean;
  bot?: boolean;
  env?: string;
  receivedAt?: number;
  project?: string;
}

function apiCall(c: Call): EventRow {
  const props: Record<string, unknown> = {};
  if (c.route !== undefined) props.route = c.route;
  if (c.method !== undefined) props.method = c.method;
  if (c.timeout !== undefined) props.timeout = c.timeout;
  return makeEventRow({
    projectId: c.project ?? 'p_test',
    type: 'api',
    name: 'api_call',
    platform: 'server',
    eventTime: c.at,
    receivedAt: c.receivedAt ?? c.at,
    status: c.status ?? null,
    durationMs: c.ms ?? null,
    isBot: c.bot ?? false,
    env: c.env ?? 'production',
    props: JSON.stringify(props),
  });
}

const A = { route: '/api/products/:id', method: 'GET' };
const B = { route: '/api/orders', method: 'POST' };

async function runSli(ctx: QueryContext, params: Record<string, unknown> = {}) {
  return apiSliReport.run(ctx, apiSliParams.parse(params));
}
const endpoint = (result: ApiSliResult, name: string) =>
  result.endpoints.find((e) => e.endpoint === name);

describe('api_sli report', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load({
      events: [
        // A on the 20th: three calls in its first second (local 00:00:00), a 500, and a timeout
        // that arrived a day late.
        apiCall({ ...A, at: D20, status: 200, ms: 100 }),
        apiCall({ ...A, method: 'get', at: D20 + 500, status: 200, ms: 200 }),
        apiCall({ ...A, at: D20 + 999, status: 404, ms: 300 }),
        apiCall({ ...A, at: D20 + 10 * HOUR, status: 500, ms: 400 }),
        apiCall({
          ...A,
          at: D20 + 12 * HOUR,
          status: 200,
          ms: 10_000,
          timeout: true,
          receivedAt: D21 + 5 * HOUR,
        }),
        // A on the 21st (local midnight), in staging.
        apiCall({ ...A, at: D21, status: 200, ms: 120, env: 'staging' }),
        // B on the 21st at local 09:00, sent out of order; one call without a duration.
        apiCall({ ...B, at: D21 + 9 * HOUR + 1_000, status: 200, ms: null }),
        apiCall({ ...B, at: D21 + 9 * HOUR + 400, status: 503, ms: 150 }),
        apiCall({ ...B, at: D21 + 9 * HOUR, status: 201, ms: 50 }),
        // A bot's call without route, method or status: still load on the API.
        apiCall({ at: D20 + 3 * HOUR, bot: true }),
        // Outside: local 19th 23:59:59.999, local 22nd 00:00, another project, not an API call.
        apiCall({ ...A, at: D20 - 1, status: 500, ms: 9 }),
        apiCall({ ...A, at: D22, status: 500, ms: 9 }),
        apiCall({ ...A, at: D20 + HOUR, status: 500, ms: 9, project: 'p_other' }),
        makeEventRow({
          eventTime: D20 + HOUR,
          name: 'page_view',
          type: 'page',
          props: '{"route":"/x"}',
        }),
      ],
    });
  });
  afterAll(() => f.close());

  it('computes rates, quantiles and QPS per endpoint, busiest first', async () => {
    const result = await runSli(f.ctx({ from: D20, to: D22 }), { slowThresholdMs: 1000 });
    expect(result.endpoints.map((e) => [e.endpoint, e.requests, e.slow])).toEqual([
      ['GET /api/products/:id', 6, true],
      ['POST /api/orders', 3, false],
      ['(unknown) (unknown)', 1, false],
    ]);
    const a = endpoint(result, 'GET /api/products/:id');
    expect(a).toMatchObject({
      errors: 3, // 404, 500, timeout
      serverErrors: 1,
      timeouts: 1,
      availability: 4 / 6, // the 500 and the timeout are down
      errorRate: 0.5,
      serverErrorRate: 1 / 6,
      timeoutRate: 1 / 6,
      qpsPeak: 3,
      qpsAvg: 6 / 172_800,
    });
    // Durations 100 120 200 300 400 10000: linear interpolation at (n − 1) × q.
    expect(a?.latencyMs.p50).toBe(250);
    expect(a?.latencyMs.p90).toBeCloseTo(5200, 6);
    expect(a?.latencyMs.p95).toBeCloseTo(7600, 6);
    expect(a?.latencyMs.p99).toBeCloseTo(9520, 6);
    const b = endpoint(result, 'POST /api/orders');
    expect(b).toMatchObject({ errors: 1, availability: 2 / 3, qpsPeak: 2 });
    expect(b?.latencyMs.p50).toBe(100);
    expect(b?.latencyMs.p95).toBeCloseTo(145, 6);
    const unknown = endpoint(result, '(unknown) (unknown)');
    expect(unknown).toMatchObject({ availability: 1, errorRate: 0, qpsPeak: 1 });
    expect(unknown?.latencyMs).toEqual({ p50: null, p90: null, p95: null, p99: null });
    expect(result.overall).toMatchObject({
      requests: 10,
      errors: 4,
      serverErrors: 2,
      timeouts: 1,
      availability: 0.7,
      qpsPeak: 3,
    });
    expect(result.overall.latencyMs.p50).toBe(175); // 50 100 120 150 | 200 300 400 10000
  });

  it('draws per-bucket series for the busiest endpoints in local days', async () => {
    const result = await runSli(f.ctx({ from: D20, to: D22 }), { seriesLimit: 2 });
    expect(result.series.buckets.map((b) => b.label)).toEqual(['2026-11-20', '2026-11-21']);
    const [a, b] = result.series.endpoints;
    expect(a).toMatchObject({
      endpoint: 'GET /api/products/:id',
      requests: [5, 1],
      errorRate: [0.6, 0],
    });
    expect(a?.p95Ms[0]).toBeCloseTo(8080, 6);
    expect(a?.p95Ms[1]).toBe(120);
    expect(b).toMatchObject({
      endpoint: 'POST /api/orders',
      requests: [0, 3],
      errorRate: [null, 1 / 3],
    });
    expect(b?.p95Ms[0]).toBeNull();
    // In UTC the first three calls fall on the 19th, the local-21st-midnight call on the 20th
    // and the local-22nd-midnight call (outside the local range) on the 21st.
    const utc = await runSli(
      f.ctx({
        from: Date.parse('2026-11-20T00:00:00Z'),
        to: Date.parse('2026-11-22T00:00:00Z'),
        timeZone: 'UTC',
      }),
      { seriesLimit: 1 },
    );
    expect(utc.series.endpoints).toHaveLength(1);
    expect(utc.series.endpoints[0]?.requests).toEqual([3, 1]);
  });

  it('applies filters, hour granularity and empty ranges', async () => {
    const prod = await runSli(
      f.ctx({ from: D20, to: D22, filters: [{ dimension: 'env', op: 'eq', value: 'production' }] }),
    );
    expect(endpoint(prod, 'GET /api/products/:id')?.requests).toBe(5);
    const hourly = await runSli(f.ctx({ from: D20, to: D21, granularity: 'hour' }), {
      seriesLimit: 1,
    });
    expect(hourly.series.buckets).toHaveLength(24);
    expect(hourly.series.endpoints[0]?.requests.filter((n) => n > 0)).toEqual([3, 1, 1]);
    const empty = await runSli(f.ctx({ from: D22 + HOUR, to: D22 + 2 * HOUR }));
    expect(empty.endpoints).toEqual([]);
    expect(empty.overall).toMatchObject({
      requests: 0,
      availability: null,
      errorRate: null,
      qpsPeak: 0,
      qpsAvg: 0,
    });
    expect(empty.series.endpoints).toEqual([]);
    // A range still in the future has no seconds to average over.
    const future = await runSli(f.ctx({ from: D22, to: D22 + HOUR, now: D22 - 1 }));
    expect(future.rangeSeconds).toBeNull();
    expect(future.overall.qpsAvg).toBeNull();
  });

  it('lays the endpoints out as a CSV table with an (all) row', async () => {
    const result = await runSli(f.ctx({ from: D20, to: D22 }));
    const table = apiSliReport.toTable(result, apiSliParams.parse({}));
    expect(table.rows.map((row) => [row[0], row[1]])).toEqual([
      ['GET /api/products/:id', 6],
      ['POST /api/orders', 3],
      ['(unknown) (unknown)', 1],
      ['(all)', 10],
    ]);
  });
});

/** Linear-interpolated quantile, as quantile_cont computes it. */
function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((x, y) => x - y);
  const h = (sorted.length - 1) * q;
  const lo = sorted[Math.floor(h)] as number;
  const hi = sorted[Math.ceil(h)] as number;
  return lo + (h - Math.floor(h)) * (hi - lo);
}

describe('api_sli against a naive reference', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
  });
  afterAll(() => f.close());

  const ROUTES = [undefined, '/a', '/b/:id', '/c'];
  const callArb = fc.record({
    at: fc.integer({ min: D20 - 2 * HOUR, max: D22 + 2 * HOUR }),
    route: fc.constantFrom(...ROUTES),
    method: fc.constantFrom(undefined, 'GET', 'post', 'POST'),
    status: fc.constantFrom(null, 200, 201, 302, 404, 499, 500, 503),
    ms: fc.option(fc.integer({ min: 0, max: 5_000 }), { nil: null }),
    timeout: fc.constantFrom(undefined, true, false),
    bot: fc.boolean(),
  });

  it('matches per endpoint, overall and per local day', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(callArb, { maxLength: 250 }), async (calls) => {
        const project = `p_prop_${run++}`;
        await f.load({ events: calls.map((c) => apiCall({ ...c, project })) });
        const ctx = f.ctx({ projectId: project, from: D20, to: D22 });
        const result = await runSli(ctx, { seriesLimit: 3, limit: 1000 });
        const inRange = calls.filter((c) => c.at >= D20 && c.at < D22);
        const key = (c: (typeof calls)[number]) =>
          `${c.method?.toUpperCase() ?? '(unknown)'} ${c.route ?? '(unknown)'}`;
        const groups = new Map<string, typeof calls>();
        for (const c of inRange) groups.set(key(c), [...(groups.get(key(c)) ?? []), c]);
        const expected = [...groups]
          .map(([name, list]) => {
            const perSecond = new Map<number, number>();
            for (const c of list)
              perSecond.set(
                Math.floor(c.at / 1000),
                (perSecond.get(Math.floor(c.at / 1000)) ?? 0) + 1,
              );
            const timedOut = (c: (typeof calls)[number]) => c.timeout === true;
            const status = (c: (typeof calls)[number]) => c.status ?? 0;
            return {
              name,
              requests: list.length,
              errors: list.filter((c) => status(c) >= 400 || timedOut(c)).length,
              down: list.filter((c) => status(c) >= 500 || timedOut(c)).length,
              peak: Math.max(...perSecond.values()),
              p95: quantile(
                list.flatMap((c) => (c.ms === null ? [] : [c.ms])),
                0.95,
              ),
              byDay: [D20, D21].map((day) =>
                list.filter((c) => c.at >= day && c.at < day + 86_400_000),
              ),
            };
          })
          .sort((x, y) => y.requests - x.requests || (x.name < y.name ? -1 : 1));
        expect(result.endpoints.map((e) => [e.endpoint, e.requests, e.errors, e.qpsPeak])).toEqual(
          expected.map((e) => [e.name, e.requests, e.errors, e.peak]),
        );
        result.endpoints.forEach((e, i) => {
          const want = expected[i];
          expect(e.availability).toBe(want ? (want.requests - want.down) / want.requests : null);
          if (want?.p95 === null) expect(e.latencyMs.p95).toBeNull();
          else expect(e.latencyMs.p95).toBeCloseTo(want?.p95 ?? NaN, 6);
        });
        expect(result.overall.requests).toBe(inRange.length);
        result.series.endpoints.forEach((s, i) => {
          expect(s.endpoint).toBe(expected[i]?.name);
          expect(s.requests).toEqual(expected[i]?.byDay.map((list) => list.length));
        });
      }),
      { numRuns: 25 },
    );
  });
});

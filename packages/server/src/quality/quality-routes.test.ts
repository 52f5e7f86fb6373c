import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../platform/index.ts';
import { createWriteBatch, type EventRow, type IngestStatRow } from '../store/index.ts';
import { makeEventRow } from '../testing/event-row-fixture.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { getIngestQuality } from './get-ingest-quality.ts';

const MIN_MS = 60_000;
const H0 = Date.parse('2026-11-20T01:00:00Z');
const H1 = H0 + 60 * MIN_MS;
const H2 = H1 + 60 * MIN_MS;
const END = H2 + 60 * MIN_MS;
const NOW = H2 + 30 * MIN_MS;

/** An event received at `receivedAt` that happened `delay` ms earlier. */
function delayed(receivedAt: number, delay: number, projectId = 'shop'): EventRow {
  return makeEventRow({ projectId, receivedAt, eventTime: receivedAt - delay });
}
function stat(hour: number, outcome: string, code: string, count: number): IngestStatRow {
  return { projectId: 'shop', hour, outcome, code, count };
}

describe('GET /api/v1/projects/:projectId/quality', () => {
  let t: TestApp;
  let viewerToken: string;
  const clock = createFakeClock(NOW);

  beforeEach(async () => {
    clock.set(NOW);
    t = await createTestApp({ clock });
    ({ token: viewerToken } = await t.app.services.auth.createToken(
      { name: 'viewer', role: 'viewer', projectId: 'shop' },
      'test',
    ));
    await t.app.services.projects.create(
      { id: 'other', name: 'Other', timeZone: 'UTC', retentionDays: 180 },
      'test',
    );
    const h0 = [1_000, 2_000, 3_000, 400_000].map((d) => delayed(H0 + 10 * MIN_MS, d));
    const h1 = [10_000, 20_000, 60_000, 899_999, 900_000, 86_400_000].map((d) =>
      delayed(H1 + 20 * MIN_MS, d),
    );
    const { eventStore } = t.app.services;
    await eventStore.commit(createWriteBatch({ events: [...h0, ...h1] }));
    await eventStore.commit(
      createWriteBatch({
        // Two of H0's events sent again in H0: duplicates.
        events: [
          ...h0.slice(0, 2),
          // Outside the range or the project.
          delayed(H0 - 1, 5_000_000),
          delayed(END, 7),
          delayed(H1, 1, 'other'),
        ],
        stats: [
          stat(H2, 'rejected', 'ERR_INGEST_EVENT_INVALID', 2),
          stat(H2, 'rejected', 'ERR_INGEST_EVENT_TIME_INVALID', 1),
          stat(H2, 'dropped', 'DNT', 2),
          stat(H0 - 60 * MIN_MS, 'rejected', 'ERR_INGEST_EVENT_TOO_LARGE', 5),
          stat(END, 'rejected', 'ERR_INGEST_EVENT_INVALID', 7),
        ],
      }),
    );
  });
  afterEach(() => t.close());

  function get(url: string, token: string | null = t.adminToken) {
    return t.app.fastify.inject({
      method: 'GET',
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  }

  it('answers exact counts, rates, delay quantiles and timeliness', async () => {
    const res = await get(
      '/api/v1/projects/shop/quality?from=2026-11-20T01:00:00Z&to=2026-11-20T04:00:00Z',
    );
    expect(res.statusCode).toBe(200);
    const noCodes = { rejectedByCode: {}, droppedByCode: {} };
    expect(res.json()).toEqual({
      projectId: 'shop',
      from: '2026-11-20T01:00:00.000Z',
      to: '2026-11-20T04:00:00.000Z',
      totals: {
        accepted: 10,
        duplicates: 2,
        dropped: 2,
        rejected: 3,
        rejectedByCode: { ERR_INGEST_EVENT_INVALID: 2, ERR_INGEST_EVENT_TIME_INVALID: 1 },
        droppedByCode: { DNT: 2 },
        duplicateRate: 2 / 12,
        rejectRate: 3 / 17,
      },
      // Sorted delays: 1 s, 2 s, 3 s, 10 s, 20 s, 60 s, 400 s, 899.999 s, 900 s, 24 h.
      // Nearest rank ⌈q·10⌉: p50 = 5th, p95 = p99 = 10th.
      delayMs: { p50: 20_000, p95: 86_400_000, p99: 86_400_000, max: 86_400_000 },
      // Under 5 min: 6 of 10; under 15 min: 8 (900 s is not under); under 24 h: 9.
      timeliness: { within5m: 0.6, within15m: 0.8, within24h: 0.9 },
      hours: [
        {
          hour: '2026-11-20T01:00:00.000Z',
          accepted: 4,
          duplicates: 2,
          dropped: 0,
          rejected: 0,
          ...noCodes,
          delayP50Ms: 2_000,
          delayP95Ms: 400_000,
        },
        {
          hour: '2026-11-20T02:00:00.000Z',
          accepted: 6,
          duplicates: 0,
          dropped: 0,
          rejected: 0,
          ...noCodes,
          delayP50Ms: 60_000,
          delayP95Ms: 86_400_000,
        },
        {
          hour: '2026-11-20T03:00:00.000Z',
          accepted: 0,
          duplicates: 0,
          dropped: 2,
          rejected: 3,
          rejectedByCode: { ERR_INGEST_EVENT_INVALID: 2, ERR_INGEST_EVENT_TIME_INVALID: 1 },
          droppedByCode: { DNT: 2 },
          delayP50Ms: null,
          delayP95Ms: null,
        },
      ],
    });
    // Epoch ms means the same.
    const byMs = await get(`/api/v1/projects/shop/quality?from=${H0}&to=${END}`);
    expect(byMs.json()).toEqual(res.json());
  });

  it('defaults to the 24 hours ending with the current hour', async () => {
    const body = (await get('/api/v1/projects/shop/quality')).json<{
      from: string;
      to: string;
      totals: { accepted: number; rejected: number };
      hours: unknown[];
    }>();
    expect(body).toMatchObject({
      from: '2026-11-19T04:00:00.000Z',
      to: '2026-11-20T04:00:00.000Z',
      // Now also the event received at 00:59:59.999 and the rejects counted in the 00:00 hour.
      totals: { accepted: 11, rejected: 8 },
    });
    expect(body.hours).toHaveLength(24);
  });

  it('answers nulls, not zeros or NaN, for a range without data', async () => {
    const body = (
      await get('/api/v1/projects/other/quality?from=2026-01-01T00:00:00Z&to=2026-01-01T01:00:00Z')
    ).json();
    expect(body).toMatchObject({
      totals: { accepted: 0, duplicateRate: null, rejectRate: null },
      delayMs: { p50: null, p95: null, p99: null, max: null },
      timeliness: { within5m: null, within15m: null, within24h: null },
      hours: [{ hour: '2026-01-01T00:00:00.000Z', accepted: 0, delayP50Ms: null }],
    });
  });

  it.each([
    ['from=2026-11-20T02:00:00Z&to=2026-11-20T01:00:00Z', 'from must be before to'],
    ['from=2026-01-01T00:00:00Z&to=2026-11-20T00:00:00Z', '90 days'],
    ['from=yesterday', 'from must be ISO-8601'],
    [`from=${'1'.repeat(41)}`, 'from'],
  ])('rejects ?%s with ERR_REQUEST_INVALID', async (query, reason) => {
    const res = await get(`/api/v1/projects/shop/quality?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: { code: 'ERR_REQUEST_INVALID', message: expect.stringContaining(reason) },
    });
  });

  it('is readable with data:read (a viewer), only for granted projects', async () => {
    expect((await get('/api/v1/projects/shop/quality', viewerToken)).statusCode).toBe(200);
    const other = await get('/api/v1/projects/other/quality', viewerToken);
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ error: { code: 'ERR_AUTH_FORBIDDEN' } });
    expect((await get('/api/v1/projects/shop/quality', null)).statusCode).toBe(401);
    const missing = await get('/api/v1/projects/nope/quality');
    expect(missing.json()).toMatchObject({ error: { code: 'ERR_PROJECT_NOT_FOUND' } });
  });

  it('computes delay quantiles as the nearest rank of a naive sort (property)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -60_000, max: 2 * 86_400_000 }), {
          minLength: 1,
          maxLength: 40,
        }),
        async (delays) => {
          const projectId = `prop-${(run += 1)}`;
          await t.app.services.eventStore.commit(
            createWriteBatch({ events: delays.map((d) => delayed(H1 + 5 * MIN_MS, d, projectId)) }),
          );
          const sorted = [...delays].sort((a, b) => a - b);
          const rank = (q: number) => sorted[Math.ceil(q * sorted.length) - 1];
          const result = await getIngestQuality(t.app.services, { projectId, from: H1, to: H2 });
          expect(result.delayMs).toEqual({
            p50: rank(0.5),
            p95: rank(0.95),
            p99: rank(0.99),
            max: sorted.at(-1),
          });
          expect(result.timeliness.within5m).toBe(
            delays.filter((d) => d < 5 * MIN_MS).length / delays.length,
          );
          expect(result.hours[0]).toMatchObject({
            accepted: delays.length,
            delayP50Ms: rank(0.5),
            delayP95Ms: rank(0.95),
          });
        },
      ),
      { numRuns: 15, seed: 2026 },
    );
  });
});

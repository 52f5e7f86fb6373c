import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

/** The last value of the first sample of `name` whose labels include all of `labels`. */
function sampleOf(text: string, name: string, labels: readonly string[] = []): number | null {
  const line = text
    .split('\n')
    .find(
      (l) =>
        (l.startsWith(`${name} `) || l.startsWith(`${name}{`)) &&
        labels.every((label) => l.includes(label)),
    );
  return line === undefined ? null : Number(line.split(' ').at(-1));
}

describe('/metrics in the running app', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ env: { SIGHTLINE_ALERT_TICK_MS: '0' } });
  });
  afterEach(() => t.close());

  it('counts ingested and refused events, report timings and result-cache use', async () => {
    const batch = await t.app.fastify.inject({
      method: 'POST',
      url: '/api/v1/batch',
      headers: { 'x-sightline-key': t.project.writeKey },
      payload: { batch: [{ type: 'event', name: 'ok' }, { type: 'nope' }, { type: 'event' }] },
    });
    expect(batch.json().accepted).toBe(1);
    const report = () =>
      t.app.fastify.inject({
        method: 'POST',
        url: `/api/v1/projects/${t.project.id}/reports/trends`,
        headers: { authorization: `Bearer ${t.adminToken}` },
        payload: { range: 'today', series: [{ metric: 'events' }] },
      });
    expect((await report()).json().cached).toBe(false);
    expect((await report()).json().cached).toBe(true);

    const scrape = (await t.app.fastify.inject({ method: 'GET', url: '/metrics' })).body;
    expect(sampleOf(scrape, 'sightline_ingest_events_accepted_total')).toBe(1);
    expect(sampleOf(scrape, 'sightline_ingest_events_rejected_total', ['reason="invalid"'])).toBe(
      2,
    );
    expect(sampleOf(scrape, 'sightline_ingest_request_duration_seconds_count')).toBe(1);
    expect(sampleOf(scrape, 'sightline_query_duration_seconds_count', ['report="trends"'])).toBe(2);
    expect(sampleOf(scrape, 'sightline_query_cache_hits_total')).toBe(1);
    expect(sampleOf(scrape, 'sightline_query_cache_misses_total')).toBe(1);
  });
});

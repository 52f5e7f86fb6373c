import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../packages/server/src/platform/index.ts';
import { createTestApp } from '../../packages/server/src/testing/test-app.ts';

const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);

/** The compatibility endpoints go through the ingest service, so its limits answer as ours do. */
describe('compatibility endpoints under load', () => {
  it('share the write key rate limit and answer 429 with Retry-After', async () => {
    const clock = createFakeClock(NOW);
    const t = await createTestApp({
      clock,
      env: { SIGHTLINE_RATE_LIMIT_KEY_PER_SEC: '2', SIGHTLINE_RATE_LIMIT_KEY_BURST: '2' },
    });
    try {
      const segment = () =>
        t.app.fastify.inject({
          method: 'POST',
          url: '/v1/track',
          headers: { 'content-type': 'application/json' },
          payload: { writeKey: t.project.writeKey, event: 'Limited', userId: 'u-1' },
        });
      const posthog = () =>
        t.app.fastify.inject({
          method: 'POST',
          url: '/batch/',
          headers: { 'content-type': 'application/json' },
          payload: {
            api_key: t.project.writeKey,
            batch: [{ event: 'limited', distinct_id: 'u-1' }],
          },
        });
      expect((await segment()).statusCode).toBe(200);
      expect((await posthog()).statusCode).toBe(200);
      for (const limited of [await segment(), await posthog()]) {
        expect(limited.statusCode).toBe(429);
        expect(limited.headers['retry-after']).toBe('1');
        expect(limited.json().error.code).toBe('ERR_RATE_LIMITED');
      }
      clock.advance(1_000);
      expect((await posthog()).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('answer 503 with Retry-After when the writer queue is full, storing nothing of that request', async () => {
    const t = await createTestApp({
      env: { SIGHTLINE_WRITER_QUEUE_MAX_EVENTS: '100', SIGHTLINE_WRITER_FLUSH_MS: '300' },
    });
    try {
      const send = (event: string) =>
        t.app.fastify.inject({
          method: 'POST',
          url: '/v1/batch',
          headers: { 'content-type': 'application/json' },
          payload: {
            writeKey: t.project.writeKey,
            batch: Array.from({ length: 60 }, () => ({ type: 'track', event, userId: 'u-q' })),
          },
        });
      const [first, second] = await Promise.all([send('First'), send('Second')]);
      expect(first.statusCode).toBe(200);
      expect(second.statusCode).toBe(503);
      expect(second.headers['retry-after']).toBe('1');
      expect(second.json().error.code).toBe('ERR_INGEST_QUEUE_FULL');
      expect(
        await t.app.services.eventStore.query(
          'SELECT name, count(*) AS n FROM events GROUP BY name',
        ),
      ).toEqual([{ name: 'first', n: 60 }]);

      // CORS as on POST /api/v1/batch: browsers may send from any origin.
      const preflight = await t.app.fastify.inject({ method: 'OPTIONS', url: '/v1/batch' });
      expect(preflight.statusCode).toBe(204);
      expect(preflight.headers).toMatchObject({
        'access-control-allow-origin': '*',
        'access-control-allow-headers': 'content-type, content-encoding, authorization',
      });
      const posthogPreflight = await t.app.fastify.inject({ method: 'OPTIONS', url: '/e/' });
      expect(posthogPreflight.headers['access-control-allow-origin']).toBe('*');
      expect(first.headers['access-control-allow-origin']).toBe('*');

      // Listed in the API document once each (the trailing-slash twins are hidden).
      const doc = (await t.app.fastify.inject({ method: 'GET', url: '/openapi.json' })).json<{
        paths: Record<string, unknown>;
      }>();
      const compatPaths = Object.keys(doc.paths).filter((path) => !path.startsWith('/api'));
      expect(compatPaths).toEqual(
        expect.arrayContaining([
          '/v1/batch',
          '/v1/track',
          '/v1/identify',
          '/batch',
          '/e',
          '/capture',
        ]),
      );
      expect(compatPaths).not.toContain('/e/');
    } finally {
      await t.close();
    }
  });
});

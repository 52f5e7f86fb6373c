import { SDK_CONFIG_DEFAULTS } from '@sightline/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

describe('GET /api/v1/sdk-config', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const fetchConfig = (key: string, etag?: string) =>
    t.app.fastify.inject({
      method: 'GET',
      url: `/api/v1/sdk-config?key=${encodeURIComponent(key)}`,
      headers: etag ? { 'if-none-match': etag } : {},
    });

  it('answers the defaults with an ETag, 304 when unchanged, and a new ETag after a change', async () => {
    const first = await fetchConfig(t.project.writeKey);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual(SDK_CONFIG_DEFAULTS);
    expect(first.json()).toMatchObject({ telemetrySampleRate: { consumer: 0.01, business: 0.05 } });
    expect(first.headers['access-control-allow-origin']).toBe('*');
    const etag = String(first.headers.etag);
    const again = await fetchConfig(t.project.writeKey, etag);
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');

    const patched = await t.app.fastify.inject({
      method: 'PATCH',
      url: `/api/v1/projects/${t.project.id}`,
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload: { sdkConfig: { enabled: false, disabledFields: ['title'] } },
    });
    expect(patched.statusCode).toBe(200);
    // A second change keeps the fields set by the first.
    await t.app.fastify.inject({
      method: 'PATCH',
      url: `/api/v1/projects/${t.project.id}`,
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload: { sdkConfig: { telemetrySampleRate: { consumer: 0.2, business: 1 } } },
    });
    const changed = await fetchConfig(t.project.writeKey, etag);
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.json()).toEqual({
      ...SDK_CONFIG_DEFAULTS,
      enabled: false,
      disabledFields: ['title'],
      telemetrySampleRate: { consumer: 0.2, business: 1 },
    });
  });

  it('refuses an unknown key and invalid settings with stable codes', async () => {
    const unknown = await fetchConfig('wk_nope');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('ERR_INGEST_KEY_INVALID');
    const invalid = await t.app.fastify.inject({
      method: 'PATCH',
      url: `/api/v1/projects/${t.project.id}`,
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload: { sdkConfig: { telemetrySampleRate: { consumer: 2, business: 0.5 } } },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.code).toBe('ERR_REQUEST_INVALID');
    const required = await t.app.fastify.inject({
      method: 'PATCH',
      url: `/api/v1/projects/${t.project.id}`,
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload: { sdkConfig: { disabledFields: ['url', 'event_id'] } },
    });
    expect(required.statusCode).toBe(400);
    expect(required.json().error.code).toBe('ERR_REQUEST_INVALID');
    expect(JSON.stringify(required.json())).toContain('cannot be disabled');
    // Nothing of a refused change was kept.
    expect((await fetchConfig(t.project.writeKey)).json()).toEqual(SDK_CONFIG_DEFAULTS);
  });
});

import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, ApiError } from '../../packages/dashboard/src/lib/api.ts';
import { createTestApp, type TestApp } from '../../packages/server/src/testing/test-app.ts';

/** The dashboard's API client against a real server: errors keep their code and details. */
describe('dashboard API client', () => {
  let t: TestApp;
  let base = '';
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.fastify.server.address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  it("carries the server's code, message and per-field details of a refused request", async () => {
    const refused = await api(`${base}/api/v1/auth/login`, { body: { email: 'x' } }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ApiError);
    const error = refused as ApiError;
    expect(error.status).toBe(400);
    expect(error.code).toBe('ERR_REQUEST_INVALID');
    expect(error.details.length).toBeGreaterThan(0);
    expect(error.details.map((detail) => detail.path).join(' ')).toMatch(/email|password/);
  });

  it('says NETWORK when the server cannot be reached', async () => {
    const refused = await api('http://127.0.0.1:9/api/v1/auth/me').catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'NETWORK', status: 0, details: [] });
  });
});

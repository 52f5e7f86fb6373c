import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempDir } from '../testing/temp-dir.ts';
import { registerDashboardRoutes } from './dashboard-routes.ts';
import { registerErrorHandling } from './error-handler.ts';

describe('dashboard routes', () => {
  const dirs: Array<{ remove(): void }> = [];
  afterEach(() => dirs.splice(0).forEach((dir) => dir.remove()));

  async function appServing(build: boolean) {
    const dir = createTempDir('sightline-dashboard-');
    dirs.push(dir);
    if (build) {
      mkdirSync(join(dir.path, 'assets'));
      writeFileSync(join(dir.path, 'index.html'), '<!doctype html><div id="app"></div>');
      writeFileSync(join(dir.path, 'assets', 'index-abc123.js'), 'console.log(1)');
    }
    const app = Fastify();
    registerErrorHandling(app);
    await registerDashboardRoutes(app, dir.path);
    return app;
  }

  it("answers the app's index for its own paths (never cached) and hashed assets for a year", async () => {
    const app = await appServing(true);
    for (const url of [
      '/',
      '/login',
      '/p/demo/overview?range=last_7_days',
      '/p/demo/tech',
      '/share/slv_x',
    ]) {
      const page = await app.inject({ method: 'GET', url });
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.body).toContain('<div id="app">');
    }
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // Other paths stay the API's: a JSON 404 with its code.
    const unknown = await app.inject({ method: 'GET', url: '/nothing-here' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('ERR_NOT_FOUND');
    expect((await app.inject({ method: 'GET', url: '/assets/missing.js' })).statusCode).toBe(404);
    await app.close();
  });

  it('says how to build the dashboard when there is no build', async () => {
    const app = await appServing(false);
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(503);
    expect(page.json().error.code).toBe('ERR_DASHBOARD_NOT_BUILT');
    expect(JSON.stringify(page.json())).toContain('npm run build -w @sightline/dashboard');
    await app.close();
  });
});

import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { seedDemo } from '../../packages/server/src/bootstrap/seed-demo.ts';
import { createTestApp, type TestApp } from '../../packages/server/src/testing/test-app.ts';
import { collectProblems } from './chromium.ts';

/**
 * Builds the dashboard when its build is missing or older than its sources (`npm test` has built
 * it already, so test files running side by side do not rebuild it under each other).
 */
export function ensureDashboardBuilt(): void {
  execFileSync(process.execPath, ['scripts/ensure-dashboard.mjs'], { stdio: 'pipe' });
}

export interface DemoServer {
  t: TestApp;
  /** The demo project's write key (to send events during a test). */
  writeKey: string;
  /** http://127.0.0.1:<port> */
  base: string;
  email: string;
  password: string;
  close(): Promise<void>;
}

/**
 * A real server on a fresh data directory with the demo project (`demo`, 30 days by default,
 * ending now) and an analyst account that can read it.
 */
export async function startDemoServer(
  options: { days?: number; scale?: number; seed?: number; env?: Record<string, string> } = {},
): Promise<DemoServer> {
  ensureDashboardBuilt();
  // SIGHTLINE_DASHBOARD_DIR: a build of its own (tests of several pages developed side by side).
  const dir = process.env.SIGHTLINE_DASHBOARD_DIR;
  const t = await createTestApp({
    env: { ...(dir ? { SIGHTLINE_DASHBOARD_DIR: dir } : {}), ...options.env },
  });
  const { writeKey } = await seedDemo(t.app.services, {
    days: options.days ?? 30,
    seed: options.seed ?? 7,
    scale: options.scale ?? 0.3,
  });
  const email = 'analyst@example.com';
  const password = 'correct horse battery staple';
  const created = await t.app.fastify.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: { authorization: `Bearer ${t.adminToken}` },
    payload: { email, password, role: 'analyst', projectIds: ['demo'] },
  });
  if (created.statusCode !== 201) throw new Error(`creating the analyst: ${created.body}`);
  await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(t.app.fastify.server.address() as AddressInfo).port}`;
  return { t, writeKey, base, email, password, close: () => t.close() };
}

/**
 * A new browser context signed in through the login page, on `path` (default the overview).
 * `problems` collects console errors and uncaught exceptions from the start, except the
 * browser's note on the 401 of the session check before signing in.
 */
export async function signIn(
  browser: Browser,
  server: DemoServer,
  options: { locale?: 'en-US' | 'zh-CN'; path?: string } = {},
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({
    locale: options.locale ?? 'en-US',
    viewport: { width: 1366, height: 900 },
  });
  const page = await context.newPage();
  const problems = collectProblems(page, (text) => !text.includes('status of 401'));
  const path = options.path ?? '/p/demo/overview';
  await page.goto(`${server.base}${path}`);
  await page.waitForURL(/\/login\?next=/);
  await page.fill('[data-testid=email]', server.email);
  await page.fill('[data-testid=password]', server.password);
  await page.click('[data-testid=login-submit]');
  await page.waitForURL((url) => url.pathname === path.split('?')[0]);
  return { context, page, problems };
}

/** A report of the query API as the admin, its `result`. */
export async function apiReport<R>(
  server: DemoServer,
  report: string,
  body: Record<string, unknown>,
): Promise<R> {
  const answer = await server.t.app.fastify.inject({
    method: 'POST',
    url: `/api/v1/projects/demo/reports/${report}`,
    headers: { authorization: `Bearer ${server.t.adminToken}` },
    payload: body,
  });
  if (answer.statusCode !== 200) throw new Error(`${report}: ${answer.statusCode} ${answer.body}`);
  return answer.json<{ result: R }>().result;
}

import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDuckDbEventStore } from '../packages/server/src/store/index.ts';
import { createTempDir } from '../packages/server/src/testing/temp-dir.ts';
import { runSightline, startServerProcess } from '../packages/server/src/testing/server-process.ts';
import { ensureDashboardBuilt } from './support/dashboard.ts';

/**
 * The README quick start on a fresh data directory: the first start prints an admin account and
 * the demo write key and fills the demo project; the printed credentials work.
 */
describe('first start', () => {
  const dir = createTempDir('sightline-quickstart-');
  afterAll(() => dir.remove());

  it('creates the admin, the demo project with data, and prints what a newcomer needs', async () => {
    ensureDashboardBuilt();
    const server = await startServerProcess(dir.path, {
      SIGHTLINE_DEMO: '1',
      SIGHTLINE_DEMO_DAYS: '3',
      SIGHTLINE_DEMO_SCALE: '0.05',
    });
    const output = server.output();
    const password = /Admin password: (\S+)/.exec(output)?.[1];
    const writeKey = /Demo write key: (wk_\S+)/.exec(output)?.[1];
    expect(output).toContain('Admin account: admin@sightline.local');
    expect(password).toBeDefined();
    expect(writeKey).toBeDefined();

    // The dashboard is served from its build, found from the server's bundle.
    const page = await fetch(`${server.url}/login`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<div id="app"></div>');

    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@sightline.local', password }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
    const projectsRes = await fetch(`${server.url}/api/v1/projects`, { headers: { cookie } });
    const projects = (await projectsRes.json()) as { projects: Array<{ id: string }> };
    expect(projects.projects.map((p) => p.id)).toEqual(['demo']);

    const sent = await fetch(`${server.url}/api/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sightline-key': String(writeKey) },
      body: JSON.stringify({ batch: [{ type: 'event', name: 'hello' }] }),
    });
    expect(((await sent.json()) as { accepted: number }).accepted).toBe(1);

    // The CLI creates projects and tokens beside the running server, and the server sees them.
    const project = runSightline([
      '--data-dir',
      dir.path,
      'project',
      'create',
      'Side shop',
      '--json',
    ]);
    expect(project.code, project.stderr).toBe(0);
    const created = JSON.parse(project.stdout) as {
      id: string;
      writeKey: string;
      secretKey: string;
    };
    expect(Object.keys(created).sort()).toEqual(['id', 'secretKey', 'writeKey']);
    const token = runSightline([
      '--data-dir',
      dir.path,
      'token',
      'create',
      '--role',
      'admin',
      '--json',
    ]);
    const { token: bearer } = JSON.parse(token.stdout) as { token: string };
    const listed = await fetch(`${server.url}/api/v1/projects`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    const list = (await listed.json()) as { projects: Array<{ id: string }> };
    expect(list.projects.map((p) => p.id)).toEqual(['demo', created.id]);
    const toNewProject = await fetch(`${server.url}/api/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sightline-key': created.writeKey },
      body: JSON.stringify({ batch: [{ type: 'event', name: 'first' }] }),
    });
    expect(toNewProject.status).toBe(200);
    expect(await server.stop()).toBe(0);

    // A second start prints no password again and keeps the data.
    const again = await startServerProcess(dir.path, { SIGHTLINE_DEMO: '1' });
    expect(again.output()).not.toContain('Admin password');
    expect(again.output()).toContain(`Demo write key: ${writeKey}`);
    expect(await again.stop()).toBe(0);

    const store = await createDuckDbEventStore({ path: join(dir.path, 'events.duckdb') });
    try {
      const [counts] = await store.query(
        `SELECT count(*) AS events, count(DISTINCT name) AS names, (SELECT count(*) FROM orders) AS orders,
                (SELECT count(*) FROM products) AS products, max(event_time) AS latest
         FROM events WHERE project_id = 'demo'`,
      );
      expect(Number(counts?.events)).toBeGreaterThan(2_000);
      expect(Number(counts?.names)).toBeGreaterThan(10);
      expect(Number(counts?.orders)).toBeGreaterThan(0);
      expect(Number(counts?.products)).toBeGreaterThan(0);
      // Today so far is there too (the demo runs up to now).
      const latest = (counts?.latest as Date).getTime();
      expect(Date.now() - latest).toBeLessThan(6 * 3_600_000);
    } finally {
      await store.close();
    }
    // A server process filling the demo and two CLI processes: above the default test timeout
    // when the machine is busy.
  }, 180_000);

  it('generates demo data from the CLI, idempotently for the same seed', () => {
    const data = join(dir.path, 'cli-demo');
    const args = [
      '--data-dir',
      data,
      'demo',
      '--days',
      '2',
      '--scale',
      '0.05',
      '--seed',
      '9',
      '--json',
    ];
    const first = runSightline(args);
    expect(first.code, first.stderr).toBe(0);
    const result = JSON.parse(first.stdout) as {
      accepted: number;
      duplicates: number;
      secretKey: string | null;
    };
    expect(result.accepted).toBeGreaterThan(500);
    expect(result.secretKey).toMatch(/^sk_/);
    const second = runSightline(args);
    const again = JSON.parse(second.stdout) as { accepted: number; secretKey: string | null };
    // Minutes later "today" has grown a little; everything before is already stored.
    expect(again.accepted).toBeLessThan(result.accepted * 0.05);
    expect(again.secretKey).toBeNull();
  });
});

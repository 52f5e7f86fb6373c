import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { claimDataDir } from '../bootstrap/index.ts';
import { createWriteBatch } from '../store/index.ts';
import { makeEventRow } from '../testing/event-row-fixture.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { runCli } from './run-cli.ts';

const DAY_MS = 86_400_000;

describe('sightline retention run', () => {
  let t: TestApp;
  let printed: string[];

  beforeEach(async () => {
    t = await createTestApp();
    const now = Date.now();
    await t.app.services.eventStore.commit(
      createWriteBatch({
        events: [200, 190, 10].map((days) =>
          makeEventRow({ projectId: 'shop', eventTime: now - days * DAY_MS, receivedAt: now }),
        ),
      }),
    );
    printed = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    vi.spyOn(console, 'error').mockImplementation((line: string) => void printed.push(line));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await t.close();
  });

  /** Listens on a free port and writes server.json, as `sightline start` does. */
  async function listenAndClaim(): Promise<() => void> {
    await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.fastify.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return claimDataDir(t.config.dataDir, `http://127.0.0.1:${port}`);
  }

  const cli = (...args: string[]) =>
    runCli(['node', 'sightline', '--data-dir', t.config.dataDir, 'retention', 'run', ...args]);

  it('asks a running server over HTTP with a short-lived token, then revokes it', async () => {
    const release = await listenAndClaim();
    try {
      expect(await cli('--project', 'shop', '--json')).toBe(0);
    } finally {
      release();
    }
    const { results } = JSON.parse(printed.join('\n')) as { results: unknown[] };
    expect(results).toEqual([
      expect.objectContaining({ projectId: 'shop', retentionDays: 180, deletedEvents: 2 }),
    ]);
    const [run] = await t.app.services.audit.list({ action: 'retention.run', limit: 1 });
    expect(run?.actor).toMatch(/^token:/);
    const [revoked] = await t.app.services.audit.list({ action: 'token.revoke', limit: 1 });
    expect(revoked).toMatchObject({ actor: 'cli' });
  });

  it('reports the server error for an unknown project', async () => {
    const release = await listenAndClaim();
    try {
      expect(await cli('--project', 'nope')).toBe(1);
    } finally {
      release();
    }
    expect(printed).toEqual(['ERR_PROJECT_NOT_FOUND: Project nope not found']);
  });

  it('opens the stores itself when no server runs', async () => {
    await t.app.close();
    expect(await cli()).toBe(0);
    expect(printed).toEqual([
      expect.stringMatching(/^shop: deleted 2 events before \S+Z \(retention 180 d\)$/),
    ]);
  });
});

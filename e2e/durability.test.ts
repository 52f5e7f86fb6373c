import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEventStore } from '../packages/server/src/store/index.ts';
import { createTempDir } from '../packages/server/src/testing/temp-dir.ts';
import { runSightline, startServerProcess } from '../packages/server/src/testing/server-process.ts';

const LOAD_MS = 2_500;
const CONCURRENCY = 8;
const BATCH = 100;

/**
 * An acknowledged event survives kill -9: load a real server process, SIGKILL it mid-stream,
 * restart it and check that every event of every 2xx answer is there, exactly once.
 */
describe('durability', () => {
  const dir = createTempDir('sightline-durability-');
  let writeKey = '';

  beforeAll(() => {
    const created = runSightline([
      '--data-dir',
      dir.path,
      'project',
      'create',
      'Durable shop',
      '--id',
      'durable',
      '--json',
    ]);
    expect(created.code, created.stderr).toBe(0);
    writeKey = (JSON.parse(created.stdout) as { writeKey: string }).writeKey;
  });
  afterAll(() => dir.remove());

  it('keeps every acknowledged event after kill -9 and dedupes replays after restart', async () => {
    const env = {
      SIGHTLINE_RATE_LIMIT_KEY_PER_SEC: '1000000',
      SIGHTLINE_RATE_LIMIT_KEY_BURST: '1000000',
    };
    const server = await startServerProcess(dir.path, env);
    const acknowledged: string[][] = [];
    let failed = 0;
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const ids = Array.from({ length: BATCH }, () => randomUUID());
        const body = JSON.stringify({
          batch: ids.map((id) => ({ event_id: id, type: 'event', name: 'load' })),
        });
        try {
          const res = await fetch(`${server.url}/api/v1/batch`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-sightline-key': writeKey },
            body,
          });
          if (res.status === 200) acknowledged.push(ids);
          else failed += 1;
        } catch {
          failed += 1; // connection cut by the kill: not acknowledged, may or may not be stored
        }
      }
    };
    const workers = Array.from({ length: CONCURRENCY }, () => worker());
    await new Promise((r) => setTimeout(r, LOAD_MS));
    await server.kill9();
    stop = true;
    await Promise.all(workers);
    const ackedIds = acknowledged.flat();
    expect(ackedIds.length).toBeGreaterThan(1_000);

    // Restart on the same files: the stale server.json of the killed process must not block it.
    const again = await startServerProcess(dir.path, env);
    const replay = await fetch(`${again.url}/api/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sightline-key': writeKey },
      body: JSON.stringify({
        batch: (acknowledged[0] ?? []).map((id) => ({ event_id: id, type: 'event', name: 'load' })),
      }),
    });
    expect(await replay.json()).toMatchObject({ accepted: 0, duplicates: BATCH });
    expect(await again.stop()).toBe(0);

    const store = await createDuckDbEventStore({ path: join(dir.path, 'events.duckdb') });
    try {
      const [total] = await store.query(
        'SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM events',
      );
      const [found] = await store.query(
        `SELECT count(*) AS n FROM events WHERE event_id IN (SELECT unnest(from_json($1::VARCHAR, '["UUID"]')))`,
        [JSON.stringify(ackedIds)],
      );
      expect(found?.n).toBe(ackedIds.length);
      // Unacknowledged requests may have committed before the kill; nothing is ever stored twice.
      expect(total?.n).toBe(total?.d);
      expect(Number(total?.n)).toBeGreaterThanOrEqual(ackedIds.length);
      expect(Number(total?.n)).toBeLessThanOrEqual(
        ackedIds.length + (failed + CONCURRENCY) * BATCH,
      );
    } finally {
      await store.close();
    }
  });
});

import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DIST_DIR,
  DIST_ENTRY,
  ensureServerBuild,
  isBuildFresh,
  sourceStamp,
} from '../packages/server/build.mjs';
import { createTempDir } from '../packages/server/src/testing/temp-dir.ts';

/**
 * `sightline` runs the server's JavaScript bundle (packages/server/build.mjs), rebuilt whenever
 * the sources change. Processes started by other tests (quick start, durability) run it too.
 */
describe('server bundle', () => {
  const tmp = createTempDir('sightline-bundle-');
  afterAll(() => tmp.remove());

  it('notices an added, an edited, a moved and a removed source file', () => {
    const src = join(tmp.path, 'src');
    mkdirSync(join(src, 'deep'), { recursive: true });
    writeFileSync(join(src, 'a.ts'), 'export const a = 1;\n');
    writeFileSync(join(src, 'deep', 'b.ts'), 'export const b = 2;\n');
    utimesSync(join(src, 'a.ts'), 1_000, 1_000);
    utimesSync(join(src, 'deep', 'b.ts'), 2_000, 2_000);
    const seen = new Set<string>();
    const stamp = (files: number) => {
      const now = sourceStamp([src], []);
      expect(now.files).toBe(files);
      seen.add(now.digest);
      return now.digest;
    };
    const first = stamp(2);
    expect(stamp(2)).toBe(first);

    // Edited, even to an older time (a checkout of an earlier version).
    utimesSync(join(src, 'a.ts'), 500, 500);
    const edited = stamp(2);
    writeFileSync(join(src, 'deep', 'c.ts'), '');
    utimesSync(join(src, 'deep', 'c.ts'), 100, 100);
    stamp(3);
    renameSync(join(src, 'deep', 'c.ts'), join(src, 'c.ts'));
    stamp(3);
    expect(seen.size).toBe(4);
    // Removed again: the same files as before it was added.
    rmSync(join(src, 'c.ts'));
    expect(stamp(2)).toBe(edited);
  });

  it('is built from the current sources and runs on plain Node, npm packages left outside', async () => {
    await ensureServerBuild();
    expect(isBuildFresh()).toBe(true);
    expect(existsSync(join(DIST_DIR, 'duckdb-worker-entry.js'))).toBe(true);
    const bundle = readFileSync(DIST_ENTRY, 'utf8');
    expect(bundle).toMatch(/from "fastify"/);
    expect(bundle).not.toContain('tsx/esm/api');

    const run = spawnSync(process.execPath, [DIST_ENTRY, '--version'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const { version } = JSON.parse(
      readFileSync(new URL('../packages/server/package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(run.stdout.trim()).toBe(version);
  });
});

import { statfsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../platform/index.ts';
import { createTempDir } from '../testing/temp-dir.ts';
import { createCpuSampler } from './cpu-sampler.ts';
import { parseProcNetDev } from './parse-proc-net-dev.ts';
import { readHostStats } from './read-host-stats.ts';

const NET_DEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 500 5 0 0 0 0 0 0 500 5 0 0 0 0 0 0
  eth0: 1000 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0
`;

describe('readHostStats', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeEach(() => {
    dir = createTempDir('sightline-host-');
  });
  afterEach(() => dir.remove());

  it('reads the data directory’s file system, the network file and the clock', async () => {
    const netDevPath = join(dir.path, 'net-dev');
    writeFileSync(netDevPath, NET_DEV);
    const clock = createFakeClock(Date.parse('2026-11-21T04:00:00Z'));
    const cpuSampler = createCpuSampler({ clock });
    const stats = await readHostStats({ dataDir: dir.path, clock, cpuSampler, netDevPath });
    const fs = statfsSync(dir.path);
    expect(stats.sampledAt).toBe(clock.now());
    expect(stats.disk).toMatchObject({
      path: dir.path,
      totalBytes: fs.blocks * fs.bsize,
    });
    expect(stats.network).toEqual(parseProcNetDev(NET_DEV));
    expect(stats.network?.total.txBytes).toBe(2000);
    expect(stats.cpu.cores).toBe(cpus().length);
    expect(stats.cpu.usageWindowMs).toBeNull();
    expect(stats.cpu.loadAvg).toHaveLength(3);
    expect(stats.memory.usedBytes + stats.memory.freeBytes).toBe(stats.memory.totalBytes);
    expect(stats.memory.process.rssBytes).toBeGreaterThan(0);

    clock.advance(10_000);
    const second = await readHostStats({ dataDir: dir.path, clock, cpuSampler, netDevPath });
    expect(second.sampledAt).toBe(clock.now());
    // The sampler kept the first reading: usage now covers the 10 s between the two.
    expect(second.cpu.usageWindowMs).toBe(10_000);
  });

  it('answers null for what it cannot read', async () => {
    const clock = createFakeClock(0);
    const stats = await readHostStats({
      dataDir: join(dir.path, 'missing'),
      clock,
      cpuSampler: createCpuSampler({ clock }),
      netDevPath: join(dir.path, 'no-such-file'),
    });
    expect(stats.disk).toBeNull();
    expect(stats.network).toBeNull();
  });
});

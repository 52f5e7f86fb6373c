import { readFile, statfs } from 'node:fs/promises';
import { cpus, freemem, loadavg, totalmem, uptime } from 'node:os';
import type { Clock } from '../platform/index.ts';
import type { CpuSampler } from './cpu-sampler.ts';
import { parseProcNetDev, type NetworkCounters } from './parse-proc-net-dev.ts';

export interface HostStats {
  /** When these were read (epoch ms). */
  sampledAt: number;
  cpu: {
    cores: number;
    model: string | null;
    /** Busy share of all cores since the previous reading, 0–100; null when unknown. */
    usagePct: number | null;
    /** Window usagePct covers, ms; null on the first reading (usage since boot). */
    usageWindowMs: number | null;
    /** 1, 5 and 15 minute load averages (zeros on Windows). */
    loadAvg: [number, number, number];
  };
  memory: {
    totalBytes: number;
    freeBytes: number;
    usedBytes: number;
    usedPct: number;
    process: { rssBytes: number; heapUsedBytes: number; heapTotalBytes: number };
  };
  /** The file system of the data directory; null when it cannot be read. */
  disk: {
    path: string;
    totalBytes: number;
    /** Available to the server's user (root may have more reserved). */
    freeBytes: number;
    usedBytes: number;
    usedPct: number;
  } | null;
  /** Counters since boot from /proc/net/dev; null where there is no such file. */
  network: NetworkCounters | null;
  uptime: { hostSec: number; processSec: number };
}

export interface ReadHostStatsOptions {
  dataDir: string;
  clock: Clock;
  /** Keeps the previous CPU reading, so usage covers the time since the last call. */
  cpuSampler: CpuSampler;
  /** Default /proc/net/dev. */
  netDevPath?: string;
}

function toPct(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0;
}

async function readDisk(path: string): Promise<HostStats['disk']> {
  try {
    const fs = await statfs(path);
    const totalBytes = fs.blocks * fs.bsize;
    const usedBytes = (fs.blocks - fs.bfree) * fs.bsize;
    return {
      path,
      totalBytes,
      freeBytes: fs.bavail * fs.bsize,
      usedBytes,
      // As df computes it: used over what unprivileged users could ever fill (used + available).
      usedPct: toPct(usedBytes, usedBytes + fs.bavail * fs.bsize),
    };
  } catch {
    return null;
  }
}

async function readNetwork(path: string): Promise<NetworkCounters | null> {
  try {
    return parseProcNetDev(await readFile(path, 'utf8'));
  } catch {
    return null;
  }
}

/** CPU, memory, disk (of the data directory), network and uptime of the host and this process. */
export async function readHostStats(options: ReadHostStatsOptions): Promise<HostStats> {
  const [disk, network] = await Promise.all([
    readDisk(options.dataDir),
    readNetwork(options.netDevPath ?? '/proc/net/dev'),
  ]);
  const cpu = options.cpuSampler.sample();
  const [load1 = 0, load5 = 0, load15 = 0] = loadavg();
  const totalBytes = totalmem();
  const freeBytes = freemem();
  const usage = process.memoryUsage();
  return {
    sampledAt: options.clock.now(),
    cpu: {
      cores: cpu.cores,
      model: cpus()[0]?.model ?? null,
      usagePct: cpu.usagePct,
      usageWindowMs: cpu.windowMs,
      loadAvg: [load1, load5, load15],
    },
    memory: {
      totalBytes,
      freeBytes,
      usedBytes: totalBytes - freeBytes,
      usedPct: toPct(totalBytes - freeBytes, totalBytes),
      process: {
        rssBytes: usage.rss,
        heapUsedBytes: usage.heapUsed,
        heapTotalBytes: usage.heapTotal,
      },
    },
    disk,
    network,
    uptime: { hostSec: Math.round(uptime()), processSec: Math.round(process.uptime()) },
  };
}

import { cpus, type CpuInfo } from 'node:os';
import type { Clock } from '../platform/index.ts';

export interface CpuSample {
  cores: number;
  /** Busy share of all cores, 0–100 (one decimal), since the previous sample; null when unknown. */
  usagePct: number | null;
  /** Length of the window usagePct covers; null for the first sample (it covers uptime). */
  windowMs: number | null;
}

export interface CpuSampler {
  sample(): CpuSample;
}

export interface CpuSamplerOptions {
  clock: Clock;
  /** Source of per-core tick counters; default os.cpus (tests pass fixed readings). */
  readCpus?: () => CpuInfo[];
}

interface Ticks {
  busy: number;
  total: number;
}

function sumTicks(infos: readonly CpuInfo[]): Ticks {
  let busy = 0;
  let total = 0;
  for (const { times } of infos) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/**
 * CPU usage from os.cpus() tick counters. The counters only grow, so usage over a window is the
 * difference of two readings; the sampler keeps the previous one. The first sample compares
 * against zero: usage averaged since boot, better than nothing for a first answer.
 */
export function createCpuSampler(options: CpuSamplerOptions): CpuSampler {
  const readCpus = options.readCpus ?? cpus;
  let previous: (Ticks & { at: number }) | null = null;
  let lastUsagePct: number | null = null;
  return {
    sample() {
      const infos = readCpus();
      const now = { ...sumTicks(infos), at: options.clock.now() };
      const base = previous ?? { busy: 0, total: 0, at: now.at };
      const totalDelta = now.total - base.total;
      // Two readings within one tick (or counters reset by a hot-plugged core): keep the last.
      if (totalDelta > 0) {
        lastUsagePct = Math.round(((now.busy - base.busy) / totalDelta) * 1000) / 10;
      }
      const windowMs = previous ? now.at - previous.at : null;
      previous = now;
      return { cores: infos.length, usagePct: lastUsagePct, windowMs };
    },
  };
}

import type { CpuInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../platform/index.ts';
import { createCpuSampler } from './cpu-sampler.ts';

function core(user: number, sys: number, idle: number): CpuInfo {
  return { model: 'test', speed: 1000, times: { user, nice: 0, sys, idle, irq: 0 } };
}

describe('createCpuSampler', () => {
  it('computes usage from the tick deltas between two samples', () => {
    const clock = createFakeClock(1_000);
    const readings = [
      // Since boot: 300 busy of 1,000 ticks.
      [core(100, 50, 350), core(100, 50, 350)],
      // +200 busy, +200 idle on core 0; +50 busy, +350 idle on core 1: 250 of 800.
      [core(250, 100, 550), core(150, 50, 700)],
      // No tick elapsed: the last usage stands.
      [core(250, 100, 550), core(150, 50, 700)],
    ];
    let index = 0;
    const sampler = createCpuSampler({ clock, readCpus: () => readings[index++] ?? [] });
    expect(sampler.sample()).toEqual({ cores: 2, usagePct: 30, windowMs: null });
    clock.advance(5_000);
    expect(sampler.sample()).toEqual({ cores: 2, usagePct: 31.3, windowMs: 5_000 });
    clock.advance(1);
    expect(sampler.sample()).toEqual({ cores: 2, usagePct: 31.3, windowMs: 1 });
  });

  it('reports null before any tick was counted', () => {
    const sampler = createCpuSampler({
      clock: createFakeClock(0),
      readCpus: () => [core(0, 0, 0)],
    });
    expect(sampler.sample()).toEqual({ cores: 1, usagePct: null, windowMs: null });
  });
});

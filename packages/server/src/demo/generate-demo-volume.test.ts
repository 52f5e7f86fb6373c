import { describe, expect, it } from 'vitest';
import { generateDemoDays, type DemoOptions } from './index.ts';

const OPTIONS: DemoOptions = {
  seed: 1,
  days: 30,
  scale: 1,
  endTime: Date.UTC(2025, 2, 31, 16),
  timeZone: 'Asia/Shanghai',
  projectId: 'demo',
};

describe('generateDemoDays volume', () => {
  it('keeps 30 days at scale 1 under a million events', async () => {
    let total = 0;
    let orders = 0;
    for (const chunk of generateDemoDays(OPTIONS)) {
      total += chunk.inputs.length;
      for (const { event } of chunk.inputs) if (event.name === 'order_completed') orders += 1;
      // Yield between days so the test worker can answer vitest's RPC.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(total).toBeGreaterThan(600_000);
    expect(total).toBeLessThan(1_000_000);
    expect(orders / OPTIONS.days).toBeGreaterThan(60);
    expect(orders / OPTIONS.days).toBeLessThan(150);
  });
});

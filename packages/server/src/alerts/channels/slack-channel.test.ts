import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startChannelHarness, type ChannelHarness } from './test-channel-harness.ts';
import { createTestAlert, createTestMessage } from './test-messages.ts';

let h: ChannelHarness;
beforeEach(async () => {
  h = await startChannelHarness();
});
afterEach(async () => {
  await h.close();
});

describe('slack', () => {
  it('sends text and blocks, and succeeds on 200 "ok"', async () => {
    h.receiver.answer(() => ({ status: 200, body: 'ok', contentType: 'text/html' }));
    const result = await h.sender.send(
      { kind: 'slack', url: `${h.receiver.origin}/services/T1/B2/XYZ` },
      createTestMessage(),
    );
    expect(result).toEqual({ ok: true, status: 200, retryable: false, error: null, durationMs: 0 });
    const body = JSON.parse(h.onlyRequest().body);
    expect(body.text).toBe('🔴 [P0 FIRING] Checkout p95 latency — Demo Shop');
    expect(body.blocks[0]).toEqual({
      type: 'header',
      text: {
        type: 'plain_text',
        text: '🔴 [P0 FIRING] Checkout p95 latency — Demo Shop',
        emoji: true,
      },
    });
    expect(body.blocks[2].text.text).toBe(
      [
        '*🔴 [P0 FIRING] Checkout p95 latency*',
        '*Value:* p95 3.2 s',
        '*Condition:* p95 &gt; 1.5 s for 5 min',
        '*Started:* 2024-05-01 11:50:00 UTC+08:00',
        '*Labels:* region=cn-east, service=checkout',
        '<https://sightline.example.com/p/p_shop/alerts/r_latency|View alert>',
      ].join('\n'),
    );
  });

  it('lists at most 40 alerts and counts the rest', async () => {
    const alerts = Array.from({ length: 60 }, (_, i) => createTestAlert({ ruleId: `r${i}` }));
    await h.sender.send({ kind: 'slack', url: h.receiver.origin }, createTestMessage({ alerts }));
    const body = JSON.parse(h.onlyRequest().body);
    expect(body.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(body.blocks)).toContain('… and 20 more alerts');
  });
});

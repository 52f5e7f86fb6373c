import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelConfig } from './channel-config.ts';
import {
  HARNESS_NOW_MS,
  startChannelHarness,
  type ChannelHarness,
} from './test-channel-harness.ts';
import { createTestAlert, createTestMessage } from './test-messages.ts';

let h: ChannelHarness;
beforeEach(async () => {
  h = await startChannelHarness();
});
afterEach(async () => {
  await h.close();
});

describe('webhook', () => {
  it('posts an Alertmanager-shaped payload, unsigned without a secret', async () => {
    h.receiver.answer(() => ({ status: 204, body: '' }));
    const channel: ChannelConfig = {
      kind: 'webhook',
      url: `${h.receiver.origin}/hook?team=ops`,
      headers: { 'X-Env': 'prod' },
    };
    const result = await h.sender.send(channel, createTestMessage());
    expect(result).toEqual({ ok: true, status: 204, retryable: false, error: null, durationMs: 0 });
    const request = h.onlyRequest();
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/hook?team=ops');
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(request.headers['x-env']).toBe('prod');
    expect(request.headers['x-sightline-signature']).toBeUndefined();
    const labels = {
      service: 'checkout',
      region: 'cn-east',
      alertname: 'Checkout p95 latency',
      severity: 'P0',
      rule_id: 'r_latency',
    };
    const annotations = {
      summary: 'Checkout p95 latency: p95 3.2 s',
      value: 'p95 3.2 s',
      condition: 'p95 > 1.5 s for 5 min',
    };
    expect(JSON.parse(request.body)).toEqual({
      version: '4',
      groupKey: 'p_shop:{"alertname":"Checkout p95 latency"}',
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'sightline',
      groupLabels: { alertname: 'Checkout p95 latency' },
      commonLabels: labels,
      commonAnnotations: annotations,
      externalURL: 'https://sightline.example.com/p/p_shop/alerts',
      alerts: [
        {
          status: 'firing',
          labels,
          annotations,
          startsAt: '2024-05-01T03:50:00.000Z',
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'https://sightline.example.com/p/p_shop/alerts/r_latency',
          fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
        },
      ],
      sightline: {
        status: 'firing',
        title: '[P0 FIRING] Checkout p95 latency — Demo Shop',
        project: { id: 'p_shop', name: 'Demo Shop' },
        locale: 'en',
        timeZone: 'Asia/Shanghai',
        sentAt: '2024-05-01T04:00:00.000Z',
      },
    });
  });

  it('signs "<timestamp>.<raw body>" with HMAC-SHA256 when a secret is set', async () => {
    const secret = 'whsec_0123456789';
    await h.sender.send(
      { kind: 'webhook', url: `${h.receiver.origin}/hook`, secret },
      createTestMessage(),
    );
    const request = h.onlyRequest();
    expect(request.headers['x-sightline-timestamp']).toBe(
      String(Math.floor(HARNESS_NOW_MS / 1000)),
    );
    const expected = createHmac('sha256', secret)
      .update(`${Math.floor(HARNESS_NOW_MS / 1000)}.${request.body}`)
      .digest('hex');
    expect(request.headers['x-sightline-signature']).toBe(`sha256=${expected}`);
  });

  it('turns credentials in the URL into a Basic Authorization header', async () => {
    const url = `http://bot:p%40ss@127.0.0.1:${new URL(h.receiver.origin).port}/hook`;
    await h.sender.send({ kind: 'webhook', url }, createTestMessage());
    expect(h.onlyRequest().headers.authorization).toBe(
      `Basic ${Buffer.from('bot:p@ss').toString('base64')}`,
    );
  });

  it('counts the alerts left out of a body over 512 KB in truncatedAlerts', async () => {
    const bulky = { blob: 'x'.repeat(4_000) };
    const alerts = Array.from({ length: 300 }, (_, i) =>
      createTestAlert({ ruleId: `r${i}`, labels: { ...bulky, n: String(i) } }),
    );
    await h.sender.send({ kind: 'webhook', url: h.receiver.origin }, createTestMessage({ alerts }));
    const request = h.onlyRequest();
    const payload = JSON.parse(request.body);
    expect(Buffer.byteLength(request.body)).toBeLessThanOrEqual(512 * 1024);
    expect(payload.alerts.length).toBeGreaterThan(0);
    expect(payload.alerts.length + payload.truncatedAlerts).toBe(300);
  });
});

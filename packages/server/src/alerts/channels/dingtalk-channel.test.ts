import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  HARNESS_NOW_MS,
  replyJson,
  startChannelHarness,
  type ChannelHarness,
} from './test-channel-harness.ts';
import { createTestAlert, createTestMessage, TEST_NOW_MS } from './test-messages.ts';

let h: ChannelHarness;
beforeEach(async () => {
  h = await startChannelHarness();
});
afterEach(async () => {
  await h.close();
});

describe('dingtalk', () => {
  it('sends markdown with timestamp and sign query parameters, and succeeds on errcode 0', async () => {
    h.receiver.answer(() => replyJson({ errcode: 0, errmsg: 'ok' }));
    const secret = 'SEC0123456789abcdef';
    const result = await h.sender.send(
      { kind: 'dingtalk', url: `${h.receiver.origin}/robot/send?access_token=tok123`, secret },
      createTestMessage(),
    );
    expect(result).toMatchObject({ ok: true, status: 200, error: null });
    const request = h.onlyRequest();
    const query = new URL(request.url, h.receiver.origin).searchParams;
    expect(query.get('access_token')).toBe('tok123');
    expect(query.get('timestamp')).toBe(String(HARNESS_NOW_MS));
    const expected = createHmac('sha256', secret)
      .update(`${HARNESS_NOW_MS}\n${secret}`)
      .digest('base64');
    expect(query.get('sign')).toBe(expected);
    // Sent URL-encoded: base64's + / = never appear raw in the query.
    const rawSign = /[?&]sign=([^&]*)/.exec(request.url)?.[1] ?? '';
    expect(decodeURIComponent(rawSign)).toBe(expected);
    expect(rawSign).not.toMatch(/[+/=]/);
    const body = JSON.parse(request.body);
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.title).toBe('🔴 [P0 FIRING] Checkout p95 latency — Demo Shop');
    const text: string = body.markdown.text;
    expect(text).toContain('#### 🔴 [P0 FIRING] Checkout p95 latency');
    expect(text).toContain('- **Value**: p95 3.2 s');
    expect(text).toContain('- **Condition**: p95 > 1.5 s for 5 min');
    expect(text).toContain('- **Started**: 2024-05-01 11:50:00 UTC+08:00');
    expect(text).toContain('- **Labels**: region=cn-east, service=checkout');
    expect(text).toContain('[View alert](https://sightline.example.com/p/p_shop/alerts/r_latency)');
    expect(text).toContain('[Open alert center](https://sightline.example.com/p/p_shop/alerts)');
  });

  it('sends no signature without a secret', async () => {
    h.receiver.answer(() => replyJson({ errcode: 0, errmsg: 'ok' }));
    await h.sender.send(
      { kind: 'dingtalk', url: `${h.receiver.origin}/robot/send?access_token=tok123` },
      createTestMessage(),
    );
    expect(h.onlyRequest().url).toBe('/robot/send?access_token=tok123');
  });

  it('writes Chinese and local times for a zh-CN message', async () => {
    h.receiver.answer(() => replyJson({ errcode: 0, errmsg: 'ok' }));
    const resolved = createTestAlert({ state: 'resolved', endsAt: TEST_NOW_MS - 60_000 });
    await h.sender.send(
      { kind: 'dingtalk', url: h.receiver.origin },
      createTestMessage({ status: 'resolved', locale: 'zh-CN', alerts: [resolved] }),
    );
    const body = JSON.parse(h.onlyRequest().body);
    expect(body.markdown.title).toBe('✅ [P0 已恢复] Checkout p95 latency — Demo Shop');
    expect(body.markdown.text).toContain('- **恢复时间**: 2024-05-01 11:59:00 UTC+08:00 (9 分钟)');
    expect(body.markdown.text).toContain('[查看告警](');
  });

  it.each([
    [
      { errcode: 310000, errmsg: 'sign not match' },
      false,
      'DingTalk refused the message (code 310000 sign not match)',
    ],
    [
      { errcode: 300001, errmsg: 'token is not exist' },
      false,
      'DingTalk refused the message (code 300001 token is not exist)',
    ],
    [
      { errcode: 130101, errmsg: 'send too fast' },
      true,
      'DingTalk is limiting or busy (code 130101 send too fast)',
    ],
    [
      { errcode: 410100, errmsg: '发送速度太快而限流' },
      true,
      'DingTalk is limiting or busy (code 410100 发送速度太快而限流)',
    ],
  ])('classifies %j', async (answer, retryable, error) => {
    h.receiver.answer(() => replyJson(answer));
    const result = await h.sender.send(
      { kind: 'dingtalk', url: h.receiver.origin },
      createTestMessage(),
    );
    expect(result).toEqual({ ok: false, status: 200, retryable, error, durationMs: 0 });
  });

  it('shortens a large group below the size limit with a "… and N more alerts" line', async () => {
    h.receiver.answer(() => replyJson({ errcode: 0, errmsg: 'ok' }));
    const alerts = Array.from({ length: 200 }, (_, i) =>
      createTestAlert({ ruleId: `r${i}`, ruleName: `Rule number ${i}` }),
    );
    await h.sender.send(
      { kind: 'dingtalk', url: h.receiver.origin },
      createTestMessage({ alerts }),
    );
    const request = h.onlyRequest();
    expect(Buffer.byteLength(request.body)).toBeLessThanOrEqual(18_000);
    const text: string = JSON.parse(request.body).markdown.text;
    const shown = text.match(/^#### /gm)?.length ?? 0;
    expect(shown).toBeGreaterThan(5);
    expect(text).toContain(`… and ${200 - shown} more alerts`);
  });
});

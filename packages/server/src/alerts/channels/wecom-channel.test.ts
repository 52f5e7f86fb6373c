import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replyJson, startChannelHarness, type ChannelHarness } from './test-channel-harness.ts';
import { createTestAlert, createTestMessage, TEST_NOW_MS } from './test-messages.ts';

let h: ChannelHarness;
beforeEach(async () => {
  h = await startChannelHarness();
});
afterEach(async () => {
  await h.close();
});

describe('wecom', () => {
  it('sends markdown with coloured state, and succeeds on errcode 0', async () => {
    h.receiver.answer(() => replyJson({ errcode: 0, errmsg: 'ok' }));
    const result = await h.sender.send(
      { kind: 'wecom', url: `${h.receiver.origin}/cgi-bin/webhook/send?key=k1` },
      createTestMessage({
        alerts: [createTestAlert(), createTestAlert({ state: 'resolved', endsAt: TEST_NOW_MS })],
      }),
    );
    expect(result).toMatchObject({ ok: true, status: 200 });
    const request = h.onlyRequest();
    expect(request.url).toBe('/cgi-bin/webhook/send?key=k1');
    const body = JSON.parse(request.body);
    expect(body.msgtype).toBe('markdown');
    const content: string = body.markdown.content;
    expect(content).toContain('### 🔴 [P0 FIRING] Checkout p95 latency (+1) — Demo Shop');
    expect(content).toContain('<font color="comment">1 firing, 1 resolved</font>');
    expect(content).toContain(
      '**🔴 <font color="warning">[P0 FIRING] Checkout p95 latency</font>**',
    );
    expect(content).toContain(
      '**✅ <font color="info">[P0 RESOLVED] Checkout p95 latency</font>**',
    );
    expect(content).toContain('> Value: p95 3.2 s');
  });

  it('keeps the content under 4096 bytes however many alerts there are', async () => {
    h.receiver.answer(() => replyJson({ errcode: 0, errmsg: 'ok' }));
    const alerts = Array.from({ length: 50 }, (_, i) => createTestAlert({ ruleId: `r${i}` }));
    await h.sender.send(
      { kind: 'wecom', url: h.receiver.origin },
      createTestMessage({ locale: 'zh-CN', alerts }),
    );
    const content: string = JSON.parse(h.onlyRequest().body).markdown.content;
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(4_096);
    const shown = content.match(/<font color="warning">/g)?.length ?? 0;
    expect(shown).toBeGreaterThan(0);
    expect(content).toContain(`… 另有 ${50 - shown} 条告警未列出`);
  });

  it.each([
    [{ errcode: 45009, errmsg: 'api freq out of limit' }, true],
    [{ errcode: 93000, errmsg: 'invalid webhook url' }, false],
    [{ errcode: 40058, errmsg: 'markdown.content exceed max length 4096' }, false],
  ])('classifies %j', async (answer, retryable) => {
    h.receiver.answer(() => replyJson(answer));
    const result = await h.sender.send(
      { kind: 'wecom', url: h.receiver.origin },
      createTestMessage(),
    );
    expect(result).toMatchObject({ ok: false, status: 200, retryable });
  });
});

import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  HARNESS_NOW_MS,
  replyJson,
  startChannelHarness,
  type ChannelHarness,
} from './test-channel-harness.ts';
import { createTestMessage } from './test-messages.ts';

let h: ChannelHarness;
beforeEach(async () => {
  h = await startChannelHarness();
});
afterEach(async () => {
  await h.close();
});

describe('feishu', () => {
  it('puts timestamp (s) and sign in the body, keyed by "timestamp\\nsecret" over ""', async () => {
    h.receiver.answer(() => replyJson({ code: 0, msg: 'success', data: {} }));
    const secret = 'feishu-secret';
    const result = await h.sender.send(
      { kind: 'feishu', url: `${h.receiver.origin}/open-apis/bot/v2/hook/abc`, secret },
      createTestMessage(),
    );
    expect(result).toMatchObject({ ok: true, status: 200 });
    const body = JSON.parse(h.onlyRequest().body);
    expect(body.timestamp).toBe(String(Math.floor(HARNESS_NOW_MS / 1000)));
    const expected = createHmac('sha256', `${Math.floor(HARNESS_NOW_MS / 1000)}\n${secret}`)
      .update('')
      .digest('base64');
    expect(body.sign).toBe(expected);
    expect(body.msg_type).toBe('interactive');
    expect(body.card.header).toEqual({
      template: 'red',
      title: { tag: 'plain_text', content: '🔴 [P0 FIRING] Checkout p95 latency — Demo Shop' },
    });
    const card = JSON.stringify(body.card);
    expect(card).toContain('**Value**: p95 3.2 s');
    expect(card).toContain('p95 &gt; 1.5 s for 5 min');
    expect(card).toContain('"url":"https://sightline.example.com/p/p_shop/alerts"');
  });

  it('sends no signature fields without a secret', async () => {
    h.receiver.answer(() => replyJson({ code: 0, msg: 'success' }));
    await h.sender.send({ kind: 'feishu', url: h.receiver.origin }, createTestMessage());
    const body = JSON.parse(h.onlyRequest().body);
    expect(body).not.toHaveProperty('sign');
    expect(body).not.toHaveProperty('timestamp');
  });

  it.each([
    [{ code: 19021, msg: 'sign match fail or timestamp is not within one hour' }, false],
    [{ code: 9499, msg: 'Bad Request' }, false],
    [{ code: 11232, msg: 'frequency limited' }, true],
  ])('classifies %j', async (answer, retryable) => {
    h.receiver.answer(() => replyJson(answer));
    const result = await h.sender.send(
      { kind: 'feishu', url: h.receiver.origin },
      createTestMessage(),
    );
    expect(result).toMatchObject({ ok: false, status: 200, retryable });
    expect(result.error).toContain(`code ${answer.code}`);
  });
});

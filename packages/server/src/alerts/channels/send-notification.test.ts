import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../platform/index.ts';
import { createChannelSender } from './send-notification.ts';
import {
  HARNESS_NOW_MS,
  NO_SMTP,
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

describe('failures', () => {
  it.each([
    [500, 'internal error', true],
    [502, '', true],
    [503, 'unavailable', true],
    [429, 'rate_limited', true],
    [400, 'invalid_payload', false],
    [403, 'action_prohibited', false],
    [404, 'no_service', false],
    [410, 'channel_is_archived', false],
    [302, '', false],
  ])('HTTP %i is retryable: %s', async (status, body, retryable) => {
    h.receiver.answer(() => ({ status, body, contentType: 'text/plain' }));
    const result = await h.sender.send(
      { kind: 'slack', url: h.receiver.origin },
      createTestMessage(),
    );
    expect(result).toEqual({
      ok: false,
      status,
      retryable,
      error: `Slack answered HTTP ${status}${body ? `: ${body}` : ''}`,
      durationMs: 0,
    });
  });

  it('is retryable when a chat service answers 5xx with its JSON', async () => {
    h.receiver.answer(() => ({
      status: 500,
      body: JSON.stringify({ errcode: 9999, errmsg: 'x' }),
    }));
    const result = await h.sender.send(
      { kind: 'dingtalk', url: h.receiver.origin },
      createTestMessage(),
    );
    expect(result).toMatchObject({ ok: false, status: 500, retryable: true });
  });

  it('is retryable when the receiver never answers within timeoutMs', async () => {
    h.receiver.answer(() => 'hang');
    const impatient = createChannelSender({
      clock: createFakeClock(HARNESS_NOW_MS),
      smtp: NO_SMTP,
      timeoutMs: 200,
    });
    const result = await impatient.send(
      { kind: 'webhook', url: h.receiver.origin },
      createTestMessage(),
    );
    await impatient.close();
    expect(result).toEqual({
      ok: false,
      status: null,
      retryable: true,
      error: 'no answer within 200 ms',
      durationMs: 0,
    });
    expect(h.receiver.requests).toHaveLength(1);
  });

  it('is retryable when nothing listens', async () => {
    const url = h.receiver.origin;
    await h.receiver.close();
    const result = await h.sender.send({ kind: 'webhook', url }, createTestMessage());
    expect(result).toMatchObject({ ok: false, status: null, retryable: true });
    expect(result.error).toMatch(/^network error: .*ECONNREFUSED/);
  });

  it('refuses invalid or still-masked settings without sending', async () => {
    const bad = await h.sender.send(
      { kind: 'slack', url: 'ftp://example.com' },
      createTestMessage(),
    );
    expect(bad).toMatchObject({ ok: false, status: null, retryable: false });
    expect(bad.error).toMatch(/^channel settings are invalid/);
    const masked = await h.sender.send(
      { kind: 'dingtalk', url: h.receiver.origin, secret: '******' },
      createTestMessage(),
    );
    expect(masked).toMatchObject({ ok: false, retryable: false });
    expect(masked.error).toContain('masked secret');
    expect(h.receiver.requests).toHaveLength(0);
  });

  it('measures the duration with the injected clock', async () => {
    const clock = createFakeClock(HARNESS_NOW_MS);
    const timed = createChannelSender({ clock, smtp: NO_SMTP });
    h.receiver.answer(() => {
      clock.advance(1_500);
      return { status: 200, body: 'ok' };
    });
    const result = await timed.send({ kind: 'slack', url: h.receiver.origin }, createTestMessage());
    await timed.close();
    expect(result.durationMs).toBe(1_500);
  });
});

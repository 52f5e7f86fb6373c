import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../platform/index.ts';
import type { NotificationMessage } from './notification-types.ts';
import { createChannelSender, type SmtpSettings } from './send-notification.ts';
import { readMail } from '../../testing/mail-reader.ts';
import { createTestAlert, createTestMessage, TEST_NOW_MS } from './test-messages.ts';
import { closeSmtpReceivers, startSmtpReceiver } from '../../testing/smtp-receiver.ts';

afterEach(closeSmtpReceivers);

function smtpFor(port: number, overrides: Partial<SmtpSettings> = {}): SmtpSettings {
  return {
    host: '127.0.0.1',
    port,
    secure: false,
    user: '',
    password: '',
    from: 'Sightline <alerts@sightline.example.com>',
    ...overrides,
  };
}

async function sendMail(
  smtp: SmtpSettings,
  message: NotificationMessage,
  to = ['ops@example.com'],
) {
  const sender = createChannelSender({
    clock: createFakeClock(TEST_NOW_MS),
    smtp,
    timeoutMs: 5_000,
  });
  try {
    return await sender.send({ kind: 'email', to }, message);
  } finally {
    await sender.close();
  }
}

describe('email', () => {
  it('sends HTML and text naming the rule, value and link to every recipient', async () => {
    const smtp = await startSmtpReceiver();
    const result = await sendMail(smtpFor(smtp.port), createTestMessage(), [
      'ops@example.com',
      'oncall@example.com',
    ]);
    expect(result).toEqual({ ok: true, status: 250, retryable: false, error: null, durationMs: 0 });
    expect(smtp.mails).toHaveLength(1);
    const [mail] = smtp.mails;
    expect(mail?.from).toBe('alerts@sightline.example.com');
    expect(mail?.to).toEqual(['ops@example.com', 'oncall@example.com']);
    const read = readMail(mail?.raw ?? '');
    expect(read.subject).toBe('[P0 FIRING] Checkout p95 latency — Demo Shop');
    expect(read.header('Auto-Submitted')).toBe('auto-generated');
    for (const part of [read.html, read.text]) {
      expect(part).toContain('[P0 FIRING] Checkout p95 latency');
      expect(part).toContain('p95 3.2 s');
      expect(part).toContain('2024-05-01 11:50:00 UTC+08:00');
      expect(part).toContain('region=cn-east, service=checkout');
      expect(part).toContain('https://sightline.example.com/p/p_shop/alerts/r_latency');
      expect(part).toContain('https://sightline.example.com/p/p_shop/alerts');
    }
    expect(read.html).toContain('href="https://sightline.example.com/p/p_shop/alerts/r_latency"');
    expect(read.html).toContain('p95 &gt; 1.5 s for 5 min');
    // Mail clients drop <style> and external CSS: everything must be inline, laid out in tables.
    expect(read.html).toContain('<table role="presentation"');
    expect(read.html).not.toMatch(/<style|<link|<script|class=/);
  });

  it.each([
    ['en', 'firing', '[P0 FIRING] Checkout p95 latency — Demo Shop'],
    ['zh-CN', 'firing', '[P0 告警] Checkout p95 latency — Demo Shop'],
    ['en', 'resolved', '[P0 RESOLVED] Checkout p95 latency — Demo Shop'],
    ['zh-CN', 'resolved', '[P0 已恢复] Checkout p95 latency — Demo Shop'],
    ['en', 'test', '[TEST] Sightline alert channel test — Demo Shop'],
    ['zh-CN', 'test', '[测试] Sightline 告警通道测试 — Demo Shop'],
  ] as const)('writes the %s %s subject', async (locale, status, subject) => {
    const smtp = await startSmtpReceiver();
    const alert =
      status === 'resolved'
        ? createTestAlert({ state: 'resolved', endsAt: TEST_NOW_MS })
        : createTestAlert();
    await sendMail(smtpFor(smtp.port), createTestMessage({ locale, status, alerts: [alert] }));
    const read = readMail(smtp.mails[0]?.raw ?? '');
    expect(read.subject).toBe(subject);
    if (locale === 'zh-CN') {
      expect(read.html).toContain('当前值');
      expect(read.text).toContain('打开告警中心');
    }
  });

  it('names the most severe firing rule and counts the others in the subject', async () => {
    const smtp = await startSmtpReceiver();
    const alerts = [
      createTestAlert({ ruleName: 'Error rate', severity: 'P1' }),
      createTestAlert({ ruleName: 'Latency', severity: 'P0' }),
      createTestAlert({ ruleName: 'Old', state: 'resolved', endsAt: TEST_NOW_MS }),
    ];
    await sendMail(smtpFor(smtp.port), createTestMessage({ alerts }));
    expect(readMail(smtp.mails[0]?.raw ?? '').subject).toBe(
      '[P0 FIRING] Error rate (+2) — Demo Shop',
    );
  });

  it('escapes what users typed', async () => {
    const smtp = await startSmtpReceiver();
    const alert = createTestAlert({
      ruleName: '<script>alert(1)</script>',
      labels: { q: '"a" & b' },
    });
    await sendMail(smtpFor(smtp.port), createTestMessage({ alerts: [alert] }));
    const read = readMail(smtp.mails[0]?.raw ?? '');
    expect(read.html).not.toContain('<script>');
    expect(read.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(read.html).toContain('q=&quot;a&quot; &amp; b');
  });

  it('authenticates when a user is set', async () => {
    const logins: string[] = [];
    const smtp = await startSmtpReceiver({
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        logins.push(`${auth.username}:${auth.password}`);
        if (auth.password === 'right') callback(null, { user: auth.username });
        else callback(Object.assign(new Error('Invalid credentials'), { responseCode: 535 }));
      },
    });
    const ok = await sendMail(
      smtpFor(smtp.port, { user: 'bot', password: 'right' }),
      createTestMessage(),
    );
    expect(ok).toMatchObject({ ok: true, status: 250 });
    const refused = await sendMail(
      smtpFor(smtp.port, { user: 'bot', password: 'wrong' }),
      createTestMessage(),
    );
    expect(refused).toMatchObject({ ok: false, status: 535, retryable: false });
    expect(refused.error).toMatch(/^SMTP EAUTH error/);
    expect(logins).toEqual(['bot:right', 'bot:wrong']);
  });

  it.each([
    [550, false],
    [451, true],
  ])('a recipient refused with %i is retryable: %s', async (responseCode, retryable) => {
    const smtp = await startSmtpReceiver({
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error('Mailbox unavailable'), { responseCode }));
      },
    });
    const result = await sendMail(smtpFor(smtp.port), createTestMessage());
    expect(result).toMatchObject({ ok: false, status: responseCode, retryable });
    expect(smtp.mails).toHaveLength(0);
  });

  it('reports recipients refused beside ones accepted', async () => {
    const smtp = await startSmtpReceiver({
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('gone'))
          callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
        else callback();
      },
    });
    const result = await sendMail(smtpFor(smtp.port), createTestMessage(), [
      'ops@example.com',
      'gone@example.com',
    ]);
    expect(result).toMatchObject({
      ok: true,
      status: 250,
      error: '1 recipient(s) refused: gone@example.com',
    });
    expect(smtp.mails[0]?.to).toEqual(['ops@example.com']);
  });

  it('is retryable when no SMTP server answers', async () => {
    const smtp = await startSmtpReceiver();
    await smtp.close();
    const result = await sendMail(smtpFor(smtp.port), createTestMessage());
    expect(result).toMatchObject({ ok: false, status: null, retryable: true });
  });

  it('fails without retrying when SMTP is not configured', async () => {
    const result = await sendMail(smtpFor(25, { host: '' }), createTestMessage());
    expect(result).toEqual({
      ok: false,
      status: null,
      retryable: false,
      error:
        'Email is not configured: set the SMTP host (smtpHost, SIGHTLINE_SMTP_HOST) and restart',
      durationMs: 0,
    });
  });
});

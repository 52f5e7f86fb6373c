import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  HARNESS_NOW_MS,
  replyJson,
  startChannelHarness,
  type ChannelHarness,
} from './test-channel-harness.ts';

let h: ChannelHarness;
beforeEach(async () => {
  h = await startChannelHarness();
});
afterEach(async () => {
  await h.close();
});

const POST = {
  title: '日报 · 2026-11-20',
  markdown:
    '### 日报\n- **GMV** ¥1,234.00 (+12.0%)\n\n[查看完整报告](https://sightline.example/reports/r1)',
  url: 'https://sightline.example/reports/r1',
  data: { runId: 'r1' },
};

describe('markdown posts', () => {
  it('go to DingTalk as signed markdown', async () => {
    h.receiver.answer(() => replyJson({ errcode: 0, errmsg: 'ok' }));
    const secret = 'SECabc';
    const result = await h.sender.sendPost(
      { kind: 'dingtalk', url: `${h.receiver.origin}/robot/send?access_token=t`, secret },
      POST,
    );
    expect(result).toMatchObject({ ok: true, status: 200 });
    const request = h.onlyRequest();
    const query = new URL(request.url, h.receiver.origin).searchParams;
    expect(query.get('sign')).toBe(
      createHmac('sha256', secret).update(`${HARNESS_NOW_MS}\n${secret}`).digest('base64'),
    );
    expect(JSON.parse(request.body)).toEqual({
      msgtype: 'markdown',
      markdown: { title: POST.title, text: POST.markdown },
    });
  });

  it('go to Feishu as a signed card, WeCom as markdown, Slack as mrkdwn', async () => {
    h.receiver.answer((request) =>
      request.url.startsWith('/slack')
        ? { status: 200, body: 'ok' }
        : replyJson({ code: 0, errcode: 0 }),
    );
    const feishu = await h.sender.sendPost(
      { kind: 'feishu', url: `${h.receiver.origin}/feishu`, secret: 'fs' },
      POST,
    );
    const wecom = await h.sender.sendPost(
      { kind: 'wecom', url: `${h.receiver.origin}/wecom` },
      POST,
    );
    const slack = await h.sender.sendPost(
      { kind: 'slack', url: `${h.receiver.origin}/slack` },
      POST,
    );
    expect([feishu.ok, wecom.ok, slack.ok]).toEqual([true, true, true]);
    const [f, w, s] = h.receiver.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    const timestamp = Math.floor(HARNESS_NOW_MS / 1000);
    expect(f).toMatchObject({
      timestamp: String(timestamp),
      sign: createHmac('sha256', `${timestamp}\nfs`).update('').digest('base64'),
      msg_type: 'interactive',
      card: { header: { title: { content: POST.title } } },
    });
    expect(JSON.stringify(f)).toContain('**日报**');
    expect(w).toEqual({ msgtype: 'markdown', markdown: { content: POST.markdown } });
    expect(s).toEqual({
      text:
        '*日报 · 2026-11-20*\n*日报*\n- *GMV* ¥1,234.00 (+12.0%)\n\n' +
        '<https://sightline.example/reports/r1|查看完整报告>',
    });
  });

  it('go to a webhook with the data and an HMAC signature; email channels are refused', async () => {
    h.receiver.answer(() => ({ status: 204, body: '' }));
    const result = await h.sender.sendPost(
      { kind: 'webhook', url: `${h.receiver.origin}/hook`, secret: 'whs', headers: {} },
      POST,
    );
    expect(result.ok).toBe(true);
    const request = h.onlyRequest();
    expect(JSON.parse(request.body)).toEqual({
      kind: 'post',
      title: POST.title,
      markdown: POST.markdown,
      url: POST.url,
      data: { runId: 'r1' },
    });
    const timestamp = Math.floor(HARNESS_NOW_MS / 1000);
    expect(request.headers['x-sightline-signature']).toBe(
      `sha256=${createHmac('sha256', 'whs').update(`${timestamp}.${request.body}`).digest('hex')}`,
    );
    const email = await h.sender.sendPost({ kind: 'email', to: ['a@example.com'] }, POST);
    expect(email).toMatchObject({
      ok: false,
      retryable: false,
      error: 'email channels take alerts only',
    });
  });
});

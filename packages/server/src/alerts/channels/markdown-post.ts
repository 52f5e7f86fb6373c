import type { ChannelConfig } from './channel-config.ts';
import { readDingtalkReply, signDingtalk } from './dingtalk-channel.ts';
import { clipUtf8 } from './fit-alerts.ts';
import { readFeishuReply, signFeishu } from './feishu-channel.ts';
import type {
  ChannelHttpReply,
  ChannelHttpRequest,
  ChannelOutcome,
} from './post-channel-request.ts';
import { readSlackReply } from './slack-channel.ts';
import { readWebhookReply, signWebhookBody } from './webhook-channel.ts';
import { readWecomReply } from './wecom-channel.ts';

/**
 * A short markdown message that is not an alert (a report's summary with a link). The markdown
 * uses the subset the robots share: ### headings, **bold**, "- " lists and [text](url) links.
 */
export interface ChannelPost {
  title: string;
  markdown: string;
  /** Where the full content is (the report in the dashboard). */
  url: string;
  /** Sent as is to generic webhooks, beside title, markdown and url. */
  data?: Record<string, unknown>;
}

/**
 * The most markdown each service takes in one message (bytes of UTF-8), below its limit with
 * room for the JSON around it; render the post to fit before sending.
 */
export const POST_MAX_MARKDOWN_BYTES: Readonly<
  Record<Exclude<ChannelConfig['kind'], 'email'>, number>
> = { dingtalk: 17_000, feishu: 17_000, wecom: 4_000, slack: 2_900, webhook: 100_000 };

const TITLE_MAX_BYTES = 300;

/** Slack's mrkdwn: *bold*, <url|text> links, no headings; &, < and > escaped. */
function toSlackMrkdwn(markdown: string): string {
  const escaped = markdown.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escaped
    .replace(/^#{1,6}\s+(.*)$/gm, '*$1*')
    .replace(/\*\*(.+?)\*\*/g, '*$1*')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '<$2|$1>');
}

export function buildMarkdownPostRequest(
  config: Exclude<ChannelConfig, { kind: 'email' }>,
  post: ChannelPost,
  nowMs: number,
): { request: ChannelHttpRequest; read(reply: ChannelHttpReply): ChannelOutcome } {
  const title = clipUtf8(post.title, TITLE_MAX_BYTES);
  const markdown = clipUtf8(post.markdown, POST_MAX_MARKDOWN_BYTES[config.kind]);
  switch (config.kind) {
    case 'dingtalk': {
      const url = new URL(config.url);
      if (config.secret) {
        url.searchParams.set('timestamp', String(nowMs));
        url.searchParams.set('sign', signDingtalk(config.secret, nowMs));
      }
      const body = JSON.stringify({ msgtype: 'markdown', markdown: { title, text: markdown } });
      return { request: { url: url.href, headers: {}, body }, read: readDingtalkReply };
    }
    case 'feishu': {
      const timestampSec = Math.floor(nowMs / 1000);
      const signature = config.secret
        ? { timestamp: String(timestampSec), sign: signFeishu(config.secret, timestampSec) }
        : {};
      const card = {
        config: { wide_screen_mode: true },
        header: { template: 'blue', title: { tag: 'plain_text', content: title } },
        // Feishu cards take no ### headings: they become bold lines.
        elements: [
          {
            tag: 'div',
            text: { tag: 'lark_md', content: markdown.replace(/^#{1,6}\s+(.*)$/gm, '**$1**') },
          },
        ],
      };
      const body = JSON.stringify({ ...signature, msg_type: 'interactive', card });
      return { request: { url: config.url, headers: {}, body }, read: readFeishuReply };
    }
    case 'wecom': {
      const body = JSON.stringify({ msgtype: 'markdown', markdown: { content: markdown } });
      return { request: { url: config.url, headers: {}, body }, read: readWecomReply };
    }
    case 'slack': {
      const body = JSON.stringify({ text: `*${title}*\n${toSlackMrkdwn(markdown)}` });
      return { request: { url: config.url, headers: {}, body }, read: readSlackReply };
    }
    case 'webhook': {
      const body = JSON.stringify({
        kind: 'post',
        title,
        markdown,
        url: post.url,
        ...(post.data ? { data: post.data } : {}),
      });
      const headers: Record<string, string> = { ...config.headers };
      if (config.secret) {
        const timestampSec = Math.floor(nowMs / 1000);
        headers['X-Sightline-Timestamp'] = String(timestampSec);
        headers['X-Sightline-Signature'] = signWebhookBody(config.secret, timestampSec, body);
      }
      return { request: { url: config.url, headers, body }, read: readWebhookReply };
    }
  }
}

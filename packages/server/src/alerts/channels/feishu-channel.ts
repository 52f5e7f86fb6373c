import { createHmac } from 'node:crypto';
import type { FeishuChannelConfig } from './channel-config.ts';
import { clipUtf8, fitAlerts, measureUtf8 } from './fit-alerts.ts';
import { joinLabels, listAlertFields, toLinkUrl } from './markdown-text.ts';
import type { NotificationMessage } from './notification-types.ts';
import {
  buildNotificationView,
  describeHiddenAlerts,
  type NotificationView,
} from './notification-view.ts';
import {
  readVendorReply,
  type ChannelHttpReply,
  type ChannelHttpRequest,
  type ChannelOutcome,
} from './post-channel-request.ts';

/** Feishu refuses custom-bot requests over 20 KB; this leaves room for the signature fields. */
export const FEISHU_MAX_BODY_BYTES = 18_000;
/** 11232: the bot's frequency limit (100 a minute, 5 a second); 99991400: Open API rate limit. */
const RETRYABLE_CODES = new Set([-1, 11232, 99991400]);

/** lark_md renders `<at …>` and HTML entities; user text must not produce either. */
function escapeLarkMd(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const markdownDiv = (content: string) => ({ tag: 'div', text: { tag: 'lark_md', content } });

function buildCard(view: NotificationView, shown: number) {
  const t = view.texts;
  const intro = [escapeLarkMd(view.summary)];
  const group = joinLabels(view.groupLabels);
  if (group) intro.push(`**${t.groupedBy}**: ${escapeLarkMd(group)}`);
  const elements: unknown[] = [markdownDiv(intro.join('\n'))];
  for (const alert of view.alerts.slice(0, shown)) {
    const lines = [`**${alert.marker} ${escapeLarkMd(alert.headline)}**`];
    for (const [name, value] of listAlertFields(view, alert))
      lines.push(`**${name}**: ${escapeLarkMd(value)}`);
    const link = toLinkUrl(alert.source.url);
    if (link) lines.push(`[${t.viewAlert}](${link})`);
    elements.push({ tag: 'hr' }, markdownDiv(lines.join('\n')));
  }
  const hidden = view.alerts.length - shown;
  if (hidden > 0) elements.push(markdownDiv(describeHiddenAlerts(view, hidden)));
  const center = toLinkUrl(view.dashboardUrl);
  if (center)
    elements.push({
      tag: 'action',
      actions: [
        {
          tag: 'button',
          text: { tag: 'plain_text', content: t.openAlertCenter },
          type: 'primary',
          url: center,
        },
      ],
    });
  elements.push({ tag: 'note', elements: [{ tag: 'plain_text', content: view.footer }] });
  return {
    config: { wide_screen_mode: true },
    header: {
      template: view.color,
      title: { tag: 'plain_text', content: `${view.marker} ${view.title}` },
    },
    elements,
  };
}

/**
 * Feishu's custom-bot signature: HMAC-SHA256 keyed by "<timestamp s>\n<secret>" over an empty
 * message, base64. (Not DingTalk's scheme, where the secret is the key.)
 */
export function signFeishu(secret: string, timestampSec: number): string {
  return createHmac('sha256', `${timestampSec}\n${secret}`).update('').digest('base64');
}

export function buildFeishuRequest(
  config: FeishuChannelConfig,
  message: NotificationMessage,
  nowMs: number,
): ChannelHttpRequest {
  const view = buildNotificationView(message);
  const timestampSec = Math.floor(nowMs / 1000);
  const signature = config.secret
    ? { timestamp: String(timestampSec), sign: signFeishu(config.secret, timestampSec) }
    : {};
  const toBody = (card: unknown) => JSON.stringify({ ...signature, msg_type: 'interactive', card });
  const fitted = fitAlerts({
    total: view.alerts.length,
    maxBytes: FEISHU_MAX_BODY_BYTES,
    render: (shown) => toBody(buildCard(view, shown)),
    measure: measureUtf8,
  });
  const body = fitted.fits
    ? fitted.rendered
    : toBody({
        header: { template: view.color, title: { tag: 'plain_text', content: view.title } },
        elements: [markdownDiv(clipUtf8(escapeLarkMd(view.summary), FEISHU_MAX_BODY_BYTES / 3))],
      });
  return { url: config.url, headers: {}, body };
}

/** Success only with code 0 (StatusCode 0 in older replies). */
export function readFeishuReply(reply: ChannelHttpReply): ChannelOutcome {
  return readVendorReply(reply, { service: 'Feishu', retryableCodes: RETRYABLE_CODES });
}

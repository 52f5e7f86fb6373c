import { createHmac } from 'node:crypto';
import type { DingtalkChannelConfig } from './channel-config.ts';
import { clipUtf8, fitAlerts, measureUtf8 } from './fit-alerts.ts';
import { joinLabels, listAlertFields, neutralizeTags, toLinkUrl } from './markdown-text.ts';
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

/** Kept under DingTalk's 20 KB message limit with room for the JSON around the text. */
export const DINGTALK_MAX_BODY_BYTES = 18_000;
const TITLE_MAX_BYTES = 300;
/** -1 busy; 130101 / 410100 "sending too fast" (20 messages a minute per robot). */
const RETRYABLE_CODES = new Set([-1, 130101, 410100]);

function renderMarkdown(view: NotificationView, shown: number): string {
  const t = view.texts;
  const blocks = [`### ${view.marker} ${neutralizeTags(view.title)}`, view.summary];
  const group = joinLabels(view.groupLabels);
  if (group) blocks.push(`**${t.groupedBy}**: ${neutralizeTags(group)}`);
  for (const alert of view.alerts.slice(0, shown)) {
    const lines = listAlertFields(view, alert).map(
      ([name, value]) => `- **${name}**: ${neutralizeTags(value)}`,
    );
    const link = toLinkUrl(alert.source.url);
    if (link) lines.push(`- [${t.viewAlert}](${link})`);
    blocks.push(`#### ${alert.marker} ${neutralizeTags(alert.headline)}`, lines.join('\n'));
  }
  const hidden = view.alerts.length - shown;
  if (hidden > 0) blocks.push(describeHiddenAlerts(view, hidden));
  const center = toLinkUrl(view.dashboardUrl);
  if (center) blocks.push(`**[${t.openAlertCenter}](${center})**`);
  blocks.push(`> ${view.footer}`);
  return blocks.join('\n\n');
}

/** Base64 HMAC-SHA256 of "<timestamp ms>\n<secret>" keyed by the secret (DingTalk's 加签). */
export function signDingtalk(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

export function buildDingtalkRequest(
  config: DingtalkChannelConfig,
  message: NotificationMessage,
  nowMs: number,
): ChannelHttpRequest {
  const view = buildNotificationView(message);
  const title = clipUtf8(`${view.marker} ${view.title}`, TITLE_MAX_BYTES);
  const toBody = (text: string) =>
    JSON.stringify({ msgtype: 'markdown', markdown: { title, text } });
  const fitted = fitAlerts({
    total: view.alerts.length,
    maxBytes: DINGTALK_MAX_BODY_BYTES,
    render: (shown) => toBody(renderMarkdown(view, shown)),
    measure: measureUtf8,
  });
  const body = fitted.fits
    ? fitted.rendered
    : toBody(clipUtf8(renderMarkdown(view, 0), DINGTALK_MAX_BODY_BYTES / 3));
  const url = new URL(config.url);
  if (config.secret) {
    // URLSearchParams percent-encodes the base64 (+, /, =), as DingTalk requires.
    url.searchParams.set('timestamp', String(nowMs));
    url.searchParams.set('sign', signDingtalk(config.secret, nowMs));
  }
  return { url: url.href, headers: {}, body };
}

/** Success only with errcode 0. */
export function readDingtalkReply(reply: ChannelHttpReply): ChannelOutcome {
  return readVendorReply(reply, { service: 'DingTalk', retryableCodes: RETRYABLE_CODES });
}

import type { WecomChannelConfig } from './channel-config.ts';
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

/** WeCom refuses markdown content over 4096 bytes (errcode 40058); this keeps a margin. */
export const WECOM_MAX_CONTENT_BYTES = 4_000;
/** -1 busy; 45009 frequency limit (20 messages a minute per robot); 45033 too many at once. */
const RETRYABLE_CODES = new Set([-1, 45009, 45033]);

function renderMarkdown(view: NotificationView, shown: number): string {
  const t = view.texts;
  const blocks = [
    `### ${view.marker} ${neutralizeTags(view.title)}`,
    `<font color="comment">${view.summary}</font>`,
  ];
  const group = joinLabels(view.groupLabels);
  if (group) blocks.push(`> ${t.groupedBy}: ${neutralizeTags(group)}`);
  for (const alert of view.alerts.slice(0, shown)) {
    // WeCom's markdown has three colours: warning (orange-red), info (green), comment (grey).
    const colour = alert.firing ? 'warning' : 'info';
    const lines = [
      `**${alert.marker} <font color="${colour}">${neutralizeTags(alert.headline)}</font>**`,
    ];
    for (const [name, value] of listAlertFields(view, alert))
      lines.push(`> ${name}: ${neutralizeTags(value)}`);
    const link = toLinkUrl(alert.source.url);
    if (link) lines.push(`> [${t.viewAlert}](${link})`);
    blocks.push(lines.join('\n'));
  }
  const hidden = view.alerts.length - shown;
  if (hidden > 0) blocks.push(describeHiddenAlerts(view, hidden));
  const center = toLinkUrl(view.dashboardUrl);
  if (center) blocks.push(`[${t.openAlertCenter}](${center})`);
  blocks.push(`<font color="comment">${view.footer}</font>`);
  return blocks.join('\n\n');
}

export function buildWecomRequest(
  config: WecomChannelConfig,
  message: NotificationMessage,
): ChannelHttpRequest {
  const view = buildNotificationView(message);
  const fitted = fitAlerts({
    total: view.alerts.length,
    maxBytes: WECOM_MAX_CONTENT_BYTES,
    render: (shown) => renderMarkdown(view, shown),
    measure: measureUtf8,
  });
  const content = fitted.fits
    ? fitted.rendered
    : clipUtf8(fitted.rendered, WECOM_MAX_CONTENT_BYTES);
  return {
    url: config.url,
    headers: {},
    body: JSON.stringify({ msgtype: 'markdown', markdown: { content } }),
  };
}

/** Success only with errcode 0. */
export function readWecomReply(reply: ChannelHttpReply): ChannelOutcome {
  return readVendorReply(reply, { service: 'WeCom', retryableCodes: RETRYABLE_CODES });
}

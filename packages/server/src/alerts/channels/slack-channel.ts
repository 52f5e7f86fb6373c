import type { SlackChannelConfig } from './channel-config.ts';
import { fitAlerts, measureUtf8 } from './fit-alerts.ts';
import { joinLabels, listAlertFields, toLinkUrl } from './markdown-text.ts';
import type { NotificationMessage } from './notification-types.ts';
import {
  buildNotificationView,
  describeHiddenAlerts,
  toSingleLine,
  type NotificationView,
} from './notification-view.ts';
import {
  classifyHttpStatus,
  snippetOf,
  type ChannelHttpReply,
  type ChannelHttpRequest,
  type ChannelOutcome,
} from './post-channel-request.ts';

export const SLACK_MAX_BODY_BYTES = 30_000;
/** Slack takes at most 50 blocks; alerts beyond 40 go into the "… and N more" line. */
export const SLACK_MAX_ALERTS_SHOWN = 40;
const HEADER_MAX_CHARS = 150;
const SECTION_MAX_CHARS = 3_000;

/** Slack's mrkdwn needs exactly these three escaped (its "Escaping text" rules). */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function link(url: string, text: string): string | null {
  const target = toLinkUrl(url);
  return target ? `<${target}|${escapeMrkdwn(text)}>` : null;
}

const mrkdwnSection = (text: string) => ({
  type: 'section',
  text: { type: 'mrkdwn', text: text.slice(0, SECTION_MAX_CHARS) },
});
const context = (text: string) => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: text.slice(0, SECTION_MAX_CHARS) }],
});

function buildPayload(view: NotificationView, shown: number) {
  const t = view.texts;
  const intro = [escapeMrkdwn(view.summary)];
  const group = joinLabels(view.groupLabels);
  if (group) intro.push(`*${t.groupedBy}:* ${escapeMrkdwn(group)}`);
  const blocks: unknown[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: toSingleLine(`${view.marker} ${view.title}`, HEADER_MAX_CHARS),
        emoji: true,
      },
    },
    context(intro.join('  ·  ')),
  ];
  for (const alert of view.alerts.slice(0, shown)) {
    const lines = [`*${alert.marker} ${escapeMrkdwn(alert.headline)}*`];
    for (const [name, value] of listAlertFields(view, alert))
      lines.push(`*${name}:* ${escapeMrkdwn(value)}`);
    const alertLink = link(alert.source.url, t.viewAlert);
    if (alertLink) lines.push(alertLink);
    blocks.push(mrkdwnSection(lines.join('\n')));
  }
  const hidden = view.alerts.length - shown;
  if (hidden > 0) blocks.push(mrkdwnSection(escapeMrkdwn(describeHiddenAlerts(view, hidden))));
  const center = link(view.dashboardUrl, t.openAlertCenter);
  if (center) blocks.push(mrkdwnSection(`*${center}*`));
  blocks.push(context(escapeMrkdwn(view.footer)));
  // `text` is what notifications and clients without blocks show.
  return { text: `${view.marker} ${escapeMrkdwn(view.title)}`, blocks };
}

export function buildSlackRequest(
  config: SlackChannelConfig,
  message: NotificationMessage,
): ChannelHttpRequest {
  const view = buildNotificationView(message);
  const { rendered } = fitAlerts({
    total: view.alerts.length,
    maxShown: SLACK_MAX_ALERTS_SHOWN,
    maxBytes: SLACK_MAX_BODY_BYTES,
    render: (shown) => JSON.stringify(buildPayload(view, shown)),
    measure: measureUtf8,
  });
  return { url: config.url, headers: {}, body: rendered };
}

/** Incoming webhooks answer HTTP 200 with the body "ok". */
export function readSlackReply(reply: ChannelHttpReply): ChannelOutcome {
  const failed = classifyHttpStatus('Slack', reply);
  if (failed) return failed;
  if (reply.bodyText.trim() === 'ok')
    return { ok: true, status: reply.status, retryable: false, error: null };
  return {
    ok: false,
    status: reply.status,
    retryable: false,
    error: `Slack gave an unexpected answer${snippetOf(reply)}`,
  };
}

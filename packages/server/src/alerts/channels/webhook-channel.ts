import { createHash, createHmac } from 'node:crypto';
import type { WebhookChannelConfig } from './channel-config.ts';
import { fitAlerts, measureUtf8 } from './fit-alerts.ts';
import type { NotificationAlert, NotificationMessage } from './notification-types.ts';
import { buildNotificationView } from './notification-view.ts';
import {
  classifyHttpStatus,
  type ChannelHttpReply,
  type ChannelHttpRequest,
  type ChannelOutcome,
} from './post-channel-request.ts';

/** Largest JSON body sent; alerts beyond it are counted in `truncatedAlerts`. */
export const WEBHOOK_MAX_BODY_BYTES = 512 * 1024;
/** Alertmanager's "not resolved yet" endsAt. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

type Labels = Record<string, string>;

function toAlertLabels(alert: NotificationAlert): Labels {
  return {
    ...alert.labels,
    alertname: alert.ruleName,
    severity: alert.severity,
    rule_id: alert.ruleId,
  };
}

function toAnnotations(alert: NotificationAlert): Labels {
  return {
    summary: `${alert.ruleName}: ${alert.valueText}`,
    value: alert.valueText,
    condition: alert.conditionText,
  };
}

/** Alertmanager-style fingerprint: stable per rule and label set. */
function fingerprintOf(labels: Labels): string {
  const canonical = Object.keys(labels)
    .sort()
    .map((name) => `${name}\u0000${labels[name]}`)
    .join('\u0001');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

function intersect(sets: readonly Labels[]): Labels {
  const [first, ...rest] = sets;
  if (!first) return {};
  return Object.fromEntries(
    Object.entries(first).filter(([name, value]) => rest.every((set) => set[name] === value)),
  );
}

/** The body: Alertmanager's webhook payload (version 4) plus a `sightline` object. */
export function buildWebhookPayload(message: NotificationMessage, shown: number) {
  const view = buildNotificationView(message);
  const ordered = view.alerts.map((a) => a.source);
  const listed = ordered.slice(0, shown);
  const labelSets = ordered.map(toAlertLabels);
  const groupLabels = { ...message.groupLabels };
  return {
    version: '4',
    groupKey: `${message.project.id}:${JSON.stringify(groupLabels)}`,
    truncatedAlerts: ordered.length - listed.length,
    status: ordered.some((a) => a.state === 'firing') ? 'firing' : 'resolved',
    receiver: 'sightline',
    groupLabels,
    commonLabels: intersect(labelSets),
    commonAnnotations: intersect(ordered.map(toAnnotations)),
    externalURL: message.dashboardUrl,
    alerts: listed.map((alert) => {
      const labels = toAlertLabels(alert);
      return {
        status: alert.state,
        labels,
        annotations: toAnnotations(alert),
        startsAt: new Date(alert.startsAt).toISOString(),
        endsAt: alert.endsAt === null ? ZERO_TIME : new Date(alert.endsAt).toISOString(),
        generatorURL: alert.url,
        fingerprint: fingerprintOf(labels),
      };
    }),
    sightline: {
      status: message.status,
      title: view.title,
      project: { id: message.project.id, name: message.project.name },
      locale: message.locale,
      timeZone: message.timeZone,
      sentAt: new Date(message.sentAt).toISOString(),
    },
  };
}

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, keyed by the channel's secret. */
export function signWebhookBody(secret: string, timestampSec: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex')}`;
}

export function buildWebhookRequest(
  config: WebhookChannelConfig,
  message: NotificationMessage,
  nowMs: number,
): ChannelHttpRequest {
  const { rendered: body } = fitAlerts({
    total: message.alerts.length,
    maxBytes: WEBHOOK_MAX_BODY_BYTES,
    render: (shown) => JSON.stringify(buildWebhookPayload(message, shown)),
    measure: measureUtf8,
  });
  const headers: Record<string, string> = { ...config.headers };
  if (config.secret) {
    const timestampSec = Math.floor(nowMs / 1000);
    headers['X-Sightline-Timestamp'] = String(timestampSec);
    headers['X-Sightline-Signature'] = signWebhookBody(config.secret, timestampSec, body);
  }
  return { url: config.url, headers, body };
}

/** Any 2xx is success. */
export function readWebhookReply(reply: ChannelHttpReply): ChannelOutcome {
  return (
    classifyHttpStatus('The webhook', reply) ?? {
      ok: true,
      status: reply.status,
      retryable: false,
      error: null,
    }
  );
}

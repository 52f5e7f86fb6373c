import type { Severity } from '../alert-rule-schema.ts';

export { SEVERITIES, type Severity } from '../alert-rule-schema.ts';

export const NOTIFICATION_LOCALES = ['zh-CN', 'en'] as const;
export type NotificationLocale = (typeof NOTIFICATION_LOCALES)[number];

/** One alert of a notification, as the dispatcher hands it over. */
export interface NotificationAlert {
  ruleId: string;
  ruleName: string;
  severity: Severity;
  state: 'firing' | 'resolved';
  labels: Readonly<Record<string, string>>;
  /** Observed value, already formatted (e.g. "p95 3.2 s"). */
  valueText: string;
  /** The condition in words, already formatted (e.g. "p95 > 1.5 s for 5 min"). */
  conditionText: string;
  /** Epoch ms. */
  startsAt: number;
  /** Epoch ms; null while firing. */
  endsAt: number | null;
  /** Link back to the dashboard for this alert. */
  url: string;
}

/** What one delivery says: a group of alerts of one project, or a channel test. */
export interface NotificationMessage {
  status: 'firing' | 'resolved' | 'test';
  locale: NotificationLocale;
  /** IANA zone the times are shown in; an unknown zone falls back to UTC. */
  timeZone: string;
  project: { id: string; name: string };
  groupLabels: Readonly<Record<string, string>>;
  /** Firing first; a message may mix firing and resolved alerts. */
  alerts: readonly NotificationAlert[];
  /** Alert center link. */
  dashboardUrl: string;
  /** Epoch ms. */
  sentAt: number;
}

/** The outcome of one attempt to deliver a message to one channel; send() never throws. */
export interface DeliveryResult {
  ok: boolean;
  /** HTTP status, or the SMTP reply code for email; null when no answer came. */
  status: number | null;
  /** Worth trying again later: network errors, timeouts, 429, 5xx, the services' rate limits. */
  retryable: boolean;
  /** What went wrong, in words, without secrets; for email an ok result may carry a note. */
  error: string | null;
  durationMs: number;
}

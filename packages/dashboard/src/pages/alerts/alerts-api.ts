import { api, ApiError } from '../../lib/api.ts';

/**
 * The alerting API (packages/server/src/alerts/alert-routes.ts) under
 * /api/v1/projects/:projectId/alerts, typed as its answers are: the alert center, rules with their
 * 7-day preview, silences, channels with a test send, the notification policy, the noise report
 * and the delivery log.
 */

export type Severity = 'P0' | 'P1' | 'P2';
export const SEVERITIES: readonly Severity[] = ['P0', 'P1', 'P2'];
export type AlertState = 'inactive' | 'pending' | 'firing' | 'resolved';
export type Labels = Record<string, string>;

export interface AlertView {
  id: string;
  projectId: string;
  ruleId: string | null;
  source: 'rule' | 'alertmanager';
  fingerprint: string;
  labels: Labels;
  annotations: {
    metric?: string;
    value?: number | null;
    reference?: number | null;
    windowMinutes?: number;
    skipped?: string | null;
    band?: { lower: number | null; upper: number | null; score: number | null } | null;
    volume?: number | null;
    /** The unit of the value (rules on a catalog metric or a saved insight). */
    unit?: string;
    /** Rules on a saved insight: which one (its name when last evaluated) and what of it. */
    insight?: InsightAnnotation;
    summary?: string;
    description?: string;
    [key: string]: unknown;
  };
  severity: string;
  state: AlertState;
  value: number | null;
  pendingSince: number | null;
  firingSince: number | null;
  resolvedAt: number | null;
  lastEvalAt: number;
  ackAt: number | null;
  ackBy: string | null;
  ackComment: string | null;
  ruleName: string;
  silencedBy: string | null;
  inhibited: boolean;
}

export interface InsightAnnotation {
  id: string;
  name: string;
  kind: 'trends' | 'funnel';
  series: { metric: string | null; label: string } | null;
  step: { number: number; label: string; from: 'previous' | 'first' } | null;
}

export interface AlertEvent {
  id: number;
  alertId: string;
  at: number;
  /** transition, acknowledged, unacknowledged, comment or outcome. */
  kind: string;
  fromState: string | null;
  toState: string | null;
  value: number | null;
  actor: string | null;
  comment: string | null;
}

export interface AlertDetail {
  alert: AlertView;
  events: AlertEvent[];
}

export type ThresholdOp = 'gt' | 'gte' | 'lt' | 'lte';
export type Direction = 'up' | 'down' | 'both';
export type Condition =
  | { kind: 'threshold'; op: ThresholdOp; value: number }
  | {
      kind: 'change';
      compareTo: 'previous_window' | 'same_time_last_week';
      direction: Direction;
      percent: number;
    }
  | { kind: 'baseline'; method: 'seasonal' | 'ewma'; sensitivity: number; direction: Direction }
  | { kind: 'no_data' };
export type ConditionKind = Condition['kind'];

export interface RuleFilter {
  dimension: string;
  op: string;
  value?: unknown;
}

interface QueryCommon {
  filters: RuleFilter[];
  windowMinutes: number;
  groupBy: string | null;
  maxGroups: number;
}
/** A catalog metric (rules saved before insights could be watched have no `source`). */
export interface MetricRuleQuery extends QueryCommon {
  source?: 'metric';
  metric: string;
}
/** A saved insight, read live: a trends series, or a funnel's conversion. */
export interface InsightRuleQuery extends QueryCommon {
  source: 'insight';
  insightId: string;
  /** Trends: the series, 0-based. */
  seriesIndex: number;
  /** Funnels: conversion into this step (1-based); null for the overall conversion. */
  step: number | null;
  stepFrom: 'previous' | 'first';
  metric?: undefined;
}
export type RuleQuery = MetricRuleQuery | InsightRuleQuery;

/** A funnel insight's rule may guard on the people entering the funnel. */
export const FUNNEL_ENTRIES = '$funnel_entries';

/** A saved insight as GET …/insights lists it (docs/api.md). */
export interface SavedInsight {
  id: string;
  name: string;
  kind: 'trends' | 'funnel' | 'retention' | 'paths';
  params: Record<string, unknown>;
  filters: Record<string, string>;
}

/** A rule's definition, as POST/PUT …/rules take it. */
export interface RuleSpec {
  name: string;
  description: string;
  severity: Severity;
  enabled: boolean;
  query: RuleQuery;
  condition: Condition;
  minVolume: { metric: string; min: number } | null;
  forSeconds: number;
  breaches: { m: number; n: number };
  intervalSeconds: number;
  labels: Labels;
  channelIds: string[];
}

export interface AlertRule extends RuleSpec {
  id: string;
  projectId: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  nextEvalAt: number;
  lastEvalAt: number | null;
  lastEvalMs: number | null;
  lastError: string | null;
}

export interface PreviewPoint {
  at: number;
  group: string;
  value: number | null;
  reference: number | null;
  breached: boolean;
  skipped: string | null;
}

export interface RulePreview {
  from: number;
  to: number;
  stepMs: number;
  points: PreviewPoint[];
  firings: Array<{ group: string; from: number; to: number | null }>;
}

export type MatchOp = '=' | '!=' | '=~' | '!~';
export const MATCH_OPS: readonly MatchOp[] = ['=', '!=', '=~', '!~'];
export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}
export interface MuteSchedule {
  days: number[];
  startMinute: number;
  endMinute: number;
}
export interface Silence {
  id: string;
  projectId: string;
  matchers: Matcher[];
  startsAt: number;
  endsAt: number;
  schedule: MuteSchedule | null;
  expiredAt: number | null;
  comment: string;
  createdBy: string;
  createdAt: number;
  status: 'active' | 'pending' | 'expired';
}
export interface SilenceInput {
  matchers: Matcher[];
  startsAt?: number;
  endsAt: number;
  schedule: MuteSchedule | null;
  comment: string;
}

export const CHANNEL_KINDS = ['webhook', 'dingtalk', 'feishu', 'wecom', 'slack', 'email'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
/** What the server shows instead of a secret; sent back, it keeps the stored value. */
export const SECRET_MASK = '******';

export interface ChannelConfig {
  kind: ChannelKind;
  url?: string;
  secret?: string;
  headers?: Record<string, string>;
  to?: string[];
}
export interface Channel {
  id: string;
  projectId: string;
  name: string;
  kind: ChannelKind;
  sendResolved: boolean;
  enabled: boolean;
  config: ChannelConfig;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}
export interface ChannelInput {
  name: string;
  sendResolved: boolean;
  enabled: boolean;
  config: ChannelConfig;
}

export interface Policy {
  groupBy: string[];
  groupWaitSeconds: number;
  groupIntervalSeconds: number;
  repeatIntervalSeconds: number;
  inhibitEqual: string[];
  defaultChannelIds: string[];
  locale: 'zh-CN' | 'en';
}

export interface Delivery {
  id: string;
  channelId: string;
  /** firing, resolved or test. */
  kind: string;
  alertCount: number;
  /** pending, retrying, sent or failed. */
  status: string;
  attempts: number;
  nextAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}

export const OUTCOMES = ['notified', 'silenced', 'inhibited', 'absorbed', 'unrouted'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export interface NoiseReport {
  from: number;
  to: number;
  rawFirings: number;
  notifications: number;
  outcomes: Record<Outcome, number>;
  groupedAway: number;
  reduction: number | null;
}

/** A dimension of the catalog (GET /api/v1/metrics), with its name in both languages. */
export interface CatalogDimension {
  id: string;
  name: { 'zh-CN': string; en: string };
}

const base = (projectId: string) => `/api/v1/projects/${encodeURIComponent(projectId)}/alerts`;
const part = (id: string) => encodeURIComponent(id);

export const alertsApi = {
  list: (projectId: string, resolvedWithinHours = 24) =>
    api<{ alerts: AlertView[] }>(
      `${base(projectId)}?resolvedWithinHours=${resolvedWithinHours}`,
    ).then((answer) => answer.alerts),
  get: (projectId: string, alertId: string) =>
    api<AlertDetail>(`${base(projectId)}/${part(alertId)}`),
  acknowledge: (projectId: string, alertId: string, comment: string) =>
    api<AlertDetail>(`${base(projectId)}/${part(alertId)}/acknowledge`, {
      body: comment ? { comment } : {},
    }),
  unacknowledge: (projectId: string, alertId: string) =>
    api<AlertDetail>(`${base(projectId)}/${part(alertId)}/unacknowledge`, { method: 'POST' }),
  comment: (projectId: string, alertId: string, comment: string) =>
    api<AlertDetail>(`${base(projectId)}/${part(alertId)}/comments`, { body: { comment } }),

  rules: (projectId: string) =>
    api<{ rules: AlertRule[] }>(`${base(projectId)}/rules`).then((answer) => answer.rules),
  createRule: (projectId: string, spec: RuleSpec) =>
    api<AlertRule>(`${base(projectId)}/rules`, { body: spec }),
  updateRule: (projectId: string, ruleId: string, spec: RuleSpec) =>
    api<AlertRule>(`${base(projectId)}/rules/${part(ruleId)}`, { method: 'PUT', body: spec }),
  deleteRule: (projectId: string, ruleId: string) =>
    api<void>(`${base(projectId)}/rules/${part(ruleId)}`, { method: 'DELETE' }),
  preview: (projectId: string, spec: RuleSpec, signal?: AbortSignal) =>
    api<RulePreview>(`${base(projectId)}/rules/preview`, {
      body: spec,
      ...(signal ? { signal } : {}),
    }),

  /** The project's saved insights (…/insights), to watch one. */
  insights: (projectId: string) =>
    api<{ insights: SavedInsight[] }>(
      `/api/v1/projects/${encodeURIComponent(projectId)}/insights`,
    ).then((answer) => answer.insights),

  silences: (projectId: string, expiredWithinDays = 7) =>
    api<{ silences: Silence[] }>(
      `${base(projectId)}/silences?expiredWithinDays=${expiredWithinDays}`,
    ).then((answer) => answer.silences),
  createSilence: (projectId: string, input: SilenceInput) =>
    api<Silence>(`${base(projectId)}/silences`, { body: input }),
  expireSilence: (projectId: string, silenceId: string) =>
    api<Silence>(`${base(projectId)}/silences/${part(silenceId)}`, { method: 'DELETE' }),

  channels: (projectId: string) =>
    api<{ channels: Channel[] }>(`${base(projectId)}/channels`).then((answer) => answer.channels),
  createChannel: (projectId: string, input: ChannelInput) =>
    api<Channel>(`${base(projectId)}/channels`, { body: input }),
  updateChannel: (projectId: string, channelId: string, input: ChannelInput) =>
    api<Channel>(`${base(projectId)}/channels/${part(channelId)}`, { method: 'PUT', body: input }),
  deleteChannel: (projectId: string, channelId: string) =>
    api<void>(`${base(projectId)}/channels/${part(channelId)}`, { method: 'DELETE' }),
  testChannel: (projectId: string, channelId: string) =>
    api<Delivery>(`${base(projectId)}/channels/${part(channelId)}/test`, { method: 'POST' }),

  policy: (projectId: string) => api<Policy>(`${base(projectId)}/policy`),
  savePolicy: (projectId: string, policy: Policy) =>
    api<Policy>(`${base(projectId)}/policy`, { method: 'PUT', body: policy }),

  noise: (projectId: string) => api<NoiseReport>(`${base(projectId)}/noise`),
  deliveries: (projectId: string, limit = 200) =>
    api<{ deliveries: Delivery[] }>(`${base(projectId)}/deliveries?limit=${limit}`).then(
      (answer) => answer.deliveries,
    ),
};

let dimensionsLoading: Promise<CatalogDimension[]> | null = null;
/** The catalog's dimensions with their names (lib/catalog.ts keeps only the metrics). */
export function loadDimensions(): Promise<CatalogDimension[]> {
  dimensionsLoading ??= api<{ dimensions?: CatalogDimension[] }>('/api/v1/metrics').then(
    (answer) => answer.dimensions ?? [],
    (error: unknown) => {
      dimensionsLoading = null;
      throw error;
    },
  );
  return dimensionsLoading;
}

/** Any failure as an ApiError (the server's code), so panels can say it in words. */
export function asApiError(caught: unknown): ApiError {
  return caught instanceof ApiError ? caught : new ApiError(0, 'NETWORK', String(caught));
}

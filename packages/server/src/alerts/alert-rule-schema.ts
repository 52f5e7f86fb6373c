import { filtersSchema } from '@sightline/shared';
import { z } from 'zod';

export const SEVERITIES = ['P0', 'P1', 'P2'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A label name as Prometheus allows it; values are free text, capped. */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/;
export const labelsSchema = z
  .record(z.string().regex(LABEL_NAME, 'a label name: letters, digits and _'), z.string().max(200))
  .refine((labels) => Object.keys(labels).length <= 20, 'at most 20 labels');

const thresholdCondition = z.object({
  kind: z.literal('threshold'),
  op: z.enum(['gt', 'gte', 'lt', 'lte']),
  value: z.number().finite(),
});

const changeCondition = z.object({
  kind: z.literal('change'),
  /** The window just before, or the same window one week earlier. */
  compareTo: z.enum(['previous_window', 'same_time_last_week']),
  direction: z.enum(['up', 'down', 'both']).default('both'),
  /** Relative change that breaches, in percent of the reference (50 = ±50%). */
  percent: z.number().positive().max(100_000),
});

const baselineCondition = z.object({
  kind: z.literal('baseline'),
  /** seasonal: the same hour of the week in past weeks (median/MAD); ewma: recent windows. */
  method: z.enum(['seasonal', 'ewma']).default('seasonal'),
  /** Robust standard deviations away from the baseline that breach. */
  sensitivity: z.number().min(1).max(20).default(3),
  direction: z.enum(['up', 'down', 'both']).default('both'),
});

/** For GMV and orders, silence is the incident: fires when the window has no data (or 0). */
const noDataCondition = z.object({ kind: z.literal('no_data') });

export const conditionSchema = z.discriminatedUnion('kind', [
  thresholdCondition,
  changeCondition,
  baselineCondition,
  noDataCondition,
]);
export type AlertCondition = z.infer<typeof conditionSchema>;

/** What every query has, whatever it watches. */
const queryShape = {
  filters: filtersSchema.default([]),
  /** The value is computed over the last `windowMinutes` before each evaluation. */
  windowMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(5),
  /** One alert per value of this dimension (e.g. route), top `maxGroups` by the metric. */
  groupBy: z.string().max(64).nullable().default(null),
  maxGroups: z.number().int().min(1).max(50).default(20),
};

/** A catalog metric; rules saved before insights existed have no `source` and are these. */
export const metricQuerySchema = z.object({
  source: z.literal('metric').default('metric'),
  /** A catalog metric id (docs/metrics.md). */
  metric: z.string().min(1).max(64),
  ...queryShape,
});

/**
 * A saved insight of the project, read live at each evaluation: trends watch one series' value,
 * funnels a conversion. `groupBy` may only name the insight's own breakdown.
 */
export const insightQuerySchema = z.object({
  source: z.literal('insight'),
  insightId: z.string().min(1).max(64),
  /** Never set: lets code that picks rules by `query.metric` read it on any rule. */
  metric: z.undefined().optional(),
  /** Trends: which series, 0-based (the first by default). */
  seriesIndex: z.number().int().min(0).max(9).default(0),
  /** Funnels: conversion into this step (1-based, from 2); null: the overall conversion. */
  step: z.number().int().min(2).max(30).nullable().default(null),
  /** Funnels with a step: from the previous required step, or from the first step. */
  stepFrom: z.enum(['previous', 'first']).default('previous'),
  ...queryShape,
});

export const alertQuerySchema = z.discriminatedUnion('source', [
  metricQuerySchema,
  insightQuerySchema,
]);
export type AlertQuery = z.infer<typeof alertQuerySchema>;
export type MetricQuery = z.infer<typeof metricQuerySchema>;
export type InsightQuery = z.infer<typeof insightQuerySchema>;

/** For a funnel insight, minVolume may count the people (or attempts) who entered it. */
export const FUNNEL_ENTRIES = '$funnel_entries';

/**
 * Below this volume the condition is not evaluated (tiny denominators page nobody). The metric
 * is a catalog metric, computed with the query's filters and grouping; a funnel insight's rule
 * may also name FUNNEL_ENTRIES.
 */
export const minVolumeSchema = z.object({
  metric: z.string().min(1).max(64),
  min: z.number().nonnegative(),
});

export const alertRuleSpecSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    description: z.string().max(2_000).default(''),
    severity: z.enum(SEVERITIES),
    enabled: z.boolean().default(true),
    query: alertQuerySchema,
    condition: conditionSchema,
    minVolume: minVolumeSchema.nullable().default(null),
    /** How long the condition must hold (pending) before the alert fires. */
    forSeconds: z
      .number()
      .int()
      .min(0)
      .max(24 * 3600)
      .default(0),
    /** Fire only when at least m of the last n evaluations breached (jitter suppression). */
    breaches: z
      .object({ m: z.number().int().min(1).max(60), n: z.number().int().min(1).max(60) })
      .refine((b) => b.m <= b.n, 'm must not exceed n')
      .default({ m: 1, n: 1 }),
    intervalSeconds: z
      .number()
      .int()
      .min(10)
      .max(24 * 3600)
      .default(60),
    labels: labelsSchema.default({}),
    /** Notification channels of the project that receive this rule's alerts. */
    channelIds: z.array(z.string().min(1).max(64)).max(10).default([]),
  })
  .strict();
export type AlertRuleSpec = z.infer<typeof alertRuleSpecSchema>;
export type AlertRuleInput = z.input<typeof alertRuleSpecSchema>;

/** Grouping, timing and inhibition of a project's notifications (Alertmanager's route). */
export const alertPolicySchema = z
  .object({
    /** Alerts with equal values of these labels go out in one notification. */
    groupBy: z.array(z.string().regex(LABEL_NAME)).max(10).default(['alertname']),
    groupWaitSeconds: z.number().int().min(0).max(3600).default(30),
    groupIntervalSeconds: z
      .number()
      .int()
      .min(10)
      .max(24 * 3600)
      .default(300),
    repeatIntervalSeconds: z
      .number()
      .int()
      .min(60)
      .max(7 * 24 * 3600)
      .default(4 * 3600),
    /** A firing P0 mutes P1 and P2 alerts whose values of these labels are equal. */
    inhibitEqual: z.array(z.string().regex(LABEL_NAME)).max(10).default(['service']),
    /** Channels for alerts that come from Alertmanager (rules name their own). */
    defaultChannelIds: z.array(z.string().min(1).max(64)).max(10).default([]),
    locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
  })
  .strict();
export type AlertPolicy = z.infer<typeof alertPolicySchema>;

export const SILENCE_MATCH_OPS = ['=', '!=', '=~', '!~'] as const;
export const matcherSchema = z.object({
  name: z.string().regex(LABEL_NAME),
  op: z.enum(SILENCE_MATCH_OPS).default('='),
  value: z.string().max(200),
});
export type LabelMatcher = z.infer<typeof matcherSchema>;

/** A recurring mute window, in the project's time zone (days: 0 = Sunday). */
export const muteScheduleSchema = z
  .object({
    days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
    startMinute: z
      .number()
      .int()
      .min(0)
      .max(24 * 60 - 1),
    endMinute: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
  })
  .refine((s) => s.startMinute !== s.endMinute, 'the window must not be empty');
export type MuteSchedule = z.infer<typeof muteScheduleSchema>;

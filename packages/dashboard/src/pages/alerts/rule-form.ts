import type { MetricUnit } from '@sightline/shared';
import { inject, provide, type ComputedRef, type InjectionKey, type ShallowRef } from 'vue';
import { t } from '../../i18n/index.ts';
import type { ApiError } from '../../lib/api.ts';
import type { CatalogMetric } from '../../lib/catalog.ts';
import type { Condition, RuleFilter, RuleQuery, RuleSpec, SavedInsight } from './alerts-api.ts';
import { refusedField } from './alerts-text.ts';

/**
 * The rule editor's form: the fields people edit, from a rule's definition and back to one
 * (RuleEditor.vue and the fieldsets it is made of share it through provideRuleForm).
 */

const DEFAULT_METRIC = 'api_latency_p95';
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/;

export const DEFAULT_RULE_SPEC: RuleSpec = {
  name: '',
  description: '',
  severity: 'P1',
  enabled: true,
  query: { metric: DEFAULT_METRIC, filters: [], windowMinutes: 5, groupBy: null, maxGroups: 20 },
  condition: { kind: 'threshold', op: 'gt', value: 1500 },
  minVolume: null,
  forSeconds: 0,
  breaches: { m: 1, n: 1 },
  intervalSeconds: 60,
  labels: {},
  channelIds: [],
};

/** A value in the unit people type: yuan for money (fen in the API), % for ratios. */
export const toInput = (value: number, unit: MetricUnit) =>
  unit === 'currency'
    ? value / 100
    : unit === 'ratio'
      ? Number((value * 100).toPrecision(12))
      : value;
const fromInput = (value: number, unit: MetricUnit) =>
  unit === 'currency' ? Math.round(value * 100) : unit === 'ratio' ? value / 100 : value;

/** The form's fields for a rule's definition (the threshold still in the API's unit). */
export function ruleFormOf(start: RuleSpec) {
  const { condition, query } = start;
  const insight = query.source === 'insight' ? query : null;
  return {
    name: start.name,
    description: start.description,
    severity: start.severity,
    enabled: start.enabled,
    source: insight ? ('insight' as const) : ('metric' as const),
    metric: query.metric ?? DEFAULT_METRIC,
    insightId: insight?.insightId ?? '',
    seriesIndex: insight?.seriesIndex ?? 0,
    step: insight?.step ?? null,
    stepFrom: insight?.stepFrom ?? ('previous' as const),
    windowMinutes: query.windowMinutes,
    groupBy: query.groupBy ?? '',
    maxGroups: query.maxGroups,
    kind: condition.kind,
    op: condition.kind === 'threshold' ? condition.op : ('gt' as const),
    threshold: condition.kind === 'threshold' ? condition.value : 0,
    compareTo: condition.kind === 'change' ? condition.compareTo : ('previous_window' as const),
    direction:
      condition.kind === 'change' || condition.kind === 'baseline'
        ? condition.direction
        : ('both' as const),
    percent: condition.kind === 'change' ? condition.percent : 50,
    method: condition.kind === 'baseline' ? condition.method : ('seasonal' as const),
    sensitivity: condition.kind === 'baseline' ? condition.sensitivity : 3,
    forMinutes: start.forSeconds / 60,
    m: start.breaches.m,
    n: start.breaches.n,
    intervalSeconds: start.intervalSeconds,
    minVolumeOn: start.minVolume !== null,
    minVolumeMetric: start.minVolume?.metric ?? query.metric ?? DEFAULT_METRIC,
    minVolumeMin: start.minVolume?.min ?? 0,
    labels: Object.entries(start.labels).map(([name, value]) => ({ name, value })),
    channelIds: [...start.channelIds],
  };
}
export type RuleForm = ReturnType<typeof ruleFormOf>;

/** The query part of the form, for the source chosen (filters are kept from the rule). */
export function queryOfForm(form: RuleForm, filters: RuleFilter[]): RuleQuery {
  const common = {
    filters,
    windowMinutes: Number(form.windowMinutes),
    groupBy: form.groupBy || null,
    maxGroups: Number(form.maxGroups),
  };
  if (form.source === 'metric') return { source: 'metric', metric: form.metric, ...common };
  return {
    source: 'insight',
    insightId: form.insightId,
    seriesIndex: Number(form.seriesIndex),
    step: form.step,
    stepFrom: form.stepFrom,
    ...common,
  };
}

/** The form as the API takes it; the threshold is typed in `unit` (yuan, %). */
export function specOfForm(
  form: RuleForm,
  options: { unit: MetricUnit; filters: RuleFilter[]; channelIds: readonly string[] },
): RuleSpec {
  let condition: Condition;
  switch (form.kind) {
    case 'threshold':
      condition = {
        kind: 'threshold',
        op: form.op,
        value: fromInput(Number(form.threshold), options.unit),
      };
      break;
    case 'change':
      condition = {
        kind: 'change',
        compareTo: form.compareTo,
        direction: form.direction,
        percent: Number(form.percent),
      };
      break;
    case 'baseline':
      condition = {
        kind: 'baseline',
        method: form.method,
        sensitivity: Number(form.sensitivity),
        direction: form.direction,
      };
      break;
    default:
      condition = { kind: 'no_data' };
  }
  return {
    name: form.name.trim(),
    description: form.description,
    severity: form.severity,
    enabled: form.enabled,
    query: queryOfForm(form, options.filters),
    condition,
    minVolume: form.minVolumeOn
      ? { metric: form.minVolumeMetric, min: Number(form.minVolumeMin) }
      : null,
    forSeconds: Math.round(Number(form.forMinutes) * 60),
    breaches: { m: Number(form.m), n: Number(form.n) },
    intervalSeconds: Number(form.intervalSeconds),
    labels: Object.fromEntries(
      form.labels.filter((label) => label.name.trim()).map((l) => [l.name.trim(), l.value]),
    ),
    // Channels deleted while the form was open are dropped.
    channelIds: form.channelIds.filter((channel) => options.channelIds.includes(channel)),
  };
}

/** Problems the browser can find before asking the server (which checks everything again). */
export function checkRuleForm(form: RuleForm): Record<string, string> {
  const found: Record<string, string> = {};
  if (!form.name.trim()) found.name = t('alerts.rule.needName');
  if (form.source === 'insight' && !form.insightId) found.insight = t('alerts.rule.needInsight');
  const window = Number(form.windowMinutes);
  if (!Number.isInteger(window) || window < 1 || window > 10_080)
    found.window = t('alerts.rule.badWindow');
  if (form.kind === 'threshold' && !Number.isFinite(Number(form.threshold)))
    found.condition = t('alerts.rule.badNumber');
  if (form.kind === 'change' && !(Number(form.percent) > 0))
    found.condition = t('alerts.rule.badPercent');
  if (Number(form.m) > Number(form.n) || Number(form.m) < 1)
    found.breaches = t('alerts.rule.badBreaches');
  form.labels.forEach((label) => {
    if (label.name.trim() && !LABEL_NAME.test(label.name.trim()))
      found.labels = t('alerts.labels.badName');
  });
  return found;
}

/** The form field a server refusal is about, by the path it names. */
const FIELD_OF: Array<[RegExp, string]> = [
  [/^name/, 'name'],
  [/^severity/, 'severity'],
  [/^query\.metric/, 'metric'],
  [/^query\.(insightId|seriesIndex|step)/, 'insight'],
  [/^query\.windowMinutes/, 'window'],
  [/^query\.groupBy/, 'groupBy'],
  [/^query\.maxGroups/, 'groupBy'],
  [/^condition/, 'condition'],
  [/^minVolume/, 'minVolume'],
  [/^forSeconds/, 'for'],
  [/^breaches/, 'breaches'],
  [/^intervalSeconds/, 'interval'],
  [/^labels/, 'labels'],
  [/^channelIds/, 'channels'],
];
export function refusedFormField(error: ApiError | null): string | null {
  const path = refusedField(error);
  const field = path ? FIELD_OF.find(([pattern]) => pattern.test(path))?.[1] : undefined;
  if (!field && error?.code === 'ERR_ALERT_CHANNEL_NOT_FOUND') return 'channels';
  if (!field && error?.code.startsWith('ERR_ALERT_INSIGHT_')) return 'insight';
  return field ?? null;
}

/** What the editor's fieldsets share. */
export interface RuleFormContext {
  form: RuleForm;
  /** A field's problem: the browser's check, else the server's refusal named there. */
  problemOf: (field: string) => string | null;
  /** The id of the element a field's problem is in, when it has one. */
  describedBy: (field: string) => string | undefined;
  /** Prefix of element ids unique to this editor. */
  id: string;
  metricGroups: ComputedRef<Array<{ group: string; label: string; metrics: CatalogMetric[] }>>;
  insights: ShallowRef<SavedInsight[] | null>;
  chosenInsight: ComputedRef<SavedInsight | undefined>;
  /** The unit the threshold is typed in (yuan, %, ms…). */
  unitSuffix: ComputedRef<string>;
}

const RULE_FORM: InjectionKey<RuleFormContext> = Symbol('rule form');
export const provideRuleForm = (context: RuleFormContext) => provide(RULE_FORM, context);
export function useRuleForm(): RuleFormContext {
  const context = inject(RULE_FORM);
  if (!context) throw new Error('a rule fieldset must sit inside RuleEditor');
  return context;
}

import { zoneOffsetMs } from '../platform/index.ts';
import type { AlertCondition, AlertRuleSpec } from './alert-rule-schema.ts';
import {
  openRuleSource,
  type Measure,
  type RuleSource,
  type RuleSourceDeps,
} from './rule-source.ts';
import { scoreBaselineCondition, type ValueHistory } from './score-baseline.ts';

const WEEK_MS = 7 * 24 * 3_600_000;

export interface EvaluateRuleDeps extends RuleSourceDeps {
  /** What the rule watches, already opened (openRuleSource); opened here otherwise. */
  source?: RuleSource;
}

/** One label set's outcome of an evaluation. */
export interface RuleObservation {
  /** The group-by value ('' without group-by). */
  group: string;
  value: number | null;
  breached: boolean;
  /** Why it was not evaluated, when it was not. */
  skipped: 'low_volume' | 'insufficient_history' | null;
  /** The reference the value was compared with (previous window, baseline), when any. */
  reference: number | null;
  /** Baselines: the band the value was expected in. */
  band: { lower: number | null; upper: number | null; score: number | null } | null;
  volume: number | null;
}

export interface EvaluateRuleParams {
  spec: AlertRuleSpec;
  /** The window ends here (exclusive). */
  at: number;
  /** Per group: values of earlier evaluations, for the EWMA baseline. */
  history?: ReadonlyMap<string, ValueHistory>;
  /** Groups that had alerts before: for no-data rules, a group that vanished has no data. */
  knownGroups?: readonly string[];
}

/**
 * Computes what the rule watches (a catalog metric or a saved insight) over the window ending at
 * `at` through the query layer (one value per group with group-by) and decides for each group
 * whether the condition is breached. Every condition goes through the source's one `measure`.
 */
export async function evaluateRule(
  deps: EvaluateRuleDeps,
  params: EvaluateRuleParams,
): Promise<RuleObservation[]> {
  const { spec, at } = params;
  const windowMs = spec.query.windowMinutes * 60_000;
  const { measure } = deps.source ?? (await openRuleSource(deps, spec));
  const current = await measure(at - windowMs, at, null);
  const groups = [...current.keys()];
  if (spec.condition.kind === 'no_data' && spec.query.groupBy)
    for (const known of params.knownGroups ?? []) if (!current.has(known)) groups.push(known);
  const [reference, volume] = await Promise.all([
    referenceValues({ measure, condition: spec.condition, at, windowMs, groups }),
    spec.minVolume
      ? measure(at - windowMs, at, groups, spec.minVolume.metric)
      : Promise.resolve(null),
  ]);
  const seasons =
    spec.condition.kind === 'baseline' && spec.condition.method === 'seasonal'
      ? await seasonalHistory(measure, { at, windowMs, groups, timeZone: deps.project.timeZone })
      : null;

  return groups.map((group): RuleObservation => {
    const value = current.get(group) ?? null;
    const observation: RuleObservation = {
      group,
      value,
      breached: false,
      skipped: null,
      reference: null,
      band: null,
      volume: volume ? (volume.get(group) ?? 0) : null,
    };
    if (spec.minVolume && (observation.volume ?? 0) < spec.minVolume.min) {
      observation.skipped = 'low_volume';
      return observation;
    }
    const condition = spec.condition;
    switch (condition.kind) {
      case 'threshold':
        observation.breached = value !== null && compare(value, condition.op, condition.value);
        break;
      case 'no_data':
        observation.breached = value === null || value === 0;
        break;
      case 'change': {
        const ref = reference?.get(group) ?? null;
        observation.reference = ref;
        observation.breached = isChangeBreached(value, ref, condition);
        break;
      }
      case 'baseline': {
        const history =
          condition.method === 'seasonal'
            ? (seasons?.get(group) ?? [])
            : (params.history?.get(group) ?? []);
        const scored = scoreBaselineCondition({
          condition,
          history,
          point: { at: at - windowMs, value },
          timeZone: deps.project.timeZone,
        });
        observation.reference = scored.expected;
        observation.band = { lower: scored.lower, upper: scored.upper, score: scored.score };
        observation.breached = scored.anomalous;
        if (scored.reason === 'insufficient_history') observation.skipped = 'insufficient_history';
        break;
      }
    }
    return observation;
  });
}

async function referenceValues(options: {
  measure: Measure;
  condition: AlertCondition;
  at: number;
  windowMs: number;
  groups: readonly string[];
}): Promise<Map<string, number | null> | null> {
  const { condition, at, windowMs } = options;
  if (condition.kind !== 'change') return null;
  const end = condition.compareTo === 'previous_window' ? at - windowMs : at - WEEK_MS;
  return options.measure(end - windowMs, end, options.groups);
}

const SEASONS = 4;

/**
 * The same instant of local wall-clock time `weeks` weeks earlier: across a DST change a plain
 * multiple of 7 × 24 h lands an hour off, in another hour-of-week slot.
 */
export function sameLocalTimeWeeksBefore(at: number, weeks: number, timeZone: string): number {
  const approx = at - weeks * WEEK_MS;
  return approx + zoneOffsetMs(at, timeZone) - zoneOffsetMs(approx, timeZone);
}

/** The same window in each of the last four weeks: the seasonal baseline's history. */
async function seasonalHistory(
  measure: Measure,
  options: { at: number; windowMs: number; groups: readonly string[]; timeZone: string },
): Promise<Map<string, ValueHistory>> {
  const ends = Array.from({ length: SEASONS }, (_, i) =>
    sameLocalTimeWeeksBefore(options.at, SEASONS - i, options.timeZone),
  );
  const runs = await Promise.all(
    ends.map((end) => measure(end - options.windowMs, end, options.groups)),
  );
  const history = new Map<string, ValueHistory>();
  for (const group of options.groups)
    history.set(
      group,
      runs.map((run, i) => ({
        at: (ends[i] ?? 0) - options.windowMs,
        value: run.get(group) ?? null,
      })),
    );
  return history;
}

export function compare(value: number, op: 'gt' | 'gte' | 'lt' | 'lte', threshold: number) {
  switch (op) {
    case 'gt':
      return value > threshold;
    case 'gte':
      return value >= threshold;
    case 'lt':
      return value < threshold;
    case 'lte':
      return value <= threshold;
  }
}

function isChangeBreached(
  value: number | null,
  reference: number | null,
  condition: Extract<AlertCondition, { kind: 'change' }>,
): boolean {
  // Without a reference there is no change to speak of (use a no-data rule for silence).
  if (value === null || reference === null || reference === 0) return false;
  const change = ((value - reference) / Math.abs(reference)) * 100;
  if (condition.direction === 'up') return change >= condition.percent;
  if (condition.direction === 'down') return -change >= condition.percent;
  return Math.abs(change) >= condition.percent;
}

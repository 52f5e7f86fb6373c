import type { EventStore, MetaDb } from '../store/index.ts';
import { advanceAlert, NEW_LIFECYCLE, type AlertLifecycle } from './advance-alert.ts';
import type { AlertRuleSpec } from './alert-rule-schema.ts';
import { evaluateRule } from './evaluate-rule.ts';
import { openRuleSource } from './rule-source.ts';
import type { ValueHistory } from './score-baseline.ts';

export const PREVIEW_STEP_MS = 3_600_000;
export const PREVIEW_DAYS = 7;

export interface PreviewPoint {
  at: number;
  group: string;
  value: number | null;
  reference: number | null;
  breached: boolean;
  skipped: string | null;
}

export interface PreviewFiring {
  group: string;
  from: number;
  /** Null while still firing at the end of the preview. */
  to: number | null;
}

export interface RulePreview {
  from: number;
  to: number;
  stepMs: number;
  points: PreviewPoint[];
  firings: PreviewFiring[];
}

/**
 * How the rule would have behaved over the last seven days: the rule evaluated at every hour,
 * exactly as the scheduler evaluates it (same windows, same condition, the lifecycle with `for`
 * and M-of-N counted in hourly steps), with the firing periods that would have resulted.
 */
export async function previewRule(options: {
  store: EventStore;
  project: { id: string; timeZone: string };
  /** Where saved insights are: needed for a rule on an insight. */
  db?: MetaDb;
  spec: AlertRuleSpec;
  now: number;
}): Promise<RulePreview> {
  const { spec } = options;
  const deps = {
    store: options.store,
    project: options.project,
    ...(options.db ? { db: options.db } : {}),
  };
  // Opened once: the insight is read once and its report runs are shared between the steps.
  const source = await openRuleSource(deps, spec);
  const end = Math.floor(options.now / PREVIEW_STEP_MS) * PREVIEW_STEP_MS;
  const from = end - PREVIEW_DAYS * 24 * PREVIEW_STEP_MS;
  const points: PreviewPoint[] = [];
  const firings: PreviewFiring[] = [];
  const lifecycles = new Map<string, AlertLifecycle>();
  const open = new Map<string, PreviewFiring>();
  const history = new Map<string, ValueHistory>();
  for (let at = from + PREVIEW_STEP_MS; at <= end; at += PREVIEW_STEP_MS) {
    const observations = await evaluateRule(
      { ...deps, source },
      { spec, at, history, knownGroups: [...open.keys()] },
    );
    const seen = new Set<string>();
    for (const o of observations) {
      seen.add(o.group);
      points.push({
        at,
        group: o.group,
        value: o.value,
        reference: o.reference,
        breached: o.breached,
        skipped: o.skipped,
      });
      history.set(o.group, [
        ...(history.get(o.group) ?? []).slice(-59),
        { at: at - spec.query.windowMinutes * 60_000, value: o.value },
      ]);
      step(o.group, o.breached, at);
    }
    for (const group of lifecycles.keys()) if (!seen.has(group)) step(group, false, at);
  }
  firings.push(...open.values());
  return { from, to: end, stepMs: PREVIEW_STEP_MS, points, firings };

  function step(group: string, breached: boolean, at: number) {
    const { next, transitions } = advanceAlert(lifecycles.get(group) ?? NEW_LIFECYCLE, {
      breached,
      now: at,
      forSeconds: spec.forSeconds,
      m: spec.breaches.m,
      n: spec.breaches.n,
    });
    lifecycles.set(group, next);
    for (const t of transitions) {
      if (t.to === 'firing') open.set(group, { group, from: at, to: null });
      if (t.to === 'resolved') {
        const firing = open.get(group);
        if (firing) firings.push({ ...firing, to: at });
        open.delete(group);
      }
    }
  }
}

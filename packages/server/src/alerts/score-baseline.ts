import type { AlertCondition } from './alert-rule-schema.ts';
import { scoreAgainstBaseline, type SeriesPoint } from './detect/index.ts';

export type ValueHistory = readonly SeriesPoint[];

export interface ScoreBaselineParams {
  condition: Extract<AlertCondition, { kind: 'baseline' }>;
  history: ValueHistory;
  point: SeriesPoint;
  timeZone: string;
}

/** A baseline condition against its history (detect/ holds the statistics). */
export function scoreBaselineCondition(params: ScoreBaselineParams) {
  const { condition } = params;
  return scoreAgainstBaseline(params.history, params.point, {
    method: condition.method,
    sensitivity: condition.sensitivity,
    direction: condition.direction,
    timeZone: params.timeZone,
  });
}

export { explainChange, explainChangeParams, type ExplainChangeParams } from './explain-change.ts';
export { computeContributions, type ContributionsParams } from './compute-contributions.ts';
export { computeTotal } from './compute-total.ts';
export {
  decomposeChange,
  type DecomposeInput,
  type DecomposeResult,
  type RatioSegment,
  type SegmentContribution,
  type ValuePair,
  type ValueSegment,
} from './decompose-change.ts';
export {
  chooseDrivers,
  EXTRA_DRIVER_COST,
  MIN_DRIVER_SHARE,
  MIN_EXCESS_SHARE,
  NO_VALUE_SEGMENT,
  OTHER_SEGMENT,
  type DimensionContributions,
  type DriverChoice,
} from './choose-drivers.ts';
export { getDecompositionKind, type DecompositionPlan } from './get-decomposition-kind.ts';
export { suggestActions, type SuggestActionsInput } from './suggest-actions.ts';
export { SUGGESTION_THRESHOLDS } from './suggestion-thresholds.ts';
export type { ChangeDriver, RouteSignal, SuggestionSignals } from './suggestion-signals.ts';
export { collectSuggestionSignals, MIN_ROUTE_REQUESTS } from './collect-suggestion-signals.ts';
export { diagnoseMonth, type DiagnoseMonthParams } from './diagnose-month.ts';
export { describeDiagnosis, type DiagnosisFacts, type MixFacts } from './describe-diagnosis.ts';
export { toValueUnit } from '../to-value-unit.ts';

import type { ChangeExplanation, ReportLocale, ReportSuggestion } from '../report-document.ts';
import {
  suggestFunnelActions,
  suggestGmvActions,
  suggestNewUserActions,
  suggestRefundActions,
} from './suggest-commerce-actions.ts';
import { suggestApiActions, suggestTaskActions } from './suggest-tech-actions.ts';
import type { SuggestionSignals } from './suggestion-signals.ts';

export interface SuggestActionsInput {
  locale: ReportLocale;
  /** The report's explanations; the GMV one says where a drop came from. */
  explanations: readonly ChangeExplanation[];
  signals: SuggestionSignals;
}

const SEVERITY_RANK: Readonly<Record<ReportSuggestion['severity'], number>> = {
  critical: 0,
  warning: 1,
  info: 2,
};

/**
 * Rule-based suggestions, each tied to what changed and naming the segment and the numbers
 * (thresholds in suggestion-thresholds.ts); none when nothing crossed a threshold. Critical
 * first, then warnings, then information; within a severity in rule order. Pure.
 */
export function suggestActions(input: SuggestActionsInput): ReportSuggestion[] {
  const { locale, signals } = input;
  const all = [
    ...suggestGmvActions(input.explanations, locale),
    ...suggestRefundActions(signals.refunds, locale),
    ...suggestApiActions(signals.api, locale),
    ...suggestTaskActions(signals.tasks, locale),
    ...suggestNewUserActions(signals.newUsers, locale),
    ...suggestFunnelActions(signals, locale),
  ];
  return all
    .map((suggestion, order) => ({ suggestion, order }))
    .sort(
      (a, b) =>
        SEVERITY_RANK[a.suggestion.severity] - SEVERITY_RANK[b.suggestion.severity] ||
        a.order - b.order,
    )
    .map((entry) => entry.suggestion);
}

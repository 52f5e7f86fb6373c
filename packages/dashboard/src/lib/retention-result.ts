// Types only, without the DOM: Node tests import them too.

/** The `retention` report's result (docs/reports/retention-and-lifecycle.md#retention). */
export interface RetentionResult {
  cohortBy: 'signup' | 'first_event' | 'first_purchase';
  period: 'day' | 'week' | 'month';
  periods: number;
  value: 'retention' | 'revenue' | 'repeat_purchase';
  offsets: Array<{ offset: number; label: string }>;
  cohorts: Array<{
    label: string;
    start: string;
    size: number;
    cells: Array<{ offset: number; count: number; value: number | null; complete: boolean }>;
  }>;
  average: {
    size: number;
    cells: Array<{ offset: number; value: number | null; cohorts: number; size: number }>;
  };
}

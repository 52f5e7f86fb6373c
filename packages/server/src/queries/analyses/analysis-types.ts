import type { QueryContext } from '../context/query-context.ts';
import type { FormulaRun, Series } from '../series/aggregate-series.ts';

/** An analysis metric's computation: values per bucket (and group when it supports breakdowns). */
export type AnalysisFn = (
  ctx: QueryContext,
  params: Readonly<Record<string, number>>,
  run: FormulaRun,
) => Promise<Series>;

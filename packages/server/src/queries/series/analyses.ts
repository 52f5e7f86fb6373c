import { ERR_QUERY_INVALID, SightlineError, type AnalysisId } from '@sightline/shared';
import type { AnalysisFn } from '../analyses/analysis-types.ts';
import { computeNewUsers, computeReturningUsers } from '../analyses/first-seen.ts';
import { computeBounceRate, computeSessionLength } from '../analyses/sessions.ts';
import type { QueryContext } from '../context/query-context.ts';
import type { FormulaRun, Series } from './aggregate-series.ts';

/** Analysis metrics and the module computing each. */
const ANALYSES: Partial<Record<AnalysisId, AnalysisFn>> = {
  new_users: computeNewUsers,
  returning_users: computeReturningUsers,
  session_length: computeSessionLength,
  bounce_rate: computeBounceRate,
};

export function computeAnalysis(
  ctx: QueryContext,
  analysis: AnalysisId,
  params: Readonly<Record<string, number>>,
  run: FormulaRun,
): Promise<Series> {
  const fn = ANALYSES[analysis];
  if (!fn)
    throw new SightlineError(ERR_QUERY_INVALID, {
      reason: `analysis ${analysis} is not available`,
    });
  return fn(ctx, params, run);
}

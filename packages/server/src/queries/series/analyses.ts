import { ERR_QUERY_INVALID, SightlineError, type AnalysisId } from '@sightline/shared';
import type { AnalysisFn } from '../analyses/analysis-types.ts';
import { computeNewUsers, computeReturningUsers } from '../analyses/first-seen.ts';
import { computeBounceRate, computeSessionLength } from '../analyses/sessions.ts';
import { computeChurn } from '../analyses/churn.ts';
import { computeLtv } from '../analyses/ltv.ts';
import { computeMembershipPurchaseRate, computeRenewalRate } from '../analyses/memberships.ts';
import { computeRetention } from '../analyses/retention.ts';
import { computeCac, computeCampaignRoi } from '../analyses/acquisition.ts';
import type { QueryContext } from '../context/query-context.ts';
import type { FormulaRun, Series } from './aggregate-series.ts';

/** Analysis metrics and the module computing each. */
const ANALYSES: Record<AnalysisId, AnalysisFn> = {
  new_users: computeNewUsers,
  returning_users: computeReturningUsers,
  session_length: computeSessionLength,
  bounce_rate: computeBounceRate,
  retention: computeRetention,
  churn: computeChurn,
  ltv: computeLtv,
  membership_purchase_rate: computeMembershipPurchaseRate,
  renewal_rate: computeRenewalRate,
  cac: computeCac,
  campaign_roi: computeCampaignRoi,
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

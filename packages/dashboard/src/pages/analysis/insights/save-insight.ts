import { createInsight } from './insights-api.ts';

/** What a builder saves: its kind and the report request that reproduces it. */
export interface InsightDraft {
  name: string;
  kind: 'trends' | 'funnel' | 'retention' | 'paths';
  /** The report's request body (without the filter bar's range and filters). */
  params: Record<string, unknown>;
  /** The filter bar's state when saved, as URL query parameters. */
  filters: Record<string, string>;
}

/**
 * Saves a builder's current view as an insight; resolves with its id. Rejects with an ApiError
 * carrying the server's code (ERR_INSIGHT_PARAMS_INVALID, ERR_AUTH_FORBIDDEN for a viewer, …).
 */
export async function saveInsight(projectId: string, draft: InsightDraft): Promise<string> {
  return (await createInsight(projectId, draft)).id;
}

/** What a builder saves: its kind and the report request that reproduces it. */
export interface InsightDraft {
  name: string;
  kind: 'trends' | 'funnel' | 'retention' | 'paths';
  /** The report's request body (without the filter bar's range and filters). */
  params: Record<string, unknown>;
  /** The filter bar's state when saved, as URL query parameters. */
  filters: Record<string, string>;
}

/** Saves a builder's current view as an insight; resolves with its id. */
export function saveInsight(_projectId: string, _draft: InsightDraft): Promise<string> {
  return Promise.reject(new Error('saved insights are not available yet'));
}

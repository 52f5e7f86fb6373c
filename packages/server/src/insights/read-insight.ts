import { filtersSchema, type Filter } from '@sightline/shared';
import type { InsightsTable, MetaDb } from '../store/index.ts';
import type { InsightKind } from './insight-schemas.ts';

/** A saved insight as other domains read it (alert rules watch one live). */
export interface StoredInsight {
  id: string;
  projectId: string;
  name: string;
  kind: InsightKind;
  params: Record<string, unknown>;
  filters: Record<string, string>;
  updatedAt: number;
}

/** A stored row as its fields: the JSON columns parsed. */
export function toStoredInsight(row: InsightsTable): StoredInsight {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    kind: row.kind as InsightKind,
    params: JSON.parse(row.params) as Record<string, unknown>,
    filters: JSON.parse(row.filters) as Record<string, string>,
    updatedAt: row.updated_at,
  };
}

/** The saved insight of this project, or null when there is none by that id. */
export async function readInsight(
  db: MetaDb,
  projectId: string,
  insightId: string,
): Promise<StoredInsight | null> {
  const row = await db
    .selectFrom('insights')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('id', '=', insightId)
    .executeTakeFirst();
  return row ? toStoredInsight(row) : null;
}

/** The filter bar's dimensions, as the dashboard keeps them in the URL (lib/filters.ts). */
const FILTER_BAR_DIMENSIONS = [
  'channel',
  'province',
  'platform',
  'app',
  'feature',
  'app_version',
] as const;

export interface InsightScope {
  filters: Filter[];
  segmentId: string | null;
}

/**
 * The filters and segment an insight's report runs with when it is opened: its filter bar
 * (`channel=a,b` → channel in [a, b], `segment`) over the params' own `filters` / `segmentId`,
 * the way the dashboard lays the filter bar over the saved request. The range and comparisons
 * of the filter bar are left out: whoever runs it says over which period.
 */
export function getInsightScope(insight: Pick<StoredInsight, 'params' | 'filters'>): InsightScope {
  const bar: Filter[] = FILTER_BAR_DIMENSIONS.flatMap((dimension) => {
    const values = (insight.filters[dimension] ?? '').split(',').filter(Boolean);
    return values.length > 0 ? [{ dimension, op: 'in' as const, value: values }] : [];
  });
  // Checked when the insight was saved; parsed again since the column is only JSON text.
  const own = filtersSchema.safeParse(insight.params.filters ?? []).data ?? [];
  const segment = insight.filters.segment || null;
  const ownSegment = typeof insight.params.segmentId === 'string' ? insight.params.segmentId : null;
  return { filters: bar.length > 0 ? bar : own, segmentId: segment ?? ownSegment };
}

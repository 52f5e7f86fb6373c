import { api } from '../../lib/api.ts';

/**
 * The review queue of business anomalies (packages/server/src/anomalies/anomaly-routes.ts) under
 * /api/v1/projects/:projectId/anomalies, typed as its answers are.
 */

export const FINDING_KINDS = [
  'order_burst',
  'large_first_order',
  'shared_address',
  'amount_outlier',
  'low_stock',
  'slow_mover',
  'restock_outlier',
  'stock_shrinkage',
  'late_restock',
  'self_dealing',
  'commission_ratio_outlier',
  'negative_margin',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const REVIEW_STATES = ['open', 'confirmed', 'dismissed'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export interface Finding {
  id: string;
  projectId: string;
  kind: FindingKind;
  dedupKey: string;
  severity: 'high' | 'medium' | 'low';
  /** The detector's own words (English). */
  summary: string;
  /** The detector's row: order ids, accounts, amounts (fen), ratios (0..1), … by kind. */
  evidence: Record<string, unknown>;
  occurredAt: number;
  detectedAt: number;
  lastSeenAt: number;
  state: ReviewState;
  reviewedBy: string | null;
  reviewedAt: number | null;
  reviewNote: string | null;
}

const base = (projectId: string) => `/api/v1/projects/${encodeURIComponent(projectId)}/anomalies`;

export const anomaliesApi = {
  list: (projectId: string, filter: { state?: ReviewState; kind?: FindingKind }, limit = 500) => {
    const query = new URLSearchParams({ limit: String(limit) });
    if (filter.state) query.set('state', filter.state);
    if (filter.kind) query.set('kind', filter.kind);
    return api<{ findings: Finding[] }>(`${base(projectId)}?${query.toString()}`).then(
      (answer) => answer.findings,
    );
  },
  get: (projectId: string, findingId: string) =>
    api<Finding>(`${base(projectId)}/${encodeURIComponent(findingId)}`),
  review: (projectId: string, findingId: string, state: ReviewState, note: string) =>
    api<Finding>(`${base(projectId)}/${encodeURIComponent(findingId)}/review`, {
      body: note ? { state, note } : { state },
    }),
  scan: (projectId: string) =>
    api<{ findings: Finding[] }>(`${base(projectId)}/scan`, { body: {} }).then(
      (answer) => answer.findings,
    ),
};

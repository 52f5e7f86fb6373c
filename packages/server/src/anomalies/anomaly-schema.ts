import { z } from 'zod';

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

export const SEVERITIES = ['high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What a detector reports; the store adds identity, times and review state. */
export interface FindingDraft {
  kind: FindingKind;
  /** Stable identity of the evidence (kind + what it is about): stored once per project. */
  dedupKey: string;
  severity: Severity;
  summary: string;
  /** Epoch ms of the first fact of the evidence. */
  occurredAt: number;
  evidence: Record<string, unknown>;
}

export const findingSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  kind: z.enum(FINDING_KINDS),
  dedupKey: z.string(),
  severity: z.enum(SEVERITIES),
  summary: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  occurredAt: z.number().describe('Epoch ms of the first fact of the evidence'),
  detectedAt: z.number().describe('Epoch ms of the scan that first found it'),
  lastSeenAt: z.number().describe('Epoch ms of the latest scan that found it'),
  state: z.enum(REVIEW_STATES),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.number().nullable(),
  reviewNote: z.string().nullable(),
});
export type Finding = z.infer<typeof findingSchema>;

export const reviewInputSchema = z.object({
  state: z.enum(REVIEW_STATES),
  note: z.string().max(2000).optional(),
});
export type ReviewInput = z.infer<typeof reviewInputSchema>;

export const listFindingsQuerySchema = z.object({
  state: z.enum(REVIEW_STATES).optional(),
  kind: z.enum(FINDING_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ListFindingsQuery = z.infer<typeof listFindingsQuerySchema>;

/** The table of migration 0009_anomalies; a type alias for Kysely's withTables. */
export type AnomalyTables = {
  anomaly_findings: AnomalyFindingsTable;
};

export interface AnomalyFindingsTable {
  id: string;
  project_id: string;
  kind: string;
  dedup_key: string;
  severity: string;
  summary: string;
  /** JSON object. */
  evidence: string;
  occurred_at: number;
  detected_at: number;
  last_seen_at: number;
  /** open | confirmed | dismissed */
  state: string;
  /** user:<id> | token:<id> of the latest review. */
  reviewed_by: string | null;
  reviewed_at: number | null;
  review_note: string | null;
}

import { EVENT_TYPES, filterSchema, queryRequestShape } from '@sightline/shared';
import { z } from 'zod';
import { REPORTS, ROW_SOURCES } from '../queries/index.ts';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_STATUSES = [
  'queued',
  'running',
  'done',
  'failed',
  'canceled',
  'expired',
] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** A report request is checked against the report's own schema; this only bounds its size. */
export const MAX_REPORT_REQUEST_CHARS = 16_000;
const MAX_COLUMNS = 64;
const REPORT_IDS = REPORTS.map((report) => report.id) as [string, ...string[]];

const rowsSourceSchema = z.object({
  kind: z.literal('rows'),
  source: z.enum(ROW_SOURCES).describe('events (the event explorer) or orders (order facts)'),
  range: queryRequestShape.range,
  from: queryRequestShape.from,
  to: queryRequestShape.to,
  filters: queryRequestShape.filters,
  segmentId: queryRequestShape.segmentId,
  columns: z
    .array(z.string().min(1).max(64))
    .min(1)
    .max(MAX_COLUMNS)
    .optional()
    .describe("Columns in this order (see the docs' column list); the source's defaults if absent"),
  eventTypes: z
    .array(z.enum(EVENT_TYPES))
    .min(1)
    .max(EVENT_TYPES.length)
    .optional()
    .describe('events only: keep these event types'),
});

const reportSourceSchema = z.object({
  kind: z.literal('report'),
  report: z.enum(REPORT_IDS).describe('A report id, as in POST …/reports/<report>'),
  request: z
    .record(z.string(), z.unknown())
    .default({})
    .refine((request) => JSON.stringify(request).length <= MAX_REPORT_REQUEST_CHARS, {
      message: `at most ${MAX_REPORT_REQUEST_CHARS} characters of JSON`,
    })
    .describe("The report's request body (range, filters and the report's own parameters)"),
});

export const exportSourceSchema = z.discriminatedUnion('kind', [
  rowsSourceSchema,
  reportSourceSchema,
]);
export type ExportSource = z.infer<typeof exportSourceSchema>;
export type RowsExportSource = z.infer<typeof rowsSourceSchema>;
export type ReportExportSource = z.infer<typeof reportSourceSchema>;

export const createExportSchema = z.object({
  format: z.enum(EXPORT_FORMATS).default('csv'),
  source: exportSourceSchema,
});
export type CreateExportInput = z.infer<typeof createExportSchema>;

/** What a job stores about its source: the request, with its range resolved at creation. */
export type StoredExportSource = ExportSource & { resolved: { from: string; to: string } };

export const exportJobSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  createdBy: z.object({
    actor: z.string().describe('user:<id> or token:<id>, as in the audit log'),
    label: z.string().describe('Email of a user, name of a token'),
  }),
  source: z.record(z.string(), z.unknown()).describe('What was asked, range resolved'),
  rowScope: z.array(filterSchema).describe("The creator's row-level scope, applied to the rows"),
  format: z.enum(EXPORT_FORMATS),
  status: z.enum(EXPORT_STATUSES),
  progress: z.object({
    rowsWritten: z.number(),
    rowsTotal: z.number().nullable().describe('Known once the job has started'),
    fraction: z.number().nullable().describe('0..1; 1 when done'),
  }),
  bytes: z.number().nullable().describe('File size once done'),
  fileName: z.string().describe('The name the file downloads under'),
  watermark: z.string().describe('The line written into the file: project, who, when, what'),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAt: z.number().describe('Epoch ms'),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  expiresAt: z.number().describe('Epoch ms: the file and its links stop working then'),
});
export type ExportJob = z.infer<typeof exportJobSchema>;

export const exportLinkSchema = z.object({
  id: z.string(),
  exportId: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
  downloadCount: z.number(),
});
export type ExportLink = z.infer<typeof exportLinkSchema>;

/** The tables of migration 0011_exports; a type alias for Kysely's withTables. */
export type ExportTables = {
  export_jobs: ExportJobsTable;
  export_links: ExportLinksTable;
};

export interface ExportJobsTable {
  id: string;
  project_id: string;
  created_by: string;
  /** user:<id> | token:<id> */
  actor: string;
  actor_label: string;
  /** JSON StoredExportSource. */
  source: string;
  /** JSON Filter[]. */
  row_scope: string;
  format: string;
  status: string;
  rows_written: number;
  rows_total: number | null;
  bytes: number | null;
  file_path: string | null;
  file_name: string;
  watermark: string;
  error_code: string | null;
  error_message: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  expires_at: number;
}

export interface ExportLinksTable {
  id: string;
  token_hash: string;
  job_id: string;
  /** user:<id> | token:<id> */
  created_by: string;
  created_at: number;
  expires_at: number;
  download_count: number;
  last_download_at: number | null;
}

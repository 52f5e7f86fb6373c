import type {
  ChangeExplanation,
  ContributionItem,
  ReportCell,
  ReportChart,
  ReportColumn,
  ReportDiagnosis,
  ReportDocument,
  ReportKind,
  ReportKpi,
  ReportLocale,
  ReportPeriod,
  ReportSection,
  ReportSuggestion,
  ValueUnit,
} from '@sightline/shared';
import { api, ApiError } from '../../lib/api.ts';

export type {
  ChangeExplanation,
  ContributionItem,
  ReportCell,
  ReportChart,
  ReportColumn,
  ReportDiagnosis,
  ReportDocument,
  ReportKind,
  ReportKpi,
  ReportLocale,
  ReportPeriod,
  ReportSection,
  ReportSuggestion,
  ValueUnit,
};

/**
 * The scheduled-reports API (report-definitions, report-runs) and the background exports API
 * (exports), as this page calls them. Shapes follow packages/server/src/reports/report-run-routes.ts,
 * the shared report document (packages/shared/src/reports) and exports/export-schema.ts.
 */

// Values, not only types: the page imports nothing but types from shared (no zod in the bundle).
export const REPORT_KINDS = ['daily', 'weekly', 'monthly'] as const satisfies readonly ReportKind[];
export const REPORT_LOCALES = ['zh-CN', 'en'] as const satisfies readonly ReportLocale[];
export const REPORT_SECTIONS = [
  'orders',
  'users',
  'retention',
  'products',
  'agents',
  'commissions',
  'tasks',
  'api',
  'alerts',
] as const;
export type ReportSectionId = (typeof REPORT_SECTIONS)[number];
export const REPORT_FORMATS = ['xlsx', 'html', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportDefinition {
  projectId: string;
  kind: ReportKind;
  enabled: boolean;
  sendTime: string;
  locale: ReportLocale;
  sections: ReportSectionId[];
  recipients: string[];
  channelIds: string[];
  formats: ReportFormat[];
  lastScheduledAt: number | null;
  updatedBy: string;
  updatedAt: number;
}
export type ReportDefinitionInput = Pick<
  ReportDefinition,
  'enabled' | 'sendTime' | 'locale' | 'sections' | 'recipients' | 'channelIds' | 'formats'
>;

export type RunStatus = 'queued' | 'running' | 'done' | 'failed';
export interface ReportRun {
  id: string;
  projectId: string;
  kind: ReportKind;
  periodStart: string;
  periodEnd: string;
  locale: string;
  trigger: string;
  requestedBy: string;
  deliver: boolean;
  status: RunStatus;
  stage: string | null;
  error: string | null;
  headline: ReportKpi[] | null;
  files: Array<{ format: ReportFormat; bytes: number }>;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  durationMs: number | null;
  supersededBy: string | null;
  url: string;
}

export interface ReportDelivery {
  id: string;
  runId: string;
  targetKind: 'email' | 'channel';
  target: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}

export interface NotificationChannel {
  id: string;
  name: string;
  kind: string;
  enabled: boolean;
}

export type ExportStatus = 'queued' | 'running' | 'done' | 'failed' | 'canceled' | 'expired';
export interface ExportJob {
  id: string;
  projectId: string;
  createdBy: { actor: string; label: string };
  source: Record<string, unknown>;
  format: 'csv' | 'xlsx';
  status: ExportStatus;
  progress: { rowsWritten: number; rowsTotal: number | null; fraction: number | null };
  bytes: number | null;
  fileName: string;
  watermark: string;
  error: { code: string; message: string } | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  expiresAt: number;
}
export interface CreatedExportLink {
  link: { id: string; exportId: string; createdAt: number; expiresAt: number };
  token: string;
  path: string;
}

const part = encodeURIComponent;
const projectBase = (projectId: string) => `/api/v1/projects/${part(projectId)}`;
const runBase = (projectId: string, runId: string) =>
  `${projectBase(projectId)}/report-runs/${part(runId)}`;
const exportBase = (projectId: string, exportId: string) =>
  `${projectBase(projectId)}/exports/${part(exportId)}`;

/** Anything a request threw, as an ApiError the page can put in words. */
export function asApiError(caught: unknown): ApiError {
  return caught instanceof ApiError ? caught : new ApiError(0, 'NETWORK', String(caught));
}

export const reportsApi = {
  definitions: (projectId: string) =>
    api<{ definitions: ReportDefinition[] }>(`${projectBase(projectId)}/report-definitions`).then(
      (answer) => answer.definitions,
    ),
  saveDefinition: (projectId: string, kind: ReportKind, input: ReportDefinitionInput) =>
    api<ReportDefinition>(`${projectBase(projectId)}/report-definitions/${kind}`, {
      method: 'PUT',
      body: input,
    }),
  channels: (projectId: string) =>
    api<{ channels: NotificationChannel[] }>(`${projectBase(projectId)}/alerts/channels`).then(
      (answer) => answer.channels,
    ),

  runs: (projectId: string, limit = 100) =>
    api<{ runs: ReportRun[] }>(`${projectBase(projectId)}/report-runs?limit=${limit}`).then(
      (answer) => answer.runs,
    ),
  run: (projectId: string, runId: string) => api<ReportRun>(runBase(projectId, runId)),
  generate: (
    projectId: string,
    input: { kind: ReportKind; date?: string; deliver?: boolean; locale?: ReportLocale },
  ) => api<ReportRun>(`${projectBase(projectId)}/report-runs`, { body: input }),
  document: (projectId: string, runId: string) =>
    api<ReportDocument>(`${runBase(projectId, runId)}/document`),
  deliveries: (projectId: string, runId: string) =>
    api<{ deliveries: ReportDelivery[] }>(`${runBase(projectId, runId)}/deliveries`).then(
      (answer) => answer.deliveries,
    ),
  /** Where a report file downloads (with the session cookie); `inline` opens it in a tab. */
  fileUrl: (projectId: string, runId: string, format: ReportFormat, inline = false) =>
    `${runBase(projectId, runId)}/files/${format}${inline ? '?inline=1' : ''}`,

  exports: (projectId: string) =>
    api<{ exports: ExportJob[] }>(`${projectBase(projectId)}/exports`).then(
      (answer) => answer.exports,
    ),
  cancelExport: (projectId: string, exportId: string) =>
    api<ExportJob>(`${exportBase(projectId, exportId)}/cancel`, { method: 'POST' }),
  deleteExport: (projectId: string, exportId: string) =>
    api<void>(exportBase(projectId, exportId), { method: 'DELETE' }),
  exportLink: (projectId: string, exportId: string, expiresInHours: number) =>
    api<CreatedExportLink>(`${exportBase(projectId, exportId)}/links`, {
      body: { expiresInHours },
    }),
  exportFileUrl: (projectId: string, exportId: string) => `${exportBase(projectId, exportId)}/file`,
};

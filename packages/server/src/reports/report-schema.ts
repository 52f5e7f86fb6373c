import { z } from 'zod';
import { REPORT_KINDS, REPORT_LOCALES, type ReportKind } from './report-document.ts';

/** The sections a report can carry, in the order they appear. */
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

/** When each kind goes out by default: the daily report is in inboxes before 08:30. */
export const DEFAULT_SEND_TIMES: Readonly<Record<ReportKind, string>> = {
  daily: '08:00',
  weekly: '08:30',
  monthly: '09:00',
};

const sendTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:MM (24-hour)')
  .describe("Local time in the project's time zone, HH:MM");

/** A definition as the API accepts it; the kind comes from the path. */
export const reportDefinitionInputSchema = z.object({
  enabled: z.boolean(),
  sendTime,
  locale: z.enum(REPORT_LOCALES),
  sections: z.array(z.enum(REPORT_SECTIONS)).min(1).max(REPORT_SECTIONS.length),
  recipients: z
    .array(z.email().max(254))
    .max(50)
    .describe('Email addresses; each gets the HTML report with the XLSX attached'),
  channelIds: z
    .array(z.string().min(1).max(64))
    .max(10)
    .describe("The project's notification channels (DingTalk, Feishu, WeCom…) for a summary"),
  formats: z
    .array(z.enum(REPORT_FORMATS))
    .min(1)
    .max(REPORT_FORMATS.length)
    .describe('Files kept in the archive; xlsx and html are always made for email'),
});
export type ReportDefinitionInput = z.infer<typeof reportDefinitionInputSchema>;

export interface ReportDefinition extends ReportDefinitionInput {
  projectId: string;
  kind: ReportKind;
  /** Epoch ms of the scheduled send last acted on. */
  lastScheduledAt: number | null;
  updatedBy: string;
  updatedAt: number;
}

export const REPORT_RUN_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ReportRunStatus = (typeof REPORT_RUN_STATUSES)[number];

export const REPORT_TRIGGERS = ['schedule', 'manual', 'cli'] as const;
export type ReportTrigger = (typeof REPORT_TRIGGERS)[number];

export const generateReportInputSchema = z.object({
  kind: z.enum(REPORT_KINDS),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .describe(
      'Any local date inside the period (the day, its Monday-to-Sunday week, its month); ' +
        'default: the last complete period',
    ),
  deliver: z
    .boolean()
    .default(false)
    .describe("Also send it to the definition's recipients and channels"),
  locale: z.enum(REPORT_LOCALES).optional().describe("Default: the definition's"),
});
export type GenerateReportInput = z.infer<typeof generateReportInputSchema>;

export function defaultDefinitionInput(kind: ReportKind): ReportDefinitionInput {
  return {
    enabled: false,
    sendTime: DEFAULT_SEND_TIMES[kind],
    locale: 'zh-CN',
    sections: [...REPORT_SECTIONS],
    recipients: [],
    channelIds: [],
    formats: ['xlsx', 'html', 'pdf'],
  };
}

/** Tables of migration 0010_reports, for Kysely's withTables. */
export type ReportTables = {
  report_definitions: ReportDefinitionsTable;
  report_runs: ReportRunsTable;
  report_deliveries: ReportDeliveriesTable;
};

export interface ReportDefinitionsTable {
  project_id: string;
  kind: string;
  enabled: number;
  send_time: string;
  locale: string;
  /** JSON arrays. */
  sections: string;
  recipients: string;
  channel_ids: string;
  formats: string;
  last_scheduled_at: number | null;
  updated_by: string;
  updated_at: number;
}

export interface ReportRunsTable {
  id: string;
  project_id: string;
  kind: string;
  period_start: string;
  period_end: string;
  locale: string;
  trigger: string;
  requested_by: string;
  deliver: number;
  status: string;
  /** What a running generation is doing, for progress. */
  stage: string | null;
  error: string | null;
  /** JSON: the headline KPIs, for the archive list. */
  headline: string | null;
  /** JSON: [{ format, file, bytes }]. */
  files: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  duration_ms: number | null;
  superseded_by: string | null;
}

export interface ReportDeliveriesTable {
  id: string;
  run_id: string;
  project_id: string;
  /** email | channel */
  target_kind: string;
  /** Email addresses (comma-joined) or a channel id. */
  target: string;
  /** pending | sent | failed */
  status: string;
  attempts: number;
  next_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

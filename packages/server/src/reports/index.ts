export {
  createReports,
  MAX_QUEUED_REPORTS,
  type Reports,
  type ReportsOptions,
} from './create-reports.ts';
export { registerReportRunRoutes, type ReportRunRoutesDeps } from './report-run-routes.ts';
export { reportsMigration } from './reports-migration.ts';
export {
  REPORT_KINDS,
  REPORT_LOCALES,
  type ReportDocument,
  type ReportKind,
  type ReportLocale,
} from './report-document.ts';
export {
  DEFAULT_SEND_TIMES,
  defaultDefinitionInput,
  generateReportInputSchema,
  REPORT_FORMATS,
  REPORT_SECTIONS,
  type ReportDefinition,
  type ReportDefinitionInput,
  type ReportFormat,
} from './report-schema.ts';
export type { ReportRun } from './run-store.ts';
export { getLastCompletePeriod, getReportPeriod } from './report-periods.ts';

// The report model lives in shared (the dashboard shows the same document); one import path
// for the reports domain.
export {
  REPORT_KINDS,
  REPORT_LOCALES,
  type ChangeExplanation,
  type ContributionItem,
  type ReportCell,
  type ReportChart,
  type ReportColumn,
  type ReportDiagnosis,
  type ReportDocument,
  type ReportKind,
  type ReportKpi,
  type ReportLocale,
  type ReportPeriod,
  type ReportSection,
  type ReportSuggestion,
  type ReportTable,
  type ValueUnit,
} from '@sightline/shared';

export { buildReportContent, MAX_CONCURRENT_QUERIES } from './build-report-content.ts';
export { HEADLINE_METRICS } from './build-headline.ts';
export type {
  AlertHistoryReader,
  AlertHistoryRow,
  ReportContent,
  ReportContentDeps,
  ReportContentParams,
} from './content-types.ts';

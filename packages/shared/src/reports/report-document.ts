/**
 * What a generated scheduled report says, independent of its format: the server's generator
 * builds it from the query layer, its XLSX, HTML (email), PDF and chat renderers only lay it out,
 * and the dashboard shows it as served by GET …/report-runs/:runId/document. Every number here is
 * a query-layer answer, so a report and the dashboard never disagree.
 */

export const REPORT_KINDS = ['daily', 'weekly', 'monthly'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const REPORT_LOCALES = ['zh-CN', 'en'] as const;
export type ReportLocale = (typeof REPORT_LOCALES)[number];

/** How a value is formatted in every output (XLSX number format, text, chart axis). */
export type ValueUnit =
  'count' | 'users' | 'currency' | 'ratio' | 'ms' | 'seconds' | 'number' | 'text' | 'date';

/** A period in the project's zone: [from, to) as epoch ms, and its local dates. */
export interface ReportPeriod {
  from: number;
  to: number;
  /** First local date, YYYY-MM-DD. */
  startDate: string;
  /** Last local date (inclusive), YYYY-MM-DD. */
  endDate: string;
}

export interface ReportKpi {
  metric: string;
  /** Already in the report's language. */
  name: string;
  unit: ValueUnit;
  value: number | null;
  /** The previous period (环比). */
  previous: number | null;
  /** The same period last year (同比). */
  lastYear: number | null;
  higherIsBetter: boolean;
}

export interface ReportColumn {
  key: string;
  /** Already in the report's language. */
  label: string;
  unit: ValueUnit;
}

export type ReportCell = string | number | null;

export interface ReportTable {
  columns: ReportColumn[];
  rows: ReportCell[][];
}

export interface ReportChart {
  id: string;
  title: string;
  kind: 'line' | 'bar' | 'pie';
  unit: ValueUnit;
  /** x-axis labels (line, bar) or slice names (pie). */
  categories: string[];
  series: Array<{ name: string; values: Array<number | null> }>;
}

export interface ReportSection {
  /** Stable id: also the XLSX sheet's key, e.g. "orders". */
  id: string;
  title: string;
  /** One or two sentences above the table, in the report's language. */
  summary?: string;
  table: ReportTable;
  chart?: ReportChart;
}

/** One segment's part of a headline change (contribution analysis). */
export interface ContributionItem {
  dimension: string;
  /** Already in the report's language, e.g. "渠道". */
  dimensionName: string;
  /** The segment's key, e.g. "douyin"; "$other" for the rest. */
  segment: string;
  current: number | null;
  previous: number | null;
  /** This segment's part of the total change, in the metric's unit. */
  contribution: number;
  /** contribution / total change; the items of one dimension sum to 1. */
  share: number;
}

export interface ChangeExplanation {
  metric: string;
  metricName: string;
  unit: ValueUnit;
  current: number | null;
  previous: number | null;
  change: number | null;
  /** The dimension whose few segments explain the most of the change. */
  dimension: string | null;
  /** The segments that explain most of the change, largest share first. */
  drivers: ContributionItem[];
  /** One sentence, in the report's language, with the same numbers as above. */
  text: string;
}

export interface ReportSuggestion {
  /** The rule that produced it, e.g. "refund_spike_product". */
  rule: string;
  severity: 'info' | 'warning' | 'critical';
  text: string;
}

export interface ReportDiagnosis {
  /** Order mix, new vs returning revenue, cohort health: one finding per line. */
  findings: Array<{ topic: string; text: string }>;
  /** Next month's action items. */
  actions: string[];
}

export interface ReportDocument {
  kind: ReportKind;
  locale: ReportLocale;
  project: { id: string; name: string };
  timeZone: string;
  /** The report's title, e.g. "Daily report · 2026-11-20". */
  title: string;
  period: ReportPeriod;
  previousPeriod: ReportPeriod;
  lastYearPeriod: ReportPeriod;
  /** Epoch ms. */
  generatedAt: number;
  headline: ReportKpi[];
  explanations: ChangeExplanation[];
  suggestions: ReportSuggestion[];
  /** Monthly reports only. */
  diagnosis: ReportDiagnosis | null;
  sections: ReportSection[];
  /** Link back to the dashboard for this period. */
  dashboardUrl: string;
}

import type { QueryCache } from '../../queries/index.ts';
import type { EventStore } from '../../store/index.ts';
import type {
  ReportKind,
  ReportKpi,
  ReportLocale,
  ReportPeriod,
  ReportSection,
} from '../report-document.ts';
import type { ReportSectionId } from '../report-schema.ts';
import type { ContentTexts } from './content-texts.ts';
import type { ContentRunner } from './create-content-runner.ts';

/**
 * One alert transition as the alert center's history gives it (`center.history`): only the
 * fields the alerts section reads, so the caller can pass that function bound as it is.
 */
export interface AlertHistoryRow {
  id: number;
  alertId: string;
  /** Epoch ms. */
  at: number;
  /** `transition`, `acknowledged`, `unacknowledged`, `comment`. */
  kind: string;
  fromState: string | null;
  toState: string | null;
  value: number | null;
  /** The alert's labels; `alertname` and `severity` name its rule and severity. */
  labels?: Record<string, string> | undefined;
}

/** The alert history of a project in [from, to) (epoch ms), newest first or in any order. */
export type AlertHistoryReader = (
  projectId: string,
  range: { from: number; to: number },
) => Promise<AlertHistoryRow[]>;

export interface ReportContentDeps {
  eventStore: EventStore;
  queryCache: QueryCache;
  /** Epoch ms: when the report is generated (cells of cohorts that have not ended are empty). */
  now: number;
  alertHistory: AlertHistoryReader;
}

export interface ReportContentParams {
  project: { id: string; name: string; timeZone: string };
  kind: ReportKind;
  period: ReportPeriod;
  /** The calendar period before: the day, week or month before. */
  previousPeriod: ReportPeriod;
  /** The same dates a year earlier (what the kpis report's compare "year" reads). */
  lastYearPeriod: ReportPeriod;
  locale: ReportLocale;
  /** Built in REPORT_SECTIONS order whatever the order here; duplicates are ignored. */
  sections: readonly ReportSectionId[];
}

export interface ReportContent {
  headline: ReportKpi[];
  sections: ReportSection[];
}

/** What a section builder gets: the params, its language's texts and the query runner. */
export interface SectionContext {
  params: ReportContentParams;
  texts: ContentTexts;
  runner: ContentRunner;
  alertHistory: AlertHistoryReader;
}

export type SectionBuilder = (ctx: SectionContext) => Promise<ReportSection>;

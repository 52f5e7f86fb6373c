import type { AlertHistoryReader } from './content/index.ts';
import { buildReportContent } from './content/index.ts';
import {
  collectSuggestionSignals,
  diagnoseMonth,
  explainChange,
  suggestActions,
} from './explain/index.ts';
import { createQueryContext, duckDbDialect, type QueryCache } from '../queries/index.ts';
import type { EventStore } from '../store/index.ts';
import type {
  ChangeExplanation,
  ReportDocument,
  ReportKind,
  ReportLocale,
  ReportPeriod,
} from './report-document.ts';
import { getLastYearPeriod, getPreviousPeriod } from './report-periods.ts';
import type { ReportSectionId } from './report-schema.ts';

/** Headline metrics whose change the report explains, in this order. */
export const EXPLAINED_METRICS = ['gmv', 'orders', 'new_users', 'refund_amount'] as const;
/** Dimensions searched for the segments behind a change (those a metric lacks are skipped). */
export const EXPLAIN_DIMENSIONS = [
  'channel',
  'province',
  'platform',
  'product_type',
  'refund_reason',
  'agent',
  'feature',
] as const;

const KIND_NAMES: Readonly<Record<ReportLocale, Record<ReportKind, string>>> = {
  'zh-CN': { daily: '日报', weekly: '周报', monthly: '月报' },
  en: { daily: 'Daily report', weekly: 'Weekly report', monthly: 'Monthly report' },
};

export interface BuildReportDocumentDeps {
  eventStore: EventStore;
  queryCache: QueryCache;
  alertHistory: AlertHistoryReader;
  /** Base of links back to the dashboard. */
  publicUrl: string;
  now: number;
}

export interface BuildReportDocumentParams {
  project: { id: string; name: string; timeZone: string };
  kind: ReportKind;
  period: ReportPeriod;
  locale: ReportLocale;
  sections: readonly ReportSectionId[];
  /** Called as the work moves on, for the run's progress. */
  onStage?: (stage: string) => Promise<void>;
}

export function describeReportTitle(
  kind: ReportKind,
  period: ReportPeriod,
  locale: ReportLocale,
  projectName: string,
): string {
  const dates =
    kind === 'daily'
      ? period.startDate
      : kind === 'monthly'
        ? period.startDate.slice(0, 7)
        : `${period.startDate} – ${period.endDate}`;
  return `${projectName} · ${KIND_NAMES[locale][kind]} · ${dates}`;
}

/**
 * Everything a report says, from the query layer only: headline and sections (content/), the
 * explanation of each headline change, suggestions and, monthly, the structure diagnosis.
 */
export async function buildReportDocument(
  deps: BuildReportDocumentDeps,
  params: BuildReportDocumentParams,
): Promise<ReportDocument> {
  const { project, kind, period, locale } = params;
  const zone = project.timeZone;
  const previousPeriod = getPreviousPeriod(kind, period, zone);
  const lastYearPeriod = getLastYearPeriod(period, zone);
  const stage = params.onStage ?? (() => Promise.resolve());

  await stage('content');
  const content = await buildReportContent(
    {
      eventStore: deps.eventStore,
      queryCache: deps.queryCache,
      now: deps.now,
      alertHistory: deps.alertHistory,
    },
    {
      project,
      kind,
      period,
      previousPeriod,
      lastYearPeriod,
      locale,
      sections: [...params.sections],
    },
  );

  await stage('explanations');
  const ctx = createQueryContext({
    store: deps.eventStore,
    dialect: duckDbDialect,
    projectId: project.id,
    timeZone: zone,
    from: period.from,
    to: period.to,
    granularity: 'all',
    now: deps.now,
  });
  const previous = { from: previousPeriod.from, to: previousPeriod.to };
  const explanations: ChangeExplanation[] = [];
  // One at a time: each is a handful of breakdown queries already, on a 2-core machine.
  for (const metric of EXPLAINED_METRICS)
    explanations.push(
      await explainChange(ctx, { metric, previous, dimensions: EXPLAIN_DIMENSIONS, locale }),
    );
  const signals = await collectSuggestionSignals(ctx, previous);
  const suggestions = suggestActions({ locale, explanations, signals });
  const diagnosis = kind === 'monthly' ? await diagnoseMonth(ctx, { previous, locale }) : null;

  const query = new URLSearchParams({ from: period.startDate, to: period.endDate });
  return {
    kind,
    locale,
    project: { id: project.id, name: project.name },
    timeZone: zone,
    title: describeReportTitle(kind, period, locale, project.name),
    period,
    previousPeriod,
    lastYearPeriod,
    generatedAt: deps.now,
    headline: content.headline,
    explanations,
    suggestions,
    diagnosis,
    sections: content.sections,
    dashboardUrl: `${deps.publicUrl}/p/${encodeURIComponent(project.id)}/overview?${query.toString()}`,
  };
}

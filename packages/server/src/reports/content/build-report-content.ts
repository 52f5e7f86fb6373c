import { REPORT_SECTIONS } from '../report-schema.ts';
import { buildHeadline } from './build-headline.ts';
import { getContentTexts } from './content-texts.ts';
import type { ReportContent, ReportContentDeps, ReportContentParams } from './content-types.ts';
import { createContentRunner } from './create-content-runner.ts';
import { SECTION_BUILDERS } from './section-registry.ts';

/**
 * Query-layer reports under way at once for one report: the store has four read connections and
 * the reference machine two cores, and a report already runs several queries side by side.
 */
export const MAX_CONCURRENT_QUERIES = 4;

/**
 * The headline KPIs and the asked-for sections of a scheduled report. Every number is a query
 * layer answer to a request of the query API's form (`from`/`to` the period's local dates,
 * project-wide), so the report, the dashboard and the API agree for the same range.
 */
export async function buildReportContent(
  deps: ReportContentDeps,
  params: ReportContentParams,
): Promise<ReportContent> {
  const runner = createContentRunner({
    eventStore: deps.eventStore,
    queryCache: deps.queryCache,
    now: deps.now,
    project: params.project,
    maxConcurrent: MAX_CONCURRENT_QUERIES,
  });
  const ctx = {
    params,
    texts: getContentTexts(params.locale),
    runner,
    alertHistory: deps.alertHistory,
  };
  const wanted = REPORT_SECTIONS.filter((id) => params.sections.includes(id));
  const [headline, sections] = await Promise.all([
    buildHeadline(runner, params),
    Promise.all(wanted.map((id) => SECTION_BUILDERS[id](ctx))),
  ]);
  return { headline, sections };
}

import type { FastifyBaseLogger } from 'fastify';
import type { AuditLog } from '../audit/index.ts';
import type { Clock } from '../platform/index.ts';
import type { ProjectService } from '../projects/index.ts';
import type { QueryCache } from '../queries/index.ts';
import type { EventStore } from '../store/index.ts';
import { buildReportDocument } from './build-report-document.ts';
import type { AlertHistoryReader } from './content/index.ts';
import type { DefinitionService } from './definition-service.ts';
import type { ReportDelivery } from './deliver-reports.ts';
import type { ReportFiles } from './report-files.ts';
import { getReportPeriod } from './report-periods.ts';
import type { ReportFile, ReportRun, RunStore } from './run-store.ts';

export interface GenerateReportRunDeps {
  runs: RunStore;
  files: ReportFiles;
  definitions: DefinitionService;
  deliveries: ReportDelivery;
  projects: Pick<ProjectService, 'get'>;
  eventStore: EventStore;
  queryCache: QueryCache;
  alertHistory: AlertHistoryReader;
  audit: AuditLog;
  clock: Clock;
  logger: FastifyBaseLogger;
  publicUrl: string;
  chromiumPath: string;
  documentFile(run: ReportRun): string;
  onGenerated?: (kind: string, ok: boolean, seconds: number) => void;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Generates one queued run: the document from the query layer, then its files (the document
 * itself as JSON for deliveries and re-rendering, XLSX, HTML with embedded charts, and PDF when
 * the definition wants it), then queues its deliveries when asked to deliver. A failure marks the
 * run failed with the reason; a PDF that cannot be printed only drops the PDF.
 */
export async function generateReportRun(deps: GenerateReportRunDeps, queued: ReportRun) {
  const { runs, files, clock, logger } = deps;
  const startedAt = clock.now();
  await runs.start(queued.id);
  const run: ReportRun = { ...queued, status: 'running', startedAt };
  try {
    const project = await deps.projects.get(run.projectId);
    const definition = await deps.definitions.get(run.projectId, run.kind);
    const doc = await buildReportDocument(
      {
        eventStore: deps.eventStore,
        queryCache: deps.queryCache,
        alertHistory: deps.alertHistory,
        publicUrl: deps.publicUrl,
        now: clock.now(),
      },
      {
        project: { id: project.id, name: project.name, timeZone: project.timeZone },
        kind: run.kind,
        period: getReportPeriod(run.kind, run.periodStart, project.timeZone),
        locale: run.locale,
        sections: definition.sections,
        onStage: (stage) => runs.setStage(run.id, stage),
      },
    );
    await runs.setStage(run.id, 'files');
    // The renderers (ECharts, resvg, ExcelJS, Playwright) take seconds to import: loaded when
    // the first report is made, not by every CLI command and server start.
    const { buildReportXlsx, renderReportHtml, renderReportPdf } =
      await import('./render/index.ts');
    files.write(run.projectId, `${run.id}.json`, JSON.stringify(doc));
    const made: ReportFile[] = [];
    made.push({
      format: 'xlsx',
      ...files.write(run.projectId, `${run.id}.xlsx`, await buildReportXlsx(doc)),
    });
    const { html } = renderReportHtml(doc, { images: 'data-uri' });
    made.push({ format: 'html', ...files.write(run.projectId, `${run.id}.html`, html) });
    let note: string | null = null;
    if (definition.formats.includes('pdf')) {
      try {
        const pdf = await renderReportPdf(html, { chromiumPath: deps.chromiumPath });
        made.push({ format: 'pdf', ...files.write(run.projectId, `${run.id}.pdf`, pdf) });
      } catch (error) {
        note = `PDF could not be printed: ${describe(error)}`;
        logger.warn({ runId: run.id, err: error }, 'report PDF failed');
      }
    }
    await runs.finish(run, { headline: doc.headline, files: made, note });
    deps.onGenerated?.(run.kind, true, (clock.now() - startedAt) / 1000);
    if (run.deliver) await deps.deliveries.enqueue(run, definition);
  } catch (error) {
    logger.error({ runId: run.id, err: error }, 'report generation failed');
    await runs.finish(run, { error: describe(error) });
    deps.onGenerated?.(run.kind, false, (clock.now() - startedAt) / 1000);
  }
}

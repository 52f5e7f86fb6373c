import type { FastifyBaseLogger } from 'fastify';
import type { Selectable } from 'kysely';
import {
  POST_MAX_MARKDOWN_BYTES,
  type ChannelConfig,
  type ChannelSender,
  type OutgoingMail,
  type SmtpMailer,
} from '../alerts/index.ts';
import { createId, type Clock } from '../platform/index.ts';
import type { MetaDb } from '../store/index.ts';
import type { ReportDocument } from './report-document.ts';
import type { ReportDefinition, ReportDeliveriesTable, ReportTables } from './report-schema.ts';
import type { ReportRun } from './run-store.ts';

/** Waits before the 2nd, 3rd… attempt; after the last, the delivery has failed. */
export const REPORT_RETRY_DELAYS_MS = [60_000, 300_000, 900_000, 1_800_000, 3_600_000] as const;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface ReportDeliveryView {
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

export interface ReportDeliveryDeps {
  db: MetaDb;
  clock: Clock;
  logger: FastifyBaseLogger;
  mailer: SmtpMailer;
  sender: ChannelSender;
  openChannel(projectId: string, channelId: string): Promise<ChannelConfig>;
  /** The run's document and XLSX, as generated. */
  readRunContent(run: ReportRun): Promise<{ doc: ReportDocument; xlsx: Buffer }>;
  getRun(projectId: string, runId: string): Promise<ReportRun>;
  /** Link to the report in the dashboard's archive. */
  runUrl(run: ReportRun): string;
  onDelivered?: (kind: string, ok: boolean) => void;
}

function toView(row: Selectable<ReportDeliveriesTable>): ReportDeliveryView {
  return {
    id: row.id,
    runId: row.run_id,
    targetKind: row.target_kind as ReportDeliveryView['targetKind'],
    target: row.target,
    status: row.status as ReportDeliveryView['status'],
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

/**
 * Sends generated reports: one email per recipient (the HTML report with inline charts and the
 * XLSX attached) and one markdown summary with a link per chat channel. Each delivery is logged
 * before it is tried and retried with backoff when the failure is worth another try.
 */
export function createReportDelivery(deps: ReportDeliveryDeps) {
  const db = deps.db.withTables<ReportTables>();
  const { clock, logger } = deps;

  // The renderers take seconds to import: loaded with the first delivery (see generate-report-run).
  const loadRenderers = () => import('./render/index.ts');

  async function buildEmail(
    run: ReportRun,
    doc: ReportDocument,
    xlsx: Buffer,
    to: string[],
  ): Promise<OutgoingMail> {
    const { renderReportHtml, renderReportText } = await loadRenderers();
    const { html, images } = renderReportHtml(doc, { images: 'cid' });
    return {
      to,
      subject: doc.title,
      html,
      text: renderReportText(doc),
      headers: { 'X-Sightline-Project': run.projectId, 'X-Sightline-Report': run.id },
      attachments: [
        { filename: `${run.kind}-${run.periodStart}.xlsx`, content: xlsx, contentType: XLSX_TYPE },
        ...images.map((image) => ({
          filename: image.filename,
          content: image.png,
          contentType: 'image/png',
          cid: image.cid,
        })),
      ],
    };
  }

  async function attempt(row: Selectable<ReportDeliveriesTable>) {
    const run = await deps.getRun(row.project_id, row.run_id);
    const { doc, xlsx } = await deps.readRunContent(run);
    if (row.target_kind === 'email')
      return deps.mailer.send(await buildEmail(run, doc, xlsx, [row.target]));
    const config = await deps.openChannel(run.projectId, row.target);
    // An email channel gets the whole report, like a recipient.
    if (config.kind === 'email')
      return deps.mailer.send(await buildEmail(run, doc, xlsx, [...config.to]));
    const url = deps.runUrl(run);
    const { renderReportMarkdown } = await loadRenderers();
    const post = renderReportMarkdown(doc, { maxBytes: POST_MAX_MARKDOWN_BYTES[config.kind], url });
    return deps.sender.sendPost(config, { ...post, url, data: { runId: run.id, kind: run.kind } });
  }

  async function deliver(row: Selectable<ReportDeliveriesTable>): Promise<void> {
    let outcome: { ok: boolean; status: number | null; retryable: boolean; error: string | null };
    try {
      outcome = await attempt(row);
    } catch (error) {
      // The run's files are gone or unreadable, or the channel was deleted: no retry helps.
      outcome = {
        ok: false,
        status: null,
        retryable: false,
        error: error instanceof Error ? error.message : String(error),
      };
    }
    const attempts = row.attempts + 1;
    const delay = REPORT_RETRY_DELAYS_MS[attempts - 1];
    const retry = !outcome.ok && outcome.retryable && delay !== undefined;
    await db
      .updateTable('report_deliveries')
      .set({
        status: outcome.ok ? 'sent' : retry ? 'pending' : 'failed',
        attempts,
        next_attempt_at: retry ? clock.now() + delay : null,
        last_status: outcome.status,
        last_error: outcome.error,
        sent_at: outcome.ok ? clock.now() : null,
      })
      .where('id', '=', row.id)
      .execute();
    deps.onDelivered?.(row.target_kind, outcome.ok);
    if (!outcome.ok)
      logger.warn(
        { runId: row.run_id, target: row.target_kind, error: outcome.error, retry },
        'report delivery failed',
      );
  }

  return {
    /** Logs a delivery per recipient and channel of the definition; they go out on runDue(). */
    async enqueue(run: ReportRun, definition: ReportDefinition): Promise<number> {
      const now = clock.now();
      const rows: Array<Selectable<ReportDeliveriesTable>> = [
        ...definition.recipients.map((email) => ({ kind: 'email', target: email })),
        ...definition.channelIds.map((id) => ({ kind: 'channel', target: id })),
      ].map(({ kind, target }) => ({
        id: createId('rdl_'),
        run_id: run.id,
        project_id: run.projectId,
        target_kind: kind,
        target,
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        last_status: null,
        last_error: null,
        created_at: now,
        sent_at: null,
      }));
      if (rows.length) await db.insertInto('report_deliveries').values(rows).execute();
      return rows.length;
    },

    /** Tries every delivery that is due, one after the other. */
    async runDue(): Promise<number> {
      const due = await db
        .selectFrom('report_deliveries')
        .selectAll()
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', clock.now())
        .orderBy('next_attempt_at')
        .limit(100)
        .execute();
      for (const row of due) await deliver(row);
      return due.length;
    },

    async list(projectId: string, runId: string): Promise<ReportDeliveryView[]> {
      const rows = await db
        .selectFrom('report_deliveries')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('run_id', '=', runId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toView);
    },
  };
}

export type ReportDelivery = ReturnType<typeof createReportDelivery>;

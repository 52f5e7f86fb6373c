import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import {
  ERR_REPORT_FILE_NOT_FOUND,
  ERR_REPORT_PERIOD_INVALID,
  ERR_REPORT_QUEUE_FULL,
  SightlineError,
} from '@sightline/shared';
import {
  createChannelSender,
  createSmtpMailer,
  type Alerting,
  type ChannelSender,
  type SmtpSettings,
} from '../alerts/index.ts';
import type { AuditLog } from '../audit/index.ts';
import { parseLocalDate, type Clock } from '../platform/index.ts';
import type { ProjectService } from '../projects/index.ts';
import type { QueryCache } from '../queries/index.ts';
import type { EventStore, MetaDb } from '../store/index.ts';
import { createDefinitionService } from './definition-service.ts';
import { createReportDelivery } from './deliver-reports.ts';
import { generateReportRun } from './generate-report-run.ts';
import type { ReportDocument } from './report-document.ts';
import { createReportFiles } from './report-files.ts';
import { getLastCompletePeriod, getReportPeriod } from './report-periods.ts';
import type { GenerateReportInput, ReportFormat, ReportTrigger } from './report-schema.ts';
import { createRunStore, type ReportRun } from './run-store.ts';
import { runSchedule } from './run-schedule.ts';

/** Reports waiting to be generated, over all projects, before requests get 429. */
export const MAX_QUEUED_REPORTS = 20;
const SWEEP_INTERVAL_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface ReportsOptions {
  db: MetaDb;
  store: EventStore;
  clock: Clock;
  logger: FastifyBaseLogger;
  audit: AuditLog;
  projects: Pick<ProjectService, 'get'>;
  queryCache: QueryCache;
  /** Notification channels (chat summaries) and the alert history (the alerts section). */
  alerting: Pick<Alerting, 'channels' | 'center'>;
  /** Where generated files live (data/reports). */
  dir: string;
  publicUrl: string;
  smtp: SmtpSettings;
  chromiumPath: string;
  retentionDays: number;
  maxQueued?: number;
  /** Counters for /metrics. */
  onDelivered?: (kind: string, ok: boolean) => void;
  onGenerated?: (kind: string, ok: boolean, seconds: number) => void;
}

const CONTENT_TYPES: Readonly<Record<ReportFormat, string>> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
};

/**
 * Scheduled reports: definitions per project, generation on schedule and on demand (one at a
 * time, queued in the metadata store so a restart loses no request), the archive of files, and
 * delivery. `tick()` does one scheduler pass at the clock's now, so tests drive it with a fake
 * clock; `start()` runs it on a timer.
 */
export function createReports(options: ReportsOptions) {
  const { db, clock, logger, audit } = options;
  const files = createReportFiles(options.dir);
  const runs = createRunStore({ db, clock });
  const definitions = createDefinitionService({
    db,
    audit,
    clock,
    checkChannel: async (projectId, channelId) => {
      await options.alerting.channels.get(projectId, channelId);
    },
  });
  const sender: ChannelSender = createChannelSender({ clock, smtp: options.smtp });
  const mailer = createSmtpMailer({ smtp: options.smtp, timeoutMs: 30_000 });
  const runUrl = (run: ReportRun) =>
    `${options.publicUrl}/p/${encodeURIComponent(run.projectId)}/reports?run=${run.id}`;
  const documentFile = (run: ReportRun) => join(run.projectId, `${run.id}.json`);
  const deliveries = createReportDelivery({
    db,
    clock,
    logger,
    mailer,
    sender,
    openChannel: async (projectId, channelId) => {
      const row = await options.alerting.channels.getRow(projectId, channelId);
      return options.alerting.channels.open(row);
    },
    async readRunContent(run) {
      const xlsx = run.files.find((file) => file.format === 'xlsx');
      if (!xlsx) throw new Error(`report ${run.id} has no XLSX file`);
      const doc = JSON.parse(
        (await files.read(documentFile(run))).toString('utf8'),
      ) as ReportDocument;
      return { doc, xlsx: await files.read(xlsx.file) };
    },
    getRun: (projectId, runId) => runs.get(projectId, runId),
    runUrl,
    ...(options.onDelivered ? { onDelivered: options.onDelivered } : {}),
  });

  // Passes run one at a time, whoever asks (the timer, an API call, a test).
  let queue: Promise<unknown> = Promise.resolve();
  function serialize<T>(work: () => Promise<T>): Promise<T> {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  }
  const waiters = new Map<string, Array<(run: ReportRun) => void>>();

  async function processQueue(): Promise<void> {
    for (;;) {
      const run = await runs.nextQueued();
      if (!run) return;
      await generateReportRun(
        {
          runs,
          files,
          definitions,
          deliveries,
          projects: options.projects,
          eventStore: options.store,
          queryCache: options.queryCache,
          alertHistory: (projectId, range) =>
            options.alerting.center.history(projectId, { ...range, limit: 500 }),
          audit,
          clock,
          logger,
          publicUrl: options.publicUrl,
          chromiumPath: options.chromiumPath,
          documentFile,
          ...(options.onGenerated ? { onGenerated: options.onGenerated } : {}),
        },
        run,
      );
      const done = await runs.get(run.projectId, run.id);
      for (const resolve of waiters.get(run.id) ?? []) resolve(done);
      waiters.delete(run.id);
    }
  }

  let lastSweep = 0;
  async function sweep(): Promise<number> {
    const before = clock.now() - options.retentionDays * DAY_MS;
    const old = await runs.listOlderThan(before, 500);
    for (const run of old) {
      for (const file of run.files) files.remove(file.file);
      files.remove(documentFile(run));
      await runs.remove(run.id);
    }
    if (old.length) logger.info({ removed: old.length }, 'expired reports removed');
    return old.length;
  }

  async function enqueue(
    projectId: string,
    input: GenerateReportInput,
    by: { actor: string; trigger: ReportTrigger },
  ): Promise<ReportRun> {
    const queued = await runs.countQueued();
    const limit = options.maxQueued ?? MAX_QUEUED_REPORTS;
    if (queued >= limit)
      throw new SightlineError(ERR_REPORT_QUEUE_FULL, { queued, retryAfterSec: 60 });
    const project = await options.projects.get(projectId);
    const definition = await definitions.get(projectId, input.kind);
    const now = clock.now();
    if (input.date !== undefined && !parseLocalDate(input.date))
      throw new SightlineError(ERR_REPORT_PERIOD_INVALID, {
        kind: input.kind,
        date: input.date,
        reason: 'not a calendar date',
      });
    const period =
      input.date === undefined
        ? getLastCompletePeriod(input.kind, now, project.timeZone)
        : getReportPeriod(input.kind, input.date, project.timeZone);
    if (period.from > now)
      throw new SightlineError(ERR_REPORT_PERIOD_INVALID, {
        kind: input.kind,
        date: input.date ?? period.startDate,
        reason: 'the period has not started yet',
      });
    const run = await runs.create({
      projectId,
      kind: input.kind,
      period,
      locale: input.locale ?? definition.locale,
      trigger: by.trigger,
      requestedBy: by.actor,
      deliver: input.deliver,
    });
    await audit.record({
      actor: by.actor,
      action: 'report.generate',
      projectId,
      target: run.id,
      details: {
        kind: run.kind,
        period: run.periodStart,
        trigger: by.trigger,
        deliver: run.deliver,
      },
    });
    return run;
  }

  const pass = () =>
    serialize(async () => {
      await runSchedule({ definitions, projects: options.projects, clock, logger, enqueue });
      await processQueue();
      await deliveries.runDue();
      if (clock.now() - lastSweep >= SWEEP_INTERVAL_MS) {
        lastSweep = clock.now();
        await sweep();
      }
    });

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let started = false;

  return {
    definitions,
    runs,
    deliveries,
    /** Queues a report and starts generating it (in turn with other work); returns at once. */
    async generate(
      projectId: string,
      input: GenerateReportInput,
      by: { actor: string; trigger: ReportTrigger },
    ): Promise<ReportRun> {
      const run = await enqueue(projectId, input, by);
      // Deliveries of a report asked for now go out with it, not at the next tick.
      void serialize(async () => {
        await processQueue();
        await deliveries.runDue();
      }).catch((error: unknown) => logger.error({ err: error }, 'report generation failed'));
      return run;
    },
    /** Resolves with the run once it is done or failed. */
    waitFor(run: Pick<ReportRun, 'projectId' | 'id'>): Promise<ReportRun> {
      return new Promise((resolve, reject) => {
        runs.get(run.projectId, run.id).then((current) => {
          if (current.status === 'done' || current.status === 'failed') return resolve(current);
          waiters.set(run.id, [...(waiters.get(run.id) ?? []), resolve]);
        }, reject);
      });
    },
    /** What a done report says (the document its files were made from). */
    async readDocument(projectId: string, runId: string): Promise<ReportDocument> {
      const run = await runs.get(projectId, runId);
      if (run.status !== 'done')
        throw new SightlineError(ERR_REPORT_FILE_NOT_FOUND, { runId, format: 'document' });
      return JSON.parse((await files.read(documentFile(run))).toString('utf8')) as ReportDocument;
    },
    /** A generated file, for download. */
    async openFile(projectId: string, runId: string, format: ReportFormat) {
      const run = await runs.get(projectId, runId);
      const file = run.files.find((f) => f.format === format);
      if (!file) throw new SightlineError(ERR_REPORT_FILE_NOT_FOUND, { runId, format });
      const label = run.kind === 'monthly' ? run.periodStart.slice(0, 7) : run.periodStart;
      return {
        run,
        bytes: file.bytes,
        contentType: CONTENT_TYPES[format],
        filename: `sightline-${run.kind}-${label}.${format}`,
        stream: files.open(file.file),
      };
    },
    runUrl,
    /** One scheduler pass: due reports, the queue, due deliveries, retention. */
    tick: pass,
    sweep: () => serialize(sweep),
    /** Fails runs a previous process left running, then runs a pass every `intervalMs`. */
    async start(intervalMs: number): Promise<void> {
      if (started) return;
      started = true;
      const interrupted = await runs.failInterrupted();
      if (interrupted) logger.warn({ interrupted }, 'reports interrupted by a restart');
      if (intervalMs <= 0) return;
      timer = setInterval(() => {
        if (running) return;
        running = pass()
          .catch((error: unknown) => logger.error({ err: error }, 'report pass failed'))
          .finally(() => {
            running = null;
          });
      }, intervalMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
      await queue;
      mailer.close();
      await sender.close();
    },
  };
}

export type Reports = ReturnType<typeof createReports>;

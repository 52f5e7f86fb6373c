import type { AuditLog } from '../audit/index.ts';
import type { Clock } from '../platform/index.ts';
import type { ProjectService } from '../projects/index.ts';
import type { EventStore, MetaDb } from '../store/index.ts';
import type { AnomalyTables, Finding, ListFindingsQuery, ReviewInput } from './anomaly-schema.ts';
import { createFindingStore } from './finding-store.ts';
import { runDetectors, type DetectorSettings } from './run-detectors.ts';

/** Seed 000 Phase 1 §3: the detectors run every five minutes. */
export const SCAN_INTERVAL_MS = 5 * 60_000;
/**
 * How far back each scheduled scan looks: wider than the interval and the burst window, so a
 * burst that straddles two scans is seen whole and keeps its first order (its key).
 */
export const SCAN_LOOKBACK_MS = 2 * 3_600_000;

/** The part of a pino/Fastify logger the detectors write to. */
export interface AnomaliesLogger {
  error(details: object, message: string): void;
}

export interface CreateAnomaliesOptions {
  /** The metadata store's database, migrated with 0009_anomalies. */
  db: MetaDb;
  store: EventStore;
  clock: Clock;
  logger: AnomaliesLogger;
  audit: AuditLog;
  projects: Pick<ProjectService, 'get' | 'list'>;
  /** Default SCAN_LOOKBACK_MS. */
  lookbackMs?: number;
  settings?: DetectorSettings;
}

export interface ScanWindow {
  /** Epoch ms; default now − lookback. */
  from?: number;
  /** Epoch ms; default now. */
  to?: number;
}

export interface Anomalies {
  /** Runs every detector on one project over the window; returns the findings stored anew. */
  scan(projectId: string, window?: ScanWindow): Promise<Finding[]>;
  /** One scheduled pass over every project (what the timer runs); returns the new findings. */
  tick(): Promise<Finding[]>;
  list(projectId: string, query: ListFindingsQuery): Promise<Finding[]>;
  get(projectId: string, id: string): Promise<Finding>;
  /** Sets the review state (audited); `actor` is user:<id> or token:<id>. */
  review(projectId: string, id: string, input: ReviewInput, actor: string): Promise<Finding>;
  /** Starts the schedule (an unref'd timer calling tick); default every SCAN_INTERVAL_MS. */
  start(intervalMs?: number): void;
  /** Stops the schedule and waits for a pass under way. */
  stop(): Promise<void>;
}

/** Business anomaly detectors on a schedule, with their findings' review queue. */
export function createAnomalies(options: CreateAnomaliesOptions): Anomalies {
  const { clock, logger, audit, projects } = options;
  const findings = createFindingStore(options.db.withTables<AnomalyTables>());
  const lookbackMs = options.lookbackMs ?? SCAN_LOOKBACK_MS;
  let running: Promise<Finding[]> | null = null;
  let timer: NodeJS.Timeout | null = null;

  async function scanProject(project: { id: string; timeZone: string }, window: ScanWindow) {
    const now = clock.now();
    const to = window.to ?? now;
    const drafts = await runDetectors({
      store: options.store,
      project,
      from: window.from ?? to - lookbackMs,
      to,
      ...(options.settings ? { settings: options.settings } : {}),
    });
    return findings.record(project.id, drafts, now);
  }

  async function runTick(): Promise<Finding[]> {
    const created: Finding[] = [];
    for (const project of await projects.list()) {
      try {
        created.push(...(await scanProject(project, {})));
      } catch (error) {
        // One project's failure must not stop the others' scans.
        logger.error({ err: error, projectId: project.id }, 'anomaly scan failed');
      }
    }
    return created;
  }

  function tick(): Promise<Finding[]> {
    running ??= runTick().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    async scan(projectId, window = {}) {
      return scanProject(await projects.get(projectId), window);
    },
    tick,
    async list(projectId, query) {
      await projects.get(projectId);
      return findings.list(projectId, query);
    },
    get: (projectId, id) => findings.get(projectId, id),
    async review(projectId, id, input, actor) {
      const before = await findings.get(projectId, id);
      const note = input.note ?? null;
      const reviewed = await findings.review(projectId, id, {
        state: input.state,
        note,
        actor,
        at: clock.now(),
      });
      await audit.record({
        actor,
        action: 'anomaly.review',
        projectId,
        target: id,
        details: { kind: before.kind, from: before.state, to: input.state, note },
      });
      return reviewed;
    },
    start(intervalMs = SCAN_INTERVAL_MS) {
      if (timer) return;
      timer = setInterval(() => {
        tick().catch((error: unknown) => logger.error({ err: error }, 'anomaly tick failed'));
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}

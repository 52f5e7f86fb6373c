import { sql } from 'kysely';
import type { AuditLog } from '../audit/index.ts';
import type { Clock } from '../platform/index.ts';
import type { MetaDb } from '../store/index.ts';
import { createCheckHistory, type ListChecksParams } from './check-history.ts';
import { createCpuSampler } from './cpu-sampler.ts';
import type { MonitoringTables } from './monitoring-schema.ts';
import { DEFAULT_PROBE_TIMEOUT_MS, probeTarget } from './probe-target.ts';
import { readHostStats, type HostStats } from './read-host-stats.ts';
import type {
  MonitorCheck,
  MonitorTarget,
  TargetInput,
  TargetPatch,
  UptimeSummary,
} from './target-schemas.ts';
import { createTargetStore, type ScheduledTarget } from './target-store.ts';

const DAY_MS = 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

/** The part of a pino/Fastify logger monitoring writes to. */
export interface MonitoringLogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface CreateMonitoringOptions {
  /** The metadata store's database, migrated with 0008_monitoring. */
  db: MetaDb;
  clock: Clock;
  logger: MonitoringLogger;
  audit: AuditLog;
  /** Its file system is the one `readHost` reports on. */
  dataDir: string;
  /** A check without an answer by then is down; default 10,000 ms. */
  probeTimeoutMs?: number;
  /** Checks older than this are deleted; default 7 days. */
  historyDays?: number;
  /** How often `start()` looks for due targets; default 5,000 ms. */
  tickIntervalMs?: number;
  /** Checks running at once; default 8. */
  maxConcurrentProbes?: number;
  /** Default /proc/net/dev. */
  netDevPath?: string;
}

export interface MetaStorePing {
  ok: boolean;
  latencyMs: number;
  error: string | null;
}

export interface Monitoring {
  listTargets(): Promise<MonitorTarget[]>;
  getTarget(id: string): Promise<MonitorTarget>;
  createTarget(input: TargetInput, actor: string): Promise<MonitorTarget>;
  updateTarget(id: string, patch: TargetPatch, actor: string): Promise<MonitorTarget>;
  deleteTarget(id: string, actor: string): Promise<void>;
  /** Checks one target now, whatever its schedule or enabled flag, and stores the result. */
  checkNow(id: string): Promise<MonitorCheck>;
  /** Checks every enabled target that is due and stores the results; prunes once an hour. */
  tick(): Promise<MonitorCheck[]>;
  listChecks(id: string, params: ListChecksParams): Promise<MonitorCheck[]>;
  /** Uptime and latency percentiles of one target over the last `windowMs`. */
  getUptime(id: string, windowMs: number): Promise<UptimeSummary>;
  /** Uptime % of every target with checks in the last `windowMs`, by id. */
  getUptimeByTarget(windowMs: number): Promise<Map<string, number>>;
  /** Deletes checks older than the history; returns how many. */
  prune(): Promise<number>;
  readHost(): Promise<HostStats>;
  pingMetaStore(): Promise<MetaStorePing>;
  readonly historyDays: number;
  /** Starts the background schedule (an unref'd timer calling tick). */
  start(): void;
  /** Stops the schedule and waits for a tick under way. */
  close(): Promise<void>;
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  async function work(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index] as T);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, work));
  return results;
}

/** Probe targets on their schedules, with their history, in the metadata store. */
export function createMonitoring(options: CreateMonitoringOptions): Monitoring {
  const { clock, logger } = options;
  const db = options.db.withTables<MonitoringTables>();
  const targets = createTargetStore({ db, clock, audit: options.audit });
  const history = createCheckHistory(db);
  const cpuSampler = createCpuSampler({ clock });
  const timeoutMs = options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const historyDays = options.historyDays ?? 7;
  let lastPrunedAt: number | null = null;
  let running: Promise<MonitorCheck[]> | null = null;
  let timer: NodeJS.Timeout | null = null;

  async function check(target: Pick<ScheduledTarget, 'id' | 'spec'>): Promise<MonitorCheck> {
    const checkedAt = clock.now();
    const result = await probeTarget(target.spec, { clock, timeoutMs });
    return history.record(target.id, checkedAt, result);
  }

  async function prune(): Promise<number> {
    lastPrunedAt = clock.now();
    return history.prune(lastPrunedAt - historyDays * DAY_MS);
  }

  async function runTick(): Promise<MonitorCheck[]> {
    const now = clock.now();
    if (lastPrunedAt === null || now - lastPrunedAt >= PRUNE_EVERY_MS) await prune();
    const due = await targets.listDue(now);
    const results = await mapLimited(due, options.maxConcurrentProbes ?? 8, async (target) => {
      try {
        return await check(target);
      } catch (error) {
        // The target was deleted while its check ran, or the store is closing.
        logger.warn({ err: error, targetId: target.id }, 'monitoring check not stored');
        return null;
      }
    });
    return results.filter((result): result is MonitorCheck => result !== null);
  }

  const windowOf = (windowMs: number) => {
    const to = clock.now();
    return { from: to - windowMs, to };
  };

  function tick(): Promise<MonitorCheck[]> {
    running ??= runTick().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    historyDays,
    listTargets: () => targets.list(),
    getTarget: (id) => targets.get(id),
    createTarget: (input, actor) => targets.create(input, actor),
    updateTarget: (id, patch, actor) => targets.update(id, patch, actor),
    deleteTarget: (id, actor) => targets.remove(id, actor),
    checkNow: async (id) => check({ id, spec: await targets.getSpec(id) }),
    tick,
    async listChecks(id, params) {
      await targets.get(id);
      return history.list(id, params);
    },
    async getUptime(id, windowMs) {
      await targets.get(id);
      return history.summarize(id, windowOf(windowMs));
    },
    getUptimeByTarget: (windowMs) => history.uptimeByTarget(windowOf(windowMs)),
    prune,
    readHost: () =>
      readHostStats({
        dataDir: options.dataDir,
        clock,
        cpuSampler,
        ...(options.netDevPath ? { netDevPath: options.netDevPath } : {}),
      }),
    async pingMetaStore() {
      const startedAt = clock.now();
      try {
        await sql`SELECT 1`.execute(db);
        return { ok: true, latencyMs: clock.now() - startedAt, error: null };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, latencyMs: clock.now() - startedAt, error: message };
      }
    },
    start() {
      if (timer) return;
      timer = setInterval(() => {
        tick().catch((error: unknown) => logger.error({ err: error }, 'monitoring tick failed'));
      }, options.tickIntervalMs ?? 5_000);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}

import type { FastifyBaseLogger } from 'fastify';
import type { AuditLog } from '../audit/index.ts';
import type { Clock } from '../platform/index.ts';
import type { ProjectService } from '../projects/index.ts';
import type { EventStore, MetaDb } from '../store/index.ts';
import { createAlertCenter } from './alert-center.ts';
import { createChannelService } from './channel-service.ts';
import { createChannelSender, type SmtpSettings } from './channels/index.ts';
import { createDispatcher, type ChannelSender } from './dispatch-notifications.ts';
import { evaluateDueRules } from './evaluate-due-rules.ts';
import { createPolicyService } from './policy-service.ts';
import { pruneAlertHistory } from './prune-alert-history.ts';
import { createRuleService } from './rule-service.ts';
import { createSilenceService } from './silence-service.ts';

const DAY_MS = 86_400_000;

export interface AlertingOptions {
  db: MetaDb;
  store: EventStore;
  clock: Clock;
  logger: FastifyBaseLogger;
  audit: AuditLog;
  projects: Pick<ProjectService, 'get'>;
  masterSecret: string;
  smtp: SmtpSettings;
  publicUrl: string;
  /** Alert history older than this many days is deleted, once a day (config alertHistoryDays). */
  historyDays: number;
  /** Replaces the real channel sender (benchmarks); tests use real receivers instead. */
  sender?: ChannelSender;
  /** Counters for /metrics. */
  onEvaluated?: (outcome: 'ok' | 'error') => void;
  onDelivered?: (kind: string, ok: boolean) => void;
}

/**
 * The alerting domain: rules, the alert center, silences, channels, policy and the loop that
 * evaluates due rules and sends what is due. `tick()` does one pass at the clock's now, so tests
 * drive it with a fake clock; `start()` runs it on a timer.
 */
export function createAlerting(options: AlertingOptions) {
  const { db, clock, logger, audit } = options;
  const rules = createRuleService({ db, audit, clock });
  const silences = createSilenceService({ db, audit, clock });
  const policies = createPolicyService({ db, audit, clock });
  const channels = createChannelService({ db, audit, clock, masterSecret: options.masterSecret });
  const ownSender = options.sender ? null : createChannelSender({ clock, smtp: options.smtp });
  const dispatcher = createDispatcher({
    db,
    clock,
    logger,
    projects: options.projects,
    channels,
    policies,
    silences,
    sender: options.sender ?? (ownSender as ChannelSender),
    publicUrl: options.publicUrl,
    ...(options.onDelivered ? { onDelivered: options.onDelivered } : {}),
  });
  const center = createAlertCenter({
    db,
    clock,
    audit,
    projects: options.projects,
    silences,
    policies,
  });

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  // Passes run one at a time, whoever asks (the timer, a test, an API call): two passes at once
  // would evaluate a rule twice and could send a group twice.
  let queue: Promise<unknown> = Promise.resolve();
  function serialize<T>(work: () => Promise<T>): Promise<T> {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  }

  async function runPass(): Promise<void> {
    const pass = await evaluateDueRules({
      db,
      store: options.store,
      projects: options.projects,
      clock,
      logger,
      ...(options.onEvaluated ? { onEvaluated: options.onEvaluated } : {}),
    });
    const projects = new Set([...pass.changedProjects, ...(await dispatcher.activeProjects())]);
    await dispatcher.run(projects);
    await pruneDaily();
  }

  // Pruning runs in the loop, once a day from the first pass, so it never races a dispatch.
  let prunedAt: number | null = null;
  async function pruneDaily(): Promise<void> {
    const now = clock.now();
    if (prunedAt !== null && now - prunedAt < DAY_MS) return;
    prunedAt = now;
    const pruned = await pruneAlertHistory(db, { before: now - options.historyDays * DAY_MS });
    if (Object.values(pruned).some((count) => count > 0))
      logger.info({ ...pruned, historyDays: options.historyDays }, 'alert history pruned');
  }
  const tick = () => serialize(runPass);

  return {
    rules,
    silences,
    policies,
    channels,
    dispatcher,
    center,
    tick,
    /** Plans and sends the projects' notifications now (after an external change of alerts). */
    dispatchNow: (projectIds: readonly string[]) => serialize(() => dispatcher.run(projectIds)),
    /** Sends a test message to a channel, in turn with the loop. */
    sendTest: (projectId: string, channelId: string) =>
      serialize(() => dispatcher.sendTest(projectId, channelId)),
    /** Runs a pass every `intervalMs`; a pass never overlaps the previous one. */
    start(intervalMs: number): void {
      if (timer) return;
      timer = setInterval(() => {
        if (running) return;
        running = tick()
          .catch((error: unknown) => logger.error({ err: error }, 'alerting pass failed'))
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
      await ownSender?.close();
    },
  };
}

export type Alerting = ReturnType<typeof createAlerting>;

import { Cron } from 'croner';
import { runRetention, type RetentionDeps } from './run-retention.ts';

/** The part of a pino/Fastify logger the schedule writes to. */
export interface RetentionLogger {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface RetentionScheduleOptions extends RetentionDeps {
  /** Local time of the daily run, HH:MM (config retentionRunAt, default 03:30). */
  runAt: string;
  /** IANA zone runAt is read in (config timeZone, default Asia/Shanghai). */
  timeZone: string;
  logger: RetentionLogger;
}

export interface RetentionSchedule {
  /** The next run, or null once stopped. */
  nextRun(): Date | null;
  /** Cancels future runs; a run already under way finishes (or fails once the store closes). */
  stop(): void;
}

const RUN_AT_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** `HH:MM` → the five-field cron pattern `M H * * *`. */
export function toDailyCronPattern(runAt: string): string {
  const match = RUN_AT_PATTERN.exec(runAt);
  if (!match) throw new RangeError(`runAt must be HH:MM, got ${runAt}`);
  return `${Number(match[2])} ${Number(match[1])} * * *`;
}

/**
 * When a daily run at `runAt` in `timeZone` next happens after `after`. croner does the zone
 * arithmetic, including DST: a local time that does not exist that day runs an hour later.
 */
export function getNextRetentionRun(runAt: string, timeZone: string, after: Date): Date | null {
  return new Cron(toDailyCronPattern(runAt), { timezone: timeZone }).nextRun(after);
}

/**
 * Runs retention for every project once a day. croner owns wall-clock timing (its timers read
 * the real time); the injected clock only sets the cutoff. A failed run is logged and the next
 * day's run happens as usual: retention must never take the server down.
 */
export function startRetentionSchedule(options: RetentionScheduleOptions): RetentionSchedule {
  const { logger, runAt, timeZone } = options;
  const job = new Cron(
    toDailyCronPattern(runAt),
    {
      timezone: timeZone,
      // Never two runs at once, even if one takes longer than a day.
      protect: true,
      // The timer alone must not keep a process alive (the HTTP server does that).
      unref: true,
      catch: (error: unknown) => logger.error({ err: error }, 'retention run failed'),
    },
    async () => {
      try {
        const results = await runRetention(options, { actor: 'system' });
        const deletedEvents = results.reduce((sum, result) => sum + result.deletedEvents, 0);
        logger.info(
          { projects: results.length, deletedEvents, nextRun: job.nextRun()?.toISOString() },
          'retention run finished',
        );
      } catch (error) {
        logger.error({ err: error }, 'retention run failed');
      }
    },
  );
  logger.info({ runAt, timeZone, nextRun: job.nextRun()?.toISOString() }, 'retention scheduled');
  return {
    nextRun: () => job.nextRun(),
    stop: () => job.stop(),
  };
}

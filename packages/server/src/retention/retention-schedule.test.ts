import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeServices, openServices, type AppServices } from '../app.ts';
import { ensureSecrets, loadConfig } from '../config/index.ts';
import { createFakeClock } from '../platform/index.ts';
import { createWriteBatch } from '../store/index.ts';
import { makeEventRow } from '../testing/event-row-fixture.ts';
import { createTempDir } from '../testing/temp-dir.ts';
import {
  getNextRetentionRun,
  startRetentionSchedule,
  toDailyCronPattern,
  type RetentionLogger,
} from './retention-schedule.ts';

const DAY_MS = 86_400_000;

describe('toDailyCronPattern', () => {
  it.each([
    ['03:30', '30 3 * * *'],
    ['00:00', '0 0 * * *'],
    ['23:59', '59 23 * * *'],
  ])('%s → %s', (runAt, pattern) => expect(toDailyCronPattern(runAt)).toBe(pattern));

  it.each(['3:30', '24:00', '12:60', '', '03:30:00'])('rejects %j', (runAt) =>
    expect(() => toDailyCronPattern(runAt)).toThrow(RangeError),
  );
});

describe('getNextRetentionRun', () => {
  it.each([
    // 03:30 in Shanghai (UTC+8, no DST) is 19:30 UTC the day before.
    ['03:30', 'Asia/Shanghai', '2026-03-01T12:00:00Z', '2026-03-01T19:30:00.000Z'],
    ['03:30', 'Asia/Shanghai', '2026-03-01T19:29:59.999Z', '2026-03-01T19:30:00.000Z'],
    // Exactly at the run time the next run is the day after.
    ['03:30', 'Asia/Shanghai', '2026-03-01T19:30:00Z', '2026-03-02T19:30:00.000Z'],
    ['00:00', 'UTC', '2026-12-31T23:59:59Z', '2027-01-01T00:00:00.000Z'],
    // Kolkata is UTC+5:30: half-hour offsets work.
    ['03:30', 'Asia/Kolkata', '2026-06-01T00:00:00Z', '2026-06-01T22:00:00.000Z'],
    // New York: EST (UTC−5) before 8 March 2026, EDT (UTC−4) after. 02:30 does not exist on
    // 8 March (clocks jump from 02:00 to 03:00), so that day's run is at 03:30 EDT.
    ['04:00', 'America/New_York', '2026-03-06T12:00:00Z', '2026-03-07T09:00:00.000Z'],
    ['04:00', 'America/New_York', '2026-03-08T00:00:00Z', '2026-03-08T08:00:00.000Z'],
    ['02:30', 'America/New_York', '2026-03-08T00:00:00Z', '2026-03-08T07:30:00.000Z'],
    ['02:30', 'America/New_York', '2026-03-08T08:00:00Z', '2026-03-09T06:30:00.000Z'],
  ])('%s in %s after %s → %s', (runAt, zone, after, expected) => {
    expect(getNextRetentionRun(runAt, zone, new Date(after))?.toISOString()).toBe(expected);
  });
});

describe('startRetentionSchedule', () => {
  // 03:29:50 in Shanghai.
  const WALL = Date.UTC(2026, 2, 1, 19, 29, 50);
  const CLOCK = Date.UTC(2026, 2, 2, 0, 0, 0);
  let dir: ReturnType<typeof createTempDir>;
  let services: AppServices;
  let logs: { level: 'info' | 'error'; message: string; details: object }[];
  const logger: RetentionLogger = {
    info: (details, message) => logs.push({ level: 'info', message, details }),
    error: (details, message) => logs.push({ level: 'error', message, details }),
  };

  beforeEach(async () => {
    logs = [];
    dir = createTempDir();
    const config = ensureSecrets(
      loadConfig({
        env: { SIGHTLINE_DATA_DIR: dir.path, SIGHTLINE_DEMO: '0', SIGHTLINE_LOG_LEVEL: 'silent' },
      }),
    );
    services = await openServices(config, createFakeClock(CLOCK));
    await services.projects.create(
      { id: 'shop', name: 'S', timeZone: 'UTC', retentionDays: 7 },
      't',
    );
    await services.eventStore.commit(
      createWriteBatch({
        events: [8, 6].map((days) =>
          makeEventRow({ projectId: 'shop', eventTime: CLOCK - days * DAY_MS, receivedAt: CLOCK }),
        ),
      }),
    );
  });
  afterEach(async () => {
    vi.useRealTimers();
    await closeServices(services).catch(() => undefined);
    dir.remove();
  });

  async function fireAt(runAt: string) {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: WALL });
    const schedule = startRetentionSchedule({
      ...services,
      runAt,
      timeZone: 'Asia/Shanghai',
      logger,
    });
    expect(schedule.nextRun()?.toISOString()).toBe('2026-03-01T19:30:00.000Z');
    await vi.advanceTimersByTimeAsync(9_000);
    expect(logs.map((log) => log.message)).toEqual(['retention scheduled']);
    await vi.advanceTimersByTimeAsync(1_000);
    // The run waits on the stores' own I/O; waitFor polls on real timers (and nudges fake time
    // by its interval, far less than a day).
    await vi.waitFor(() => expect(logs).toHaveLength(2), { timeout: 10_000 });
    return schedule;
  }

  it('runs retention at the configured local time, with the cutoff from the clock', async () => {
    const schedule = await fireAt('03:30');
    expect(logs[1]).toMatchObject({
      level: 'info',
      message: 'retention run finished',
      details: { projects: 1, deletedEvents: 1, nextRun: '2026-03-02T19:30:00.000Z' },
    });
    const [entry] = await services.audit.list({ action: 'retention.run', limit: 5 });
    expect(entry).toMatchObject({
      actor: 'system',
      projectId: 'shop',
      details: { retentionDays: 7, cutoff: '2026-02-23T00:00:00.000Z', deletedEvents: 1 },
    });
    schedule.stop();
    expect(schedule.nextRun()).toBeNull();
  });

  it('logs a failed run instead of throwing, and stays scheduled for the next day', async () => {
    await services.eventStore.close();
    const schedule = await fireAt('03:30');
    expect(logs[1]).toMatchObject({ level: 'error', message: 'retention run failed' });
    expect(schedule.nextRun()?.toISOString()).toBe('2026-03-02T19:30:00.000Z');
    schedule.stop();
  });
});

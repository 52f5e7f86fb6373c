import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeServices, openServices, type AppServices } from '../app.ts';
import { ensureSecrets, loadConfig } from '../config/index.ts';
import { createFakeClock } from '../platform/index.ts';
import { createWriteBatch } from '../store/index.ts';
import { makeEventRow } from '../testing/event-row-fixture.ts';
import { createTempDir } from '../testing/temp-dir.ts';
import { computeMetricSeries, createQueryContext, duckDbDialect } from '../queries/index.ts';
import { runRetention } from './run-retention.ts';

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 19, 30, 0);

describe('runRetention', () => {
  let dir: ReturnType<typeof createTempDir>;
  let services: AppServices;
  const clock = createFakeClock(NOW);

  beforeEach(async () => {
    dir = createTempDir();
    const config = ensureSecrets(
      loadConfig({
        env: { SIGHTLINE_DATA_DIR: dir.path, SIGHTLINE_DEMO: '0', SIGHTLINE_LOG_LEVEL: 'silent' },
      }),
    );
    services = await openServices(config, clock);
    // Created a moment apart, so the project order (by creation) is fixed.
    clock.set(NOW - 2_000);
    await services.projects.create(
      { id: 'month', name: 'M', timeZone: 'UTC', retentionDays: 30 },
      't',
    );
    clock.set(NOW - 1_000);
    await services.projects.create(
      { id: 'week', name: 'W', timeZone: 'UTC', retentionDays: 7 },
      't',
    );
    clock.set(NOW);
  });
  afterEach(async () => {
    await closeServices(services);
    dir.remove();
  });

  /** Stores one event per age (ms before NOW), all received now. */
  async function storeEventsAged(projectId: string, ages: readonly number[]) {
    await services.eventStore.commit(
      createWriteBatch({
        events: ages.map((age) =>
          makeEventRow({ projectId, eventTime: NOW - age, receivedAt: NOW }),
        ),
      }),
    );
  }
  async function remainingAges(projectId: string): Promise<number[]> {
    const rows = await services.eventStore.query(
      `SELECT $2 - epoch_ms(event_time) AS age FROM events WHERE project_id = $1 ORDER BY age`,
      [projectId, NOW],
    );
    return rows.map((row) => Number(row.age));
  }

  it("deletes exactly the events older than each project's cutoff; one at the cutoff stays", async () => {
    // month: cutoff NOW − 30 d. Two events are older (31 d, 30 d + 1 ms), three are not.
    await storeEventsAged('month', [31 * DAY_MS, 30 * DAY_MS + 1, 30 * DAY_MS, 29 * DAY_MS, 0]);
    // week: cutoff NOW − 7 d. Three events are older (30 d, 8 d, 7 d + 1 ms), two are not.
    await storeEventsAged('week', [30 * DAY_MS, 8 * DAY_MS, 7 * DAY_MS + 1, 7 * DAY_MS, DAY_MS]);
    await services.eventStore.commit(
      createWriteBatch({
        identities: [
          { projectId: 'week', anonymousId: 'a1', userId: 'u1', linkedAt: NOW - 60 * DAY_MS },
        ],
        stats: [
          { projectId: 'week', hour: NOW - 60 * DAY_MS, outcome: 'rejected', code: 'X', count: 3 },
        ],
      }),
    );

    const results = await runRetention(services, { actor: 'cli' });

    expect(results).toEqual([
      { projectId: 'month', retentionDays: 30, cutoff: NOW - 30 * DAY_MS, deletedEvents: 2 },
      { projectId: 'week', retentionDays: 7, cutoff: NOW - 7 * DAY_MS, deletedEvents: 3 },
    ]);
    expect(await remainingAges('month')).toEqual([0, 29 * DAY_MS, 30 * DAY_MS]);
    expect(await remainingAges('week')).toEqual([DAY_MS, 7 * DAY_MS]);
    // Identity links and ingest counts are not raw events: they stay.
    expect(await services.eventStore.query('SELECT count(*) AS n FROM identities')).toEqual([
      { n: 1 },
    ]);
    expect(
      await services.eventStore.query(
        'SELECT sum(count)::INTEGER AS n FROM ingest_stats WHERE outcome = $1',
        ['rejected'],
      ),
    ).toEqual([{ n: 3 }]);
  });

  it('writes one retention.run audit entry per project with its counts', async () => {
    await storeEventsAged('month', [40 * DAY_MS]);
    await runRetention(services, { actor: 'user:u_1' });
    const entries = await services.audit.list({ action: 'retention.run', limit: 10 });
    expect(entries.map(({ actor, projectId, details }) => ({ actor, projectId, details }))).toEqual(
      [
        {
          actor: 'user:u_1',
          projectId: 'week',
          details: { retentionDays: 7, cutoff: '2026-11-13T19:30:00.000Z', deletedEvents: 0 },
        },
        {
          actor: 'user:u_1',
          projectId: 'month',
          details: { retentionDays: 30, cutoff: '2026-10-21T19:30:00.000Z', deletedEvents: 1 },
        },
      ],
    );
  });

  it('runs for one project only when asked, and moves with the clock', async () => {
    await storeEventsAged('month', [31 * DAY_MS, 29 * DAY_MS + 1]);
    await storeEventsAged('week', [8 * DAY_MS]);
    expect(await runRetention(services, { projectId: 'month', actor: 'cli' })).toEqual([
      { projectId: 'month', retentionDays: 30, cutoff: NOW - 30 * DAY_MS, deletedEvents: 1 },
    ]);
    expect(await remainingAges('week')).toEqual([8 * DAY_MS]);
    // A day later the 29 d + 1 ms event is 30 d + 1 ms old.
    clock.advance(DAY_MS);
    const [again] = await runRetention(services, { projectId: 'month', actor: 'cli' });
    expect(again?.deletedEvents).toBe(1);
  });

  it('follows a changed retention and rejects an unknown project', async () => {
    await storeEventsAged('month', [20 * DAY_MS, 5 * DAY_MS]);
    await services.projects.update('month', { retentionDays: 10 }, 't');
    const [result] = await runRetention(services, { projectId: 'month', actor: 'cli' });
    expect(result).toMatchObject({ retentionDays: 10, deletedEvents: 1 });
    await expect(runRetention(services, { projectId: 'nope', actor: 'cli' })).rejects.toMatchObject(
      {
        code: 'ERR_PROJECT_NOT_FOUND',
      },
    );
  });

  it('keeps the first-event rollup equal to the events: new users count from what remains', async () => {
    // u1's first event expires, so after retention their first event is the one 2 days ago;
    // u2's only events are recent; the bot never counts.
    const event = (userId: string, age: number, isBot = false) =>
      makeEventRow({ projectId: 'week', userId, eventTime: NOW - age, receivedAt: NOW, isBot });
    await services.eventStore.commit(
      createWriteBatch({
        events: [
          event('u1', 20 * DAY_MS),
          event('u1', 2 * DAY_MS),
          event('u2', 3 * DAY_MS),
          event('u3', DAY_MS, true),
        ],
      }),
    );
    const newUsers = async (useRollups: boolean) => {
      const ctx = createQueryContext({
        store: services.eventStore,
        dialect: duckDbDialect,
        projectId: 'week',
        timeZone: 'UTC',
        now: NOW,
        from: NOW - 7 * DAY_MS,
        to: NOW,
        granularity: 'all',
        useRollups,
      });
      const series = await computeMetricSeries(ctx, 'new_users', { granularity: 'all' });
      return series.groups[0]?.values[0];
    };
    expect([await newUsers(true), await newUsers(false)]).toEqual([1, 1]);
    await runRetention(services, { projectId: 'week', actor: 'cli' });
    expect([await newUsers(true), await newUsers(false)]).toEqual([2, 2]);
    const rollup = await services.eventStore.query(
      `SELECT user_id, epoch_ms(event_time) AS at FROM rollup_first_events ORDER BY user_id`,
    );
    expect(rollup).toEqual([
      { user_id: 'u1', at: NOW - 2 * DAY_MS },
      { user_id: 'u2', at: NOW - 3 * DAY_MS },
    ]);
  });

  it('deletes the same events as a naive filter on event_time < cutoff (property)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.integer({ min: 0, max: 90 * DAY_MS }), { maxLength: 40 }),
        async (retentionDays, ages) => {
          const projectId = `prop-${(run += 1)}`;
          await services.projects.create(
            { id: projectId, name: 'P', timeZone: 'UTC', retentionDays },
            't',
          );
          await storeEventsAged(projectId, ages);
          const cutoff = NOW - retentionDays * DAY_MS;
          const expected = ages.filter((age) => NOW - age < cutoff);
          const [result] = await runRetention(services, { projectId, actor: 'cli' });
          expect(result?.deletedEvents).toBe(expected.length);
          expect(await remainingAges(projectId)).toEqual(
            ages.filter((age) => NOW - age >= cutoff).sort((a, b) => a - b),
          );
        },
      ),
      { numRuns: 15, seed: 2026 },
    );
  });
});

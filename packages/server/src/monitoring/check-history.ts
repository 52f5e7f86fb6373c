import type { Selectable } from 'kysely';
import type { MonitorChecksTable } from './monitoring-schema.ts';
import type { ProbeDetail, ProbeResult, ProbeStatus } from './probe-schemas.ts';
import { summarizeChecks } from './summarize-checks.ts';
import type { MonitoringDb } from './target-store.ts';
import type { MonitorCheck, UptimeSummary } from './target-schemas.ts';

export interface ListChecksParams {
  /** epoch ms, inclusive */
  from?: number;
  /** epoch ms, exclusive */
  to?: number;
  limit: number;
}

function toCheck(row: Selectable<MonitorChecksTable>): MonitorCheck {
  return {
    id: row.id,
    targetId: row.target_id,
    checkedAt: row.checked_at,
    status: row.status as ProbeStatus,
    latencyMs: row.latency_ms,
    error: row.error,
    detail: JSON.parse(row.detail) as ProbeDetail,
  };
}

/** The checks of every target: written by the scheduler, read by the routes, pruned by age. */
export function createCheckHistory(db: MonitoringDb) {
  return {
    /** Stores one check and makes it the target's latest, in one transaction. */
    async record(targetId: string, checkedAt: number, result: ProbeResult): Promise<MonitorCheck> {
      const latencyMs = Math.round(result.latencyMs);
      return db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('monitor_checks')
          .values({
            target_id: targetId,
            checked_at: checkedAt,
            status: result.status,
            latency_ms: latencyMs,
            error: result.error,
            detail: JSON.stringify(result.detail),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await trx
          .updateTable('monitor_targets')
          .set({
            last_checked_at: checkedAt,
            last_status: result.status,
            last_latency_ms: latencyMs,
            last_error: result.error,
          })
          .where('id', '=', targetId)
          .execute();
        return toCheck(inserted);
      });
    },

    /** Newest first. */
    async list(targetId: string, params: ListChecksParams): Promise<MonitorCheck[]> {
      let query = db
        .selectFrom('monitor_checks')
        .selectAll()
        .where('target_id', '=', targetId)
        .orderBy('checked_at', 'desc')
        .orderBy('id', 'desc')
        .limit(params.limit);
      if (params.from !== undefined) query = query.where('checked_at', '>=', params.from);
      if (params.to !== undefined) query = query.where('checked_at', '<', params.to);
      return (await query.execute()).map(toCheck);
    },

    async summarize(
      targetId: string,
      window: { from: number; to: number },
    ): Promise<UptimeSummary> {
      const rows = await db
        .selectFrom('monitor_checks')
        .select(['status', 'latency_ms'])
        .where('target_id', '=', targetId)
        .where('checked_at', '>', window.from)
        .where('checked_at', '<=', window.to)
        .execute();
      return summarizeChecks(
        rows.map((row) => ({ status: row.status as ProbeStatus, latencyMs: row.latency_ms })),
        window,
      );
    },

    /** Uptime % of every target over the window, by target id (absent: no checks). */
    async uptimeByTarget(window: { from: number; to: number }): Promise<Map<string, number>> {
      const rows = await db
        .selectFrom('monitor_checks')
        .select((eb) => [
          'target_id',
          eb.fn.countAll<number>().as('checks'),
          eb.fn.sum<number>(eb.case().when('status', '!=', 'down').then(1).else(0).end()).as('ok'),
        ])
        .where('checked_at', '>', window.from)
        .where('checked_at', '<=', window.to)
        .groupBy('target_id')
        .execute();
      return new Map(
        rows.map((row) => [
          row.target_id,
          Math.round((Number(row.ok) / Number(row.checks)) * 10_000) / 100,
        ]),
      );
    },

    /** Deletes checks older than `before`; returns how many. */
    async prune(before: number): Promise<number> {
      const result = await db
        .deleteFrom('monitor_checks')
        .where('checked_at', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type CheckHistory = ReturnType<typeof createCheckHistory>;

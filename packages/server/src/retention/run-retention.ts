import type { AuditLog } from '../audit/index.ts';
import type { Clock } from '../platform/index.ts';
import type { ProjectService } from '../projects/index.ts';
import { REFILL_FIRST_EVENTS_AFTER_EXPIRY, type EventStore } from '../store/index.ts';

const DAY_MS = 86_400_000;

// Only raw events expire. Commerce facts (orders, items, refunds, products, inventory) and
// ingest_stats are facts and aggregates that reports compare year over year, so they are kept
// long term (seed 001 §3.1: ODS 保留 180 天; seed 004 数据留存: 聚合表长期保存).
const SQL_DELETE_EXPIRED_EVENTS =
  'DELETE FROM events WHERE project_id = $1 AND event_time < $2::TIMESTAMPTZ';

/** What retention needs; a subset of the app services. */
export interface RetentionDeps {
  eventStore: EventStore;
  projects: ProjectService;
  audit: AuditLog;
  clock: Clock;
}

export interface RunRetentionParams {
  /** One project; every project when absent. */
  projectId?: string;
  /** Audit actor: user:<id>, token:<id>, cli or system. */
  actor: string;
}

export interface RetentionResult {
  projectId: string;
  retentionDays: number;
  /** Epoch ms: events with event_time before this were deleted; an event exactly at it stays. */
  cutoff: number;
  deletedEvents: number;
}

/**
 * Deletes each project's raw events older than its retention (by event_time, the time the event
 * happened, so a late upload of old events expires on schedule too). The cutoff is
 * now − retentionDays × 24 h, taken once from the clock for the whole run.
 */
export async function runRetention(
  deps: RetentionDeps,
  params: RunRetentionParams,
): Promise<RetentionResult[]> {
  const targets = params.projectId
    ? [await deps.projects.get(params.projectId)]
    : await deps.projects.list();
  const now = deps.clock.now();
  const results: RetentionResult[] = [];
  for (const project of targets) {
    const cutoff = now - project.retentionDays * DAY_MS;
    // With the rollup of people's first events, which must keep equalling the events.
    const bind = (sql: string) => ({ sql, params: [project.id, new Date(cutoff)] });
    const [deletedEvents = 0] = await deps.eventStore.executeInTransaction([
      bind(SQL_DELETE_EXPIRED_EVENTS),
      ...REFILL_FIRST_EVENTS_AFTER_EXPIRY.map(bind),
    ]);
    await deps.audit.record({
      actor: params.actor,
      action: 'retention.run',
      projectId: project.id,
      details: {
        retentionDays: project.retentionDays,
        cutoff: new Date(cutoff).toISOString(),
        deletedEvents,
      },
    });
    results.push({
      projectId: project.id,
      retentionDays: project.retentionDays,
      cutoff,
      deletedEvents,
    });
  }
  return results;
}

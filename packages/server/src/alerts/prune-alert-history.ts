import type { MetaDb } from '../store/index.ts';

export interface PruneAlertHistoryParams {
  /** Epoch ms: history from before this is deleted. */
  before: number;
}

export interface PrunedAlertHistory {
  /** Transitions, acknowledgements and comments (alert_events). */
  events: number;
  /** Delivery log entries that are done: sent or failed for good. */
  notifications: number;
  /** Alerts idle (inactive or resolved) since before the cutoff, with their history. */
  alerts: number;
  /** Silences that ended before the cutoff. */
  silences: number;
}

/**
 * Deletes alert history older than the cutoff, so the meta store does not grow without end.
 * What is still live is kept whatever its age: firing and pending alerts (their episode's
 * events too, so the alert center can still show how they started), notifications still being
 * retried, and silences that have not ended.
 */
export async function pruneAlertHistory(
  db: MetaDb,
  params: PruneAlertHistoryParams,
): Promise<PrunedAlertHistory> {
  const { before } = params;
  return db.transaction().execute(async (trx) => {
    // Idle alerts first: their events go with them (ON DELETE CASCADE).
    const alerts = await trx
      .deleteFrom('alert_instances')
      .where('state', 'in', ['inactive', 'resolved'])
      .where('last_eval_at', '<', before)
      .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '<', before)]))
      .executeTakeFirst();
    const live = trx
      .selectFrom('alert_instances')
      .select('id')
      .where('state', 'in', ['pending', 'firing']);
    const events = await trx
      .deleteFrom('alert_events')
      .where('at', '<', before)
      .where('instance_id', 'not in', live)
      .executeTakeFirst();
    const notifications = await trx
      .deleteFrom('alert_notifications')
      .where('created_at', '<', before)
      .where('status', 'in', ['sent', 'failed'])
      .executeTakeFirst();
    const silences = await trx
      .deleteFrom('alert_silences')
      .where((eb) =>
        eb.or([
          eb('expired_at', '<', before),
          eb.and([eb('expired_at', 'is', null), eb('ends_at', '<', before)]),
        ]),
      )
      .executeTakeFirst();
    return {
      events: Number(events.numDeletedRows),
      notifications: Number(notifications.numDeletedRows),
      alerts: Number(alerts.numDeletedRows),
      silences: Number(silences.numDeletedRows),
    };
  });
}

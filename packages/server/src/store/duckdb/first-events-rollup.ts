/**
 * rollup_first_events (DuckDB migration 5): the first valid event (not a bot, not an api call or
 * identify) of each (user, anonymous, device) id tuple. Events with the same three ids always
 * belong to the same person, whatever identities link later, so each person's first event is
 * the earliest of their tuples' rows: new users read a row per tuple instead of every event.
 */

const DIMENSIONS = ['channel', 'platform', 'app', 'app_version', 'country', 'province', 'city'];
const TUPLE = `coalesce(user_id, ''), coalesce(anonymous_id, ''), coalesce(device_id, '')`;

/** Each tuple's first valid event among the events matching `where`, as rollup rows. */
function firstEventsOf(where: string): string {
  return (
    `SELECT project_id, ${TUPLE}, event_time, event_id, ` +
    `${DIMENSIONS.map((d) => `coalesce(${d}, '')`).join(', ')} FROM events ` +
    `WHERE ${where} AND NOT is_bot AND type NOT IN ('api', 'identify') ` +
    `QUALIFY row_number() OVER (PARTITION BY project_id, ${TUPLE} ORDER BY event_time, event_id) = 1`
  );
}

/** After a commit ($1: its commit_seq): a tuple's row moves only to an earlier event. */
export const ROLLUP_FIRST_EVENTS_OF_COMMIT =
  `INSERT INTO rollup_first_events ${firstEventsOf('commit_seq = $1')} ON CONFLICT DO UPDATE SET ` +
  ['event_time', 'event_id', ...DIMENSIONS].map((c) => `${c} = excluded.${c}`).join(', ') +
  ` WHERE (excluded.event_time, excluded.event_id) < ` +
  `(rollup_first_events.event_time, rollup_first_events.event_id)`;

/**
 * After expired events were deleted ($1 project, $2 cutoff): rows of deleted events go, and
 * their tuples take their first remaining event, so the rollup still equals the events.
 */
export const REFILL_FIRST_EVENTS_AFTER_EXPIRY = [
  `DELETE FROM rollup_first_events WHERE project_id = $1 AND event_time < $2::TIMESTAMPTZ`,
  `INSERT INTO rollup_first_events ${firstEventsOf('project_id = $1 AND event_time >= $2::TIMESTAMPTZ')} ` +
    `ON CONFLICT DO NOTHING`,
] as const;

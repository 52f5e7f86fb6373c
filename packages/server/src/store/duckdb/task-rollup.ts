/**
 * The tasks per minute rollup (DuckDB migration 8): which tasks finished in each minute, with
 * their status, so the task metrics count distinct task ids without reading each event's
 * properties (queries/series/rollups.ts reads it). Only non-bot task_completed events with a
 * task id, which is all the task metrics count.
 */

/**
 * Adds the tasks the events matching `where` finished: after a commit (`commit_seq = $1`) and
 * when a benchmark builds the rollup in bulk. Rows are not unique (no key to conflict on): a
 * task finishing in two commits' events adds a row twice, which counting distinct ids ignores.
 */
export function rollupTasksOf(where: string): string {
  return (
    `INSERT INTO rollup_tasks SELECT DISTINCT project_id, date_trunc('minute', event_time) AS minute, ` +
    `json_extract_string(props, '$."task_id"') AS task_id, json_extract_string(props, '$."status"') ` +
    `FROM events WHERE ${where} AND name = 'task_completed' AND NOT is_bot AND task_id IS NOT NULL`
  );
}

import type { Generated } from 'kysely';

/**
 * The monitoring tables of the metadata store (migration 0008_monitoring). Times are epoch
 * milliseconds; JSON columns hold text.
 */
// A type alias, not an interface: Kysely's withTables wants an index-signature-compatible type.
export type MonitoringTables = {
  monitor_targets: MonitorTargetsTable;
  monitor_checks: MonitorChecksTable;
};

export interface MonitorTargetsTable {
  id: string;
  /** Unique, shown in lists and alerts. */
  name: string;
  /** http | tcp | postgres | mysql */
  kind: string;
  /** JSON: the kind's settings, defaults applied (see probe-schemas.ts). */
  config: string;
  interval_sec: number;
  /** 1: checked on schedule; 0: paused (history kept). */
  enabled: number;
  /** user:<id> | token:<id> of whoever created it. */
  created_by: string;
  created_at: number;
  updated_at: number;
  /** The latest check, so lists need not read the history; null before the first. */
  last_checked_at: number | null;
  /** up | degraded | down */
  last_status: string | null;
  last_latency_ms: number | null;
  last_error: string | null;
}

export interface MonitorChecksTable {
  id: Generated<number>;
  target_id: string;
  checked_at: number;
  /** up | degraded | down */
  status: string;
  latency_ms: number;
  error: string | null;
  /** JSON object: what the target said (status code, server version, …). */
  detail: string;
}

import { isSightlineError, type Filter } from '@sightline/shared';
import type { Project } from '../projects/index.ts';
import { findReport, runReport, type QueryCache } from '../queries/index.ts';
import type { EventStore } from '../store/index.ts';

/** Cards of the realtime screen: today so far, against the same time yesterday. */
export const REALTIME_KPIS = [
  'dau',
  'task_success_rate',
  'api_latency_p95',
  'api_error_rate',
  'gmv',
  'pay_conversion',
] as const;

/** Minutes of the minute trends. */
export const REALTIME_MINUTES = 60;
/** Current QPS: the average over this many minutes. */
export const QPS_WINDOW_MINUTES = 5;

/** One panel: the report's `result` as the query API gives it, or why it could not be had. */
export type SnapshotPart =
  { ok: true; result: unknown } | { ok: false; code: string; message: string };

export interface RealtimeSnapshot {
  projectId: string;
  timeZone: string;
  /** When the snapshot was taken (ISO). */
  at: string;
  today: SnapshotPart;
  qps: SnapshotPart;
  minutes: SnapshotPart;
  featureShare: SnapshotPart;
  channelConversion: SnapshotPart;
  errorCodes: SnapshotPart;
}

export interface SnapshotDeps {
  eventStore: EventStore;
  cache: QueryCache;
  now: number;
}

/**
 * Everything the realtime screen shows, through the query layer like every other consumer (the
 * same reports and metric definitions as the API, with the caller's row-level scope).
 */
export async function takeRealtimeSnapshot(
  deps: SnapshotDeps,
  project: Pick<Project, 'id' | 'timeZone'>,
  rowScope: readonly Filter[],
): Promise<RealtimeSnapshot> {
  // A panel that fails (a row scope its data lacks, say) says so; the others still show.
  const run = async (report: string, request: Record<string, unknown>): Promise<SnapshotPart> => {
    const found = findReport(report);
    if (!found) throw new Error(`unknown report ${report}`);
    try {
      return {
        ok: true,
        result: (await runReport(deps, found, project, request, rowScope)).result,
      };
    } catch (error) {
      if (!isSightlineError(error)) throw error;
      return { ok: false, code: error.code, message: error.message };
    }
  };
  const minute = 60_000;
  const end = Math.ceil(deps.now / minute) * minute;
  const iso = (ms: number) => new Date(ms).toISOString();
  const [today, qps, minutes, featureShare, channelConversion, errorCodes] = await Promise.all([
    run('kpis', { range: 'today', metrics: [...REALTIME_KPIS], compare: 'same_time_yesterday' }),
    run('kpis', {
      from: iso(deps.now - QPS_WINDOW_MINUTES * minute),
      to: iso(deps.now),
      metrics: ['qps_avg'],
      compare: 'same_time_yesterday',
    }),
    run('trends', {
      from: iso(end - REALTIME_MINUTES * minute),
      to: iso(end),
      granularity: 'minute',
      series: [
        { metric: 'dau' },
        { metric: 'gmv' },
        { metric: 'task_success_rate' },
        { metric: 'api_latency_p95' },
      ],
    }),
    run('trends', {
      range: 'today',
      granularity: 'all',
      series: [{ metric: 'feature_calls' }],
      breakdown: { dimension: 'feature', limit: 8 },
    }),
    run('trends', {
      range: 'today',
      granularity: 'all',
      series: [{ metric: 'pay_conversion' }],
      breakdown: { dimension: 'channel', limit: 8 },
    }),
    run('trends', {
      range: 'today',
      granularity: 'all',
      series: [{ metric: 'api_errors' }],
      breakdown: { dimension: 'error_code', limit: 10 },
    }),
  ]);
  return {
    projectId: project.id,
    timeZone: project.timeZone,
    at: iso(deps.now),
    today,
    qps,
    minutes,
    featureShare,
    channelConversion,
    errorCodes,
  };
}

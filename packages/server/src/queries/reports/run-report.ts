import {
  ERR_QUERY_INVALID,
  SightlineError,
  type Filter,
  type QueryRequest,
} from '@sightline/shared';
import type { Project } from '../../projects/index.ts';
import type { EventStore } from '../../store/index.ts';
import { createQueryContext } from '../context/query-context.ts';
import { resolveRange } from '../context/resolve-range.ts';
import { duckDbDialect } from '../sql/dialect.ts';
import type { QueryCache } from './query-cache.ts';
import type { AnyReport } from './define-report.ts';

export interface RunReportDeps {
  eventStore: EventStore;
  cache: QueryCache;
  now: number;
}

export interface ReportRun {
  report: string;
  projectId: string;
  timeZone: string;
  from: string;
  to: string;
  granularity: string;
  /** When the numbers were computed (earlier than now when served from the cache). */
  computedAt: string;
  cached: boolean;
  result: unknown;
}

/**
 * Runs a report for a project: resolves the range in the project's zone, builds the query
 * context (with the caller's row-level scope) and serves from the result cache when the data
 * has not changed.
 */
export async function runReport(
  deps: RunReportDeps,
  report: AnyReport,
  project: Pick<Project, 'id' | 'timeZone'>,
  request: QueryRequest & Record<string, unknown>,
  rowScope: readonly Filter[],
): Promise<ReportRun> {
  const range = resolveRange(request, project.timeZone, deps.now);
  const parsed = report.params.safeParse(request);
  if (!parsed.success)
    throw new SightlineError(
      ERR_QUERY_INVALID,
      { reason: parsed.error.issues[0]?.message ?? 'invalid' },
      parsed.error.issues,
    );
  const granularity = request.granularity ?? report.defaultGranularity;
  const ctx = createQueryContext({
    store: deps.eventStore,
    dialect: duckDbDialect,
    projectId: project.id,
    timeZone: project.timeZone,
    from: range.from,
    to: range.to,
    granularity,
    filters: request.filters ?? [],
    rowScope,
    segmentId: request.segmentId ?? null,
    now: deps.now,
  });
  const key = JSON.stringify([
    report.id,
    project.id,
    project.timeZone,
    range,
    granularity,
    ctx.filters,
    rowScope,
    ctx.segmentId,
    parsed.data,
  ]);
  const { value, computedAt, cached } = report.live
    ? { value: await report.run(ctx, parsed.data), computedAt: deps.now, cached: false }
    : await deps.cache.getOrCompute(
        key,
        { projectId: project.id, rangeEnd: range.to, now: deps.now },
        () => report.run(ctx, parsed.data),
      );
  return {
    report: report.id,
    projectId: project.id,
    timeZone: project.timeZone,
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    granularity,
    computedAt: new Date(computedAt).toISOString(),
    cached,
    result: value,
  };
}

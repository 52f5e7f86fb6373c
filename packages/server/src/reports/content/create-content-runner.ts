import { ERR_QUERY_INVALID, SightlineError, type Granularity } from '@sightline/shared';
import type { z } from 'zod';
import { findReport, runReport, type QueryCache } from '../../queries/index.ts';
import type { EventStore } from '../../store/index.ts';
import { createConcurrencyLimiter } from './limit-concurrency.ts';

/**
 * A report request as the HTTP query API takes it: local dates, `to` inclusive. Reports are
 * project-wide, so there is no filter, segment or row scope.
 */
export type ContentRequest = { from: string; to: string; granularity?: Granularity } & Record<
  string,
  unknown
>;

export interface ContentRunner {
  /** Runs a query-layer report and reads its result with `schema` (the fields the caller uses). */
  run<T>(reportId: string, request: ContentRequest, schema: z.ZodType<T>): Promise<T>;
}

export interface ContentRunnerOptions {
  eventStore: EventStore;
  queryCache: QueryCache;
  now: number;
  project: { id: string; timeZone: string };
  /** Reports under way at once (DuckDB has a few read connections; the machine a few cores). */
  maxConcurrent: number;
}

const NO_ROW_SCOPE = [] as const;

/** Runs reports exactly as `POST /api/v1/projects/:id/reports/<id>` does, a few at a time. */
export function createContentRunner(options: ContentRunnerOptions): ContentRunner {
  const limit = createConcurrencyLimiter(options.maxConcurrent);
  const deps = { eventStore: options.eventStore, cache: options.queryCache, now: options.now };
  return {
    async run(reportId, request, schema) {
      const report = findReport(reportId);
      if (!report)
        throw new SightlineError(ERR_QUERY_INVALID, { reason: `unknown report ${reportId}` });
      const answer = await limit(() =>
        runReport(deps, report, options.project, request, NO_ROW_SCOPE),
      );
      return schema.parse(answer.result);
    },
  };
}

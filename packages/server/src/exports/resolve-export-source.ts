import {
  ERR_QUERY_INVALID,
  queryRequestShape,
  SightlineError,
  type Filter,
} from '@sightline/shared';
import { z } from 'zod';
import {
  checkRowSource,
  createQueryContext,
  duckDbDialect,
  findReport,
  resolveRange,
} from '../queries/index.ts';
import type { EventStore } from '../store/index.ts';
import type { ExportSource, StoredExportSource } from './export-schema.ts';

export interface ResolveExportSourceParams {
  source: ExportSource;
  project: { id: string; timeZone: string };
  rowScope: readonly Filter[];
  store: EventStore;
  /** Epoch ms of the request: range presets are fixed to it. */
  now: number;
}

/**
 * Checks an export request the way its run will read it and fixes its range, so a bad request
 * is refused at once (400) instead of failing in the queue, and a job queued for a while still
 * exports the range that was asked for.
 */
export function resolveExportSource(params: ResolveExportSourceParams): StoredExportSource {
  const { source, project, now } = params;
  if (source.kind === 'rows') {
    const range = resolveRange(source, project.timeZone, now);
    checkRowSource(
      createQueryContext({
        store: params.store,
        dialect: duckDbDialect,
        projectId: project.id,
        timeZone: project.timeZone,
        from: range.from,
        to: range.to,
        filters: source.filters ?? [],
        rowScope: params.rowScope,
        segmentId: source.segmentId ?? null,
        now,
      }),
      { source: source.source, columns: source.columns, eventTypes: source.eventTypes },
    );
    return { ...source, resolved: isoRange(range) };
  }
  const report = findReport(source.report);
  if (!report)
    throw new SightlineError(ERR_QUERY_INVALID, { reason: `no report ${source.report}` });
  const parsed = z
    .object({ ...queryRequestShape, ...report.params.shape })
    .safeParse(source.request);
  if (!parsed.success)
    throw new SightlineError(
      ERR_QUERY_INVALID,
      { reason: parsed.error.issues[0]?.message ?? 'invalid' },
      parsed.error.issues,
    );
  const range = resolveRange(parsed.data, project.timeZone, now);
  return { ...source, request: parsed.data, resolved: isoRange(range) };
}

const isoRange = (range: { from: number; to: number }) => ({
  from: new Date(range.from).toISOString(),
  to: new Date(range.to).toISOString(),
});

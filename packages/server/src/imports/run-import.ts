import { setTimeout as sleep } from 'node:timers/promises';
import {
  ERR_IMPORT_ROW_INVALID,
  ERR_INGEST_QUEUE_FULL,
  formatTemplate,
  isSightlineError,
  SightlineError,
} from '@sightline/shared';
import type { AuditLog } from '../audit/index.ts';
import type { SightlineConfig } from '../config/index.ts';
import { normaliseAddress, QueueFullError, type Ingest } from '../ingest/index.ts';
import type { Clock } from '../platform/index.ts';
import type { ProjectService } from '../projects/index.ts';
import type { WriteBatch } from '../store/index.ts';
import { createRowMapper } from './create-row-mapper.ts';
import { createImportChunk, type ImportChunk } from './import-chunk.ts';
import {
  IMPORT_LIMITS,
  resolveImportFormat,
  resolveImportKind,
  type ImportKind,
} from './import-kinds.ts';
import { parseImportStream, type ImportSource } from './parse-import-stream.ts';

/** The services an import needs; AppServices has them all. */
export interface ImportServices {
  config: Pick<SightlineConfig, 'ipSalt'>;
  clock: Clock;
  audit: AuditLog;
  projects: Pick<ProjectService, 'get'>;
  ingest: Pick<Ingest, 'committer' | 'enrichers'>;
}

export interface ImportProgress {
  rowsRead: number;
  rowsImported: number;
  rowsRejected: number;
}

export interface ImportRowError {
  /** Line of the file the row starts on; a CSV header is line 1. */
  line: number;
  code: string;
  message: string;
}

export interface ImportResult extends ImportProgress {
  kind: ImportKind;
  /** The first rejected rows, in file order (at most IMPORT_LIMITS.maxReportedErrors). */
  errors: ImportRowError[];
  /** Rejected rows beyond those listed. */
  errorsOmitted: number;
  durationMs: number;
}

export interface RunImportParams {
  services: ImportServices;
  projectId: string;
  /** orders | products | inventory; anything else throws ERR_IMPORT_KIND_UNKNOWN. */
  kind: string;
  /** csv | ndjson; anything else throws ERR_IMPORT_FORMAT_INVALID. */
  format: string | undefined;
  input: ImportSource;
  /** Who imports, for the audit log: user:<id>, token:<id> or cli. */
  actor: string;
  /** Called after each committed chunk and once at the end. */
  onProgress?: (progress: ImportProgress) => void;
  /** Every rejected row, including those beyond the report's list. */
  onRowError?: (error: ImportRowError) => void;
  /** Rows per commit; default IMPORT_LIMITS.chunkRows. */
  chunkRows?: number;
}

const QUEUE_RETRY_MAX_ATTEMPTS = 120;
const QUEUE_RETRY_MAX_DELAY_MS = 1_000;

/**
 * Imports one file of commerce facts. Rows are validated one by one and committed in chunks,
 * each atomically; bad rows are reported and skipped, never failing the file. Importing the same
 * file again leaves the same rows: orders, products and snapshots are upserted by key and an
 * order's lines are replaced. Whole-file problems (kind, format, header) throw before any commit.
 */
export async function runImport(params: RunImportParams): Promise<ImportResult> {
  const { services, projectId } = params;
  const kind = resolveImportKind(params.kind);
  const format = resolveImportFormat(params.format);
  await services.projects.get(projectId);
  const started = performance.now();
  const { enrichers } = services.ingest;
  const salt = services.config.ipSalt;
  const mapRow = createRowMapper(kind, {
    projectId,
    nowMs: services.clock.now(),
    hashAddress: (address) => enrichers.hashValue(normaliseAddress(address), salt),
  });
  const chunkRows = params.chunkRows ?? IMPORT_LIMITS.chunkRows;
  const result: ImportResult = {
    kind,
    rowsRead: 0,
    rowsImported: 0,
    rowsRejected: 0,
    errors: [],
    errorsOmitted: 0,
    durationMs: 0,
  };
  const progress = () =>
    params.onProgress?.({
      rowsRead: result.rowsRead,
      rowsImported: result.rowsImported,
      rowsRejected: result.rowsRejected,
    });
  const rejectRow = (line: number, reason: string) => {
    const error: ImportRowError = {
      line,
      code: ERR_IMPORT_ROW_INVALID.code,
      message: formatTemplate(ERR_IMPORT_ROW_INVALID.template, { reason }),
    };
    result.rowsRejected += 1;
    if (result.errors.length < IMPORT_LIMITS.maxReportedErrors) result.errors.push(error);
    else result.errorsOmitted += 1;
    params.onRowError?.(error);
  };

  // One chunk commits while the next is parsed; its outcome is collected before the next commit.
  let inFlight: Promise<void> = Promise.resolve();
  let commitFailure: { error: unknown } | null = null;
  const settle = async () => {
    await inFlight;
    if (commitFailure) throw commitFailure.error;
  };
  const commit = async (chunk: ImportChunk) => {
    await settle();
    if (chunk.size === 0) return;
    inFlight = submitWithRetry(services.ingest.committer, chunk.toWriteBatch()).then(
      () => {
        result.rowsImported += chunk.size;
        progress();
      },
      (error: unknown) => {
        commitFailure = { error };
      },
    );
  };

  try {
    let chunk = createImportChunk();
    for await (const item of parseImportStream(kind, format, params.input)) {
      result.rowsRead += 1;
      const mapped =
        'error' in item ? { ok: false as const, reason: item.error } : mapRow(item.record);
      if (!mapped.ok) rejectRow(item.line, mapped.reason);
      else chunk.add(mapped.facts);
      if (chunk.size >= chunkRows) {
        await commit(chunk);
        chunk = createImportChunk();
      }
    }
    await commit(chunk);
    await settle();
  } catch (error) {
    await inFlight;
    // Chunks already committed stay: say so in the audit log, then let the caller see the error.
    if (result.rowsImported > 0) await recordAudit(params, format, result, describeError(error));
    throw error;
  }
  result.durationMs = Math.round(performance.now() - started);
  progress();
  await recordAudit(params, format, result, null);
  return result;
}

async function submitWithRetry(
  committer: ImportServices['ingest']['committer'],
  batch: WriteBatch,
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await committer.submit(batch);
      return;
    } catch (error) {
      if (!(error instanceof QueueFullError)) throw error;
      // Live ingest has priority: back off and let the writer catch up.
      if (attempt >= QUEUE_RETRY_MAX_ATTEMPTS)
        throw new SightlineError(ERR_INGEST_QUEUE_FULL, { retryAfterSec: 5 });
      await sleep(Math.min(QUEUE_RETRY_MAX_DELAY_MS, 25 * 2 ** attempt));
    }
  }
}

function recordAudit(
  params: RunImportParams,
  format: string,
  result: ImportResult,
  failure: string | null,
): Promise<void> {
  return params.services.audit.record({
    actor: params.actor,
    action: 'data.import',
    projectId: params.projectId,
    target: result.kind,
    details: {
      kind: result.kind,
      format,
      rowsRead: result.rowsRead,
      rowsImported: result.rowsImported,
      rowsRejected: result.rowsRejected,
      durationMs: result.durationMs,
      ...(failure ? { failure } : {}),
    },
  });
}

function describeError(error: unknown): string {
  return isSightlineError(error) ? error.code : 'internal error';
}

import {
  ERR_INGEST_BATCH_INVALID,
  ERR_INGEST_BATCH_TOO_LARGE,
  ERR_INGEST_KEY_INVALID,
  ERR_INGEST_KEY_MISSING,
  ERR_INGEST_QUEUE_FULL,
  ERR_INGEST_SIGNATURE_INVALID,
  ERR_RATE_LIMITED,
  ERR_REQUEST_INVALID,
  ERR_STORE_UNAVAILABLE,
  INGEST_LIMITS,
  SightlineError,
  batchBodySchema,
  type BatchResult,
  type RejectedItem,
} from '@sightline/shared';
import type { Clock } from '../../platform/index.ts';
import type { IngestProject, ProjectService } from '../../projects/index.ts';
import { createWriteBatch, type IngestStatRow } from '../../store/index.ts';
import type { Enrichers } from './enrichers.ts';
import { QueueFullError, type GroupCommitter } from './group-committer.ts';
import {
  appendToBatch,
  normalizeEvent,
  parseTimestamp,
  type BatchContext,
} from './normalize-event.ts';
import type { RateLimiter } from '../../platform/index.ts';
import { verifySignature } from './verify-signature.ts';

const HOUR_MS = 3_600_000;
export const QUEUE_FULL_RETRY_AFTER_SEC = 1;
const STORE_RETRY_AFTER_SEC = 5;

/** One ingest request as the HTTP layer hands it over. */
export interface IngestRequest {
  body: unknown;
  rawBody: Buffer;
  writeKeyHeader: string | undefined;
  signatureHeader: string | undefined;
  ip: string | undefined;
  userAgent: string | undefined;
  dntHeader: boolean;
}

export interface IngestServiceOptions {
  projects: ProjectService;
  committer: GroupCommitter;
  enrichers: Enrichers;
  keyLimiter: RateLimiter;
  clock: Clock;
  ipSalt: string;
  signatureToleranceSec: number;
}

/**
 * Validates, enriches and commits one batch. Valid items of a mixed batch are stored; each
 * rejected item is reported with its index and code. Answers only after the commit is durable.
 */
export function createIngestService(options: IngestServiceOptions) {
  const { projects, committer, enrichers, clock } = options;

  function countRequestRejection(project: IngestProject, code: string, count: number) {
    const hour = Math.floor(clock.now() / HOUR_MS) * HOUR_MS;
    committer.addStats([{ projectId: project.project.id, hour, outcome: 'rejected', code, count }]);
  }

  return {
    async ingest(request: IngestRequest): Promise<BatchResult> {
      const receivedAt = clock.now();
      const envelope = batchBodySchema.safeParse(request.body);
      if (!envelope.success) {
        const issue = envelope.error.issues[0];
        throw new SightlineError(ERR_REQUEST_INVALID, {
          reason: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
        });
      }
      const body = envelope.data;
      // An empty header counts as absent (some clients always send the header).
      const writeKey = request.writeKeyHeader || body.write_key;
      if (!writeKey) throw new SightlineError(ERR_INGEST_KEY_MISSING);
      const project = await projects.resolveWriteKey(writeKey);
      if (!project) throw new SightlineError(ERR_INGEST_KEY_INVALID);

      const limited = options.keyLimiter.take(writeKey);
      if (!limited.ok) {
        countRequestRejection(project, ERR_RATE_LIMITED.code, body.batch.length);
        throw new SightlineError(ERR_RATE_LIMITED, {
          scope: 'write key',
          retryAfterSec: limited.retryAfterSec,
        });
      }
      let trusted = false;
      if (request.signatureHeader !== undefined) {
        const reason = verifySignature({
          header: request.signatureHeader,
          rawBody: request.rawBody,
          secrets: project.secretKeys,
          nowMs: receivedAt,
          toleranceSec: options.signatureToleranceSec,
        });
        if (reason) throw new SightlineError(ERR_INGEST_SIGNATURE_INVALID, { reason });
        trusted = true;
      }
      if (body.batch.length > INGEST_LIMITS.maxBatchEvents) {
        countRequestRejection(project, ERR_INGEST_BATCH_TOO_LARGE.code, body.batch.length);
        throw new SightlineError(ERR_INGEST_BATCH_TOO_LARGE, {
          limit: INGEST_LIMITS.maxBatchEvents,
        });
      }

      const sentAt = parseTimestamp(body.sent_at);
      const ctx: BatchContext = {
        project,
        receivedAt,
        sentAt: sentAt !== null && Number.isFinite(sentAt) ? sentAt : null,
        ip: request.ip,
        // A signed batch comes from the customer's server: its own user agent (an HTTP
        // library) says nothing about the end user and would mark every event as a bot.
        userAgent: trusted ? undefined : request.userAgent,
        dnt: request.dntHeader || body.dnt === true,
        trusted,
        ipSalt: options.ipSalt,
        enrichers,
        bodyBytes: request.rawBody.length,
        memo: {},
      };
      const batch = createWriteBatch();
      const rejected: RejectedItem[] = [];
      let dropped = 0;
      body.batch.forEach((raw, index) => {
        const result = normalizeEvent(raw, ctx);
        if (result.kind === 'rejected')
          rejected.push({ index, code: result.code, message: result.message });
        else if (result.kind === 'dropped') dropped += 1;
        else appendToBatch(batch, result);
      });
      batch.stats = summariseOutcomes(project.project.id, receivedAt, rejected, dropped);

      let accepted = 0;
      if (batch.events.length > 0 || batch.stats.length > 0) {
        try {
          const { inserted } = await committer.submit(batch);
          accepted = inserted.filter(Boolean).length;
        } catch (error) {
          if (error instanceof QueueFullError) {
            countRequestRejection(project, ERR_INGEST_QUEUE_FULL.code, body.batch.length);
            throw new SightlineError(ERR_INGEST_QUEUE_FULL, {
              retryAfterSec: QUEUE_FULL_RETRY_AFTER_SEC,
            });
          }
          // Nothing of this request was acknowledged: the sender keeps it and retries.
          throw new SightlineError(ERR_STORE_UNAVAILABLE, { retryAfterSec: STORE_RETRY_AFTER_SEC });
        }
      }
      const result: BatchResult = {
        accepted,
        duplicates: batch.events.length - accepted,
        dropped,
        rejected,
      };
      if (rejected.length > 0 && rejected.length === body.batch.length) {
        throw new SightlineError(ERR_INGEST_BATCH_INVALID, {}, result);
      }
      return result;
    },
  };
}

export type IngestService = ReturnType<typeof createIngestService>;

function summariseOutcomes(
  projectId: string,
  receivedAt: number,
  rejected: readonly RejectedItem[],
  dropped: number,
): IngestStatRow[] {
  const hour = Math.floor(receivedAt / HOUR_MS) * HOUR_MS;
  const byCode = new Map<string, number>();
  for (const item of rejected) byCode.set(item.code, (byCode.get(item.code) ?? 0) + 1);
  const rows: IngestStatRow[] = [...byCode].map(([code, count]) => ({
    projectId,
    hour,
    outcome: 'rejected',
    code,
    count,
  }));
  if (dropped > 0) rows.push({ projectId, hour, outcome: 'dropped', code: 'DNT', count: dropped });
  return rows;
}

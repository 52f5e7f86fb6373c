import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  ERR_INGEST_BATCH_INVALID,
  ERR_INGEST_KEY_INVALID,
  ERR_INGEST_KEY_MISSING,
  ERR_REQUEST_INVALID,
  SightlineError,
  isSightlineError,
  type BatchResult,
} from '@sightline/shared';
import type { ProjectService } from '../../projects/index.ts';
import type { IngestService } from '../pipeline/ingest-service.ts';
import type { JsonObject } from './compat-values.ts';

/** One tracker message after mapping: our wire event, or why it cannot become one. */
export type MappedItem =
  { kind: 'event'; event: JsonObject } | { kind: 'rejected'; reason: string };

export interface CompatIngestParams {
  service: IngestService;
  writeKey: string;
  /** The batch's `sent_at` (epoch ms or ISO-8601), for the usual clock-skew correction. */
  sentAt: number | string | undefined;
  items: readonly MappedItem[];
  request: FastifyRequest;
}

/** Our counts, included beside each tracker's own success field (trackers ignore them). */
export const compatCountsShape = {
  accepted: z.number().describe('Events stored by this request'),
  duplicates: z.number().describe('Events whose event id was already stored'),
  dropped: z.number().describe('Events dropped because the client asked not to be tracked'),
  rejected: z.array(z.object({ index: z.number(), code: z.string(), message: z.string() })),
};

/**
 * The project of a tracker's key. Resolved here, before the ingest service resolves it again
 * (from its cache), because deterministic event ids are derived from the project.
 */
export async function resolveCompatProject(
  projects: Pick<ProjectService, 'resolveWriteKey'>,
  writeKey: string | undefined,
  howToSend: string,
): Promise<{ writeKey: string; projectId: string }> {
  if (!writeKey) throw new SightlineError(ERR_INGEST_KEY_MISSING, {}, { howToSend });
  const project = await projects.resolveWriteKey(writeKey);
  if (!project) throw new SightlineError(ERR_INGEST_KEY_INVALID);
  return { writeKey, projectId: project.project.id };
}

/**
 * Hands mapped events to the one ingest door, so every rule of POST /api/v1/batch applies
 * (limits, validation, key rate limit, queue bound, dedupe, durable commit, DNT). Compat
 * requests are never signed: the trackers cannot sign, so events keep no `ip`/`user_agent` of
 * their own and the request's IP is used, as for any unsigned batch.
 *
 * A message that could not be mapped is sent as `null`, which the service rejects at the same
 * index (and counts in the ingest statistics); its message is then replaced by the real reason.
 */
export async function ingestMappedItems(params: CompatIngestParams): Promise<BatchResult> {
  const body = {
    ...(params.sentAt === undefined ? {} : { sent_at: params.sentAt }),
    batch: params.items.map((item) => (item.kind === 'event' ? item.event : null)),
  };
  const { request } = params;
  try {
    const result = await params.service.ingest({
      body,
      // Only its length is read when unsigned: the per-event size check is skipped for bodies
      // below the event limit, so it must be the length of what is validated, not of the
      // tracker's (possibly gzip or base64) body.
      rawBody: Buffer.from(JSON.stringify(body)),
      writeKeyHeader: params.writeKey,
      signatureHeader: undefined,
      ip: request.ip,
      userAgent: getBrowserUserAgent(firstHeader(request.headers['user-agent'])),
      dntHeader: request.headers.dnt === '1',
    });
    return explainRejections(result, params.items);
  } catch (error) {
    if (isSightlineError(error) && error.code === ERR_INGEST_BATCH_INVALID.code) {
      const details = error.details as BatchResult;
      throw new SightlineError(
        ERR_INGEST_BATCH_INVALID,
        {},
        explainRejections(details, params.items),
      );
    }
    throw error;
  }
}

function explainRejections(result: BatchResult, items: readonly MappedItem[]): BatchResult {
  return {
    ...result,
    rejected: result.rejected.map((rejected) => {
      const item = items[rejected.index];
      return item?.kind === 'rejected'
        ? { ...rejected, message: `Event is invalid: ${item.reason}` }
        : rejected;
    }),
  };
}

/** The JSON of a body the compat scope kept as bytes (compat-scope.ts). */
export function parseJsonBody(body: unknown): unknown {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : '';
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new SightlineError(ERR_REQUEST_INVALID, {
      reason: `invalid JSON: ${(error as Error).message}`,
    });
  }
}

/**
 * The request's user agent when a browser sent it (analytics.js, posthog-js). Server and mobile
 * libraries send their own (`analytics-node-next/latest`, `posthog-node/5.70.0`), which is not
 * the end user's and which isbot rightly flags, so every event would be counted as a bot; they
 * cannot sign, so they are treated as signed batches are: no user agent. Every browser, WebView
 * and mini program sends a `Mozilla/` user agent.
 */
function getBrowserUserAgent(userAgent: string | undefined): string | undefined {
  return userAgent?.startsWith('Mozilla/') ? userAgent : undefined;
}

export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

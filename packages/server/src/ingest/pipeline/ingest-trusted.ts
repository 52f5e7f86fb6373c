import type { RejectedItem, WireEvent } from '@sightline/shared';
import type { IngestProject } from '../../projects/index.ts';
import { createWriteBatch, type WriteBatch } from '../../store/index.ts';
import type { Enrichers } from './enrichers.ts';
import type { GroupCommitter } from './group-committer.ts';
import { appendToBatch, normalizeEvent, type BatchContext } from './normalize-event.ts';

/** An event from inside the process (demo generator, replay tools) with its request context. */
export interface TrustedInput {
  event: WireEvent;
  ip: string | undefined;
  userAgent: string | undefined;
  receivedAt: number;
}

export interface TrustedIngestResult {
  accepted: number;
  duplicates: number;
  rejected: RejectedItem[];
}

/**
 * The same normalisation and commit path as HTTP ingest, for producers that already hold a
 * project (no key, signature or rate limit). Commits in chunks so memory stays bounded.
 */
export async function ingestTrusted(
  deps: { committer: GroupCommitter; enrichers: Enrichers; ipSalt: string },
  project: IngestProject,
  inputs: readonly TrustedInput[],
  chunkSize = 5_000,
): Promise<TrustedIngestResult> {
  const result: TrustedIngestResult = { accepted: 0, duplicates: 0, rejected: [] };
  for (let start = 0; start < inputs.length; start += chunkSize) {
    const batch: WriteBatch = createWriteBatch();
    inputs.slice(start, start + chunkSize).forEach((input, offset) => {
      const ctx: BatchContext = {
        project,
        receivedAt: input.receivedAt,
        sentAt: null,
        ip: input.ip,
        userAgent: input.userAgent,
        dnt: false,
        trusted: true,
        ipSalt: deps.ipSalt,
        enrichers: deps.enrichers,
        bodyBytes: null,
        memo: {},
      };
      const normalized = normalizeEvent(input.event, ctx);
      if (normalized.kind === 'rejected') {
        result.rejected.push({
          index: start + offset,
          code: normalized.code,
          message: normalized.message,
        });
      } else if (normalized.kind === 'ok') {
        appendToBatch(batch, normalized);
      }
    });
    const { inserted } = await deps.committer.submit(batch);
    const accepted = inserted.filter(Boolean).length;
    result.accepted += accepted;
    result.duplicates += batch.events.length - accepted;
  }
  return result;
}

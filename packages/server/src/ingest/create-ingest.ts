import type { SightlineConfig } from '../config/index.ts';
import type { Clock } from '../platform/index.ts';
import type { ProjectService } from '../projects/index.ts';
import type { EventStore } from '../store/index.ts';
import { createEnrichers } from './create-enrichers.ts';
import { createGroupCommitter, type GroupCommitter } from './pipeline/group-committer.ts';
import { createIngestService, type IngestService } from './pipeline/ingest-service.ts';
import { createRateLimiter, type RateLimiter } from '../platform/index.ts';
import type { Enrichers } from './pipeline/enrichers.ts';
import type { IngestProject } from '../projects/index.ts';
import {
  ingestTrusted,
  type TrustedIngestResult,
  type TrustedInput,
} from './pipeline/ingest-trusted.ts';

export interface CreateIngestOptions {
  config: SightlineConfig;
  clock: Clock;
  eventStore: EventStore;
  projects: ProjectService;
  /** Where failed commits are reported (the client only sees ERR_STORE_UNAVAILABLE). */
  logger: { error(details: object, message: string): void };
}

export interface Ingest {
  service: IngestService;
  committer: GroupCommitter;
  enrichers: Enrichers;
  ipLimiter: RateLimiter;
  /** Demo data and other in-process producers: same pipeline, no key or rate limit. */
  ingestTrusted(
    project: IngestProject,
    inputs: readonly TrustedInput[],
  ): Promise<TrustedIngestResult>;
  /** Events accepted by HTTP but not yet committed. */
  queueDepth(): number;
  /** Resolves when everything submitted so far is committed. */
  drain(): Promise<void>;
}

export function createIngest(options: CreateIngestOptions): Ingest {
  const { config, clock } = options;
  const committer = createGroupCommitter({
    store: options.eventStore,
    maxQueueEvents: config.writerQueueMaxEvents,
    flushMs: config.writerFlushMs,
    maxBatchEvents: config.writerMaxBatchEvents,
    onCommitError: (error, events) => options.logger.error({ err: error, events }, 'commit failed'),
  });
  const enrichers = createEnrichers({ uaCacheSize: config.uaCacheSize });
  const keyLimiter = createRateLimiter({
    ratePerSec: config.rateLimitKeyPerSec,
    burst: config.rateLimitKeyBurst,
    clock,
  });
  const ipLimiter = createRateLimiter({
    ratePerSec: config.rateLimitIpPerSec,
    burst: config.rateLimitIpBurst,
    clock,
  });
  const service = createIngestService({
    projects: options.projects,
    committer,
    enrichers,
    keyLimiter,
    clock,
    ipSalt: config.ipSalt,
    signatureToleranceSec: config.signatureToleranceSec,
  });
  return {
    service,
    committer,
    enrichers,
    ipLimiter,
    ingestTrusted: (project, inputs) =>
      ingestTrusted({ committer, enrichers, ipSalt: config.ipSalt }, project, inputs),
    queueDepth: () => committer.depth(),
    drain: () => committer.drain(),
  };
}

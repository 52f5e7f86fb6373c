import { ERR_REQUEST_INVALID, SightlineError } from '@sightline/shared';
import { z } from 'zod';

const HOUR_MS = 3_600_000;
/** Longest range one quality request may cover; a longer one would scan months of raw events. */
export const MAX_QUALITY_RANGE_MS = 90 * 24 * HOUR_MS;
/** Range when `from` is not given: the last 24 hours. */
export const DEFAULT_QUALITY_RANGE_MS = 24 * HOUR_MS;

const EPOCH_MS_PATTERN = /^\d{1,15}$/;
const isoDateTime = z.iso.datetime({ offset: true, local: false });

export interface QualityRangeQuery {
  /** ISO-8601 with offset (2026-11-20T00:00:00Z) or epoch ms. */
  from?: string | undefined;
  to?: string | undefined;
}

/** Epoch ms, half-open [from, to), on whole UTC hours. */
export interface QualityRange {
  from: number;
  to: number;
}

/**
 * Parses and checks the range of a quality request and widens it to whole UTC hours, because
 * ingest counts are kept per hour. Without `to` it ends at the end of the current hour; without
 * `from` it starts 24 hours before that.
 */
export function resolveQualityRange(query: QualityRangeQuery, now: number): QualityRange {
  const to = query.to === undefined ? now : parseInstant(query.to, 'to');
  const alignedTo = Math.ceil(to / HOUR_MS) * HOUR_MS;
  if (query.from === undefined)
    return { from: alignedTo - DEFAULT_QUALITY_RANGE_MS, to: alignedTo };
  const from = parseInstant(query.from, 'from');
  if (from >= to) throw invalid('from must be before to');
  if (to - from > MAX_QUALITY_RANGE_MS) throw invalid('the range must not exceed 90 days');
  return { from: Math.floor(from / HOUR_MS) * HOUR_MS, to: alignedTo };
}

function parseInstant(value: string, name: string): number {
  const ms = EPOCH_MS_PATTERN.test(value)
    ? Number(value)
    : isoDateTime.safeParse(value).success
      ? Date.parse(value)
      : Number.NaN;
  if (!Number.isFinite(ms)) throw invalid(`${name} must be ISO-8601 with an offset or epoch ms`);
  return ms;
}

function invalid(reason: string): SightlineError {
  return new SightlineError(ERR_REQUEST_INVALID, { reason });
}

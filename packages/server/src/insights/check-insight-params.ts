import {
  ERR_INSIGHT_KIND_UNKNOWN,
  ERR_INSIGHT_PARAMS_INVALID,
  queryRequestShape,
  SightlineError,
} from '@sightline/shared';
import { z } from 'zod';
import { findReport } from '../queries/index.ts';
import { INSIGHT_KINDS, MAX_PARAMS_CHARS, type InsightKind } from './insight-schemas.ts';

const isInsightKind = (kind: string): kind is InsightKind =>
  (INSIGHT_KINDS as readonly string[]).includes(kind);

/**
 * Refuses an insight that could not run, without running it: its kind must be a report the
 * analysis page builds, and its params must parse as that report's request (the same schema the
 * report route validates with, so a saved insight is a request the API accepts).
 */
export function checkInsight(kind: string, params: Record<string, unknown>): InsightKind {
  const report = isInsightKind(kind) ? findReport(kind) : undefined;
  if (!report || !isInsightKind(kind))
    throw new SightlineError(ERR_INSIGHT_KIND_UNKNOWN, { kind, kinds: INSIGHT_KINDS.join(', ') });
  if (JSON.stringify(params).length > MAX_PARAMS_CHARS)
    throw new SightlineError(ERR_INSIGHT_PARAMS_INVALID, {
      kind,
      reason: `longer than ${MAX_PARAMS_CHARS} characters as JSON`,
    });
  const parsed = z.object({ ...queryRequestShape, ...report.params.shape }).safeParse(params);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    }));
    const first = issues[0];
    throw new SightlineError(
      ERR_INSIGHT_PARAMS_INVALID,
      { kind, reason: first ? `${first.path || 'params'}: ${first.message}` : 'invalid' },
      issues,
    );
  }
  return kind;
}

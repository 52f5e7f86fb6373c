import type { Granularity } from '@sightline/shared';
import type { ReportKind, ReportPeriod } from '../report-document.ts';
import type { ContentRequest } from './create-content-runner.ts';

/** The query API request for a period: its local dates, `to` inclusive. */
export function toPeriodRequest(
  period: Pick<ReportPeriod, 'startDate' | 'endDate'>,
  extra: Record<string, unknown> = {},
): ContentRequest {
  return { ...extra, from: period.startDate, to: period.endDate };
}

/** Rows of the per-bucket tables: hours of a day, days of a week or month. */
export function getBucketGranularity(kind: ReportKind): Extract<Granularity, 'hour' | 'day'> {
  return kind === 'daily' ? 'hour' : 'day';
}

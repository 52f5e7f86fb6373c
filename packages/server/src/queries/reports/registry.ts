import type { AnyReport } from './define-report.ts';
import { kpisReport } from './kpis/kpis-report.ts';
import { trendsReport } from './trends/trends-report.ts';
import { lifecycleReport } from './retention/lifecycle-report.ts';
import { retentionReport } from './retention/retention-report.ts';
import { stickinessReport } from './retention/stickiness-report.ts';

/** Every report the HTTP API, the CLI and exports offer, by id. */
export const REPORTS: readonly AnyReport[] = [trendsReport, retentionReport, lifecycleReport, stickinessReport, kpisReport];

export function findReport(id: string): AnyReport | undefined {
  return REPORTS.find((report) => report.id === id);
}

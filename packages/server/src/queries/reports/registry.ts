import type { AnyReport } from './define-report.ts';
import { trendsReport } from './trends/trends-report.ts';

/** Every report the HTTP API, the CLI and exports offer, by id. */
export const REPORTS: readonly AnyReport[] = [trendsReport];

export function findReport(id: string): AnyReport | undefined {
  return REPORTS.find((report) => report.id === id);
}

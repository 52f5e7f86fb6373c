import type { AnyReport } from './define-report.ts';
import { funnelReport } from './funnels/funnel-report.ts';
import { pathsReport } from './paths/paths-report.ts';
import { kpisReport } from './kpis/kpis-report.ts';
import { trendsReport } from './trends/trends-report.ts';
import { apiSliReport } from './tech/api-sli-report.ts';
import { errorGroupsReport } from './tech/error-groups-report.ts';
import { topProductsReport } from './commerce/top-products-report.ts';
import { agentLeaderboardReport } from './commerce/agent-leaderboard-report.ts';
import { commissionAnomaliesReport } from './commerce/commission-anomalies-report.ts';
import { serviceStatsReport } from './commerce/service-stats-report.ts';
import { lifecycleReport } from './retention/lifecycle-report.ts';
import { retentionReport } from './retention/retention-report.ts';
import { stickinessReport } from './retention/stickiness-report.ts';
import { attributionReport } from './attribution/attribution-report.ts';
import { rfmReport } from './segments/rfm-report.ts';
import { eventsReport } from './explorer/events-report.ts';
import { eventDetailReport } from './explorer/event-detail-report.ts';
import { orderBurstsReport } from './anomalies/order-bursts-report.ts';
import { largeFirstOrdersReport } from './anomalies/large-first-orders-report.ts';
import { sharedAddressesReport } from './anomalies/shared-addresses-report.ts';
import { amountOutliersReport } from './anomalies/amount-outliers-report.ts';
import { inventoryRisksReport } from './anomalies/inventory-risks-report.ts';
import { restockAnomaliesReport } from './anomalies/restock-anomalies-report.ts';

/** Every report the HTTP API, the CLI and exports offer, by id. */
export const REPORTS: readonly AnyReport[] = [
  trendsReport,
  retentionReport,
  lifecycleReport,
  stickinessReport,
  kpisReport,
  rfmReport,
  attributionReport,
  apiSliReport,
  errorGroupsReport,
  topProductsReport,
  agentLeaderboardReport,
  commissionAnomaliesReport,
  serviceStatsReport,
  funnelReport,
  pathsReport,
  eventsReport,
  eventDetailReport,
  orderBurstsReport,
  largeFirstOrdersReport,
  sharedAddressesReport,
  amountOutliersReport,
  inventoryRisksReport,
  restockAnomaliesReport,
];

export function findReport(id: string): AnyReport | undefined {
  return REPORTS.find((report) => report.id === id);
}

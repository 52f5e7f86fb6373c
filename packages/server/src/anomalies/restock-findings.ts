import type { RestockAnomaliesResult } from '../queries/reports/anomalies/restock-anomalies-report.ts';
import type { FindingDraft } from './anomaly-schema.ts';

const labelOf = (row: { name: string | null; productId: string }) => row.name ?? row.productId;
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/**
 * Findings from the restock report: one per product and the count that showed the movement, so
 * a later scan that sees the same count again (a late import, a recheck) refreshes it.
 */
export function draftRestockFindings(result: RestockAnomaliesResult): FindingDraft[] {
  const drafts: FindingDraft[] = [];
  for (const restock of result.restockOutliers) {
    const reasons: string[] = [];
    if (restock.aboveUsual && restock.multipleOfUsual !== null && restock.usualQuantity !== null)
      reasons.push(`${round(restock.multipleOfUsual)}× the usual ${round(restock.usualQuantity)}`);
    if (restock.overstock)
      reasons.push(
        restock.coverDays === null
          ? `no sale in the ${round(restock.inStockDaysBefore)} in-stock days before`
          : `${Math.round(restock.coverDays)} days of sales at ${round(restock.avgDailyUnits ?? 0, 2)}/day`,
      );
    drafts.push({
      kind: 'restock_outlier',
      dedupKey: `restock_outlier:${restock.productId}:${restock.restockedAt}`,
      severity: 'medium',
      summary:
        `${labelOf(restock)}: ${restock.quantity} units received between ` +
        `${restock.previousCountAt} and ${restock.restockedAt}, ${reasons.join(', ')}`,
      occurredAt: Date.parse(restock.restockedAt),
      evidence: { ...restock, maxCoverDays: result.maxCoverDays },
    });
  }
  for (const loss of result.shrinkage) {
    drafts.push({
      kind: 'stock_shrinkage',
      dedupKey: `stock_shrinkage:${loss.productId}:${loss.toAt}`,
      // Missing goods are money gone: theft, damage written off unrecorded, or wrong counts.
      severity: 'high',
      summary:
        `${labelOf(loss)}: stock fell by ${loss.stockDecrease} between ${loss.fromAt} and ` +
        `${loss.toAt} but ${loss.unitsSold} were sold: ${loss.unexplainedUnits} unexplained`,
      occurredAt: Date.parse(loss.toAt),
      evidence: { ...loss },
    });
  }
  for (const late of result.lateRestocks) {
    const demand =
      late.avgDailyUnits === null
        ? `${late.unitsSoldBefore} sold before`
        : `selling ${round(late.avgDailyUnits, 2)}/day before`;
    drafts.push({
      kind: 'late_restock',
      dedupKey: `late_restock:${late.productId}:${late.restockedAt}`,
      severity: 'medium',
      summary:
        `${labelOf(late)}: out of stock for ${round(late.stockoutDays)} days ` +
        `(${late.outOfStockSince} – ${late.restockedAt}), ${demand}`,
      occurredAt: Date.parse(late.restockedAt),
      evidence: {
        ...late,
        maxStockoutDays: result.maxStockoutDays,
        salesDays: result.salesDays,
      },
    });
  }
  return drafts;
}

import type { z } from 'zod';
import { createHash } from 'node:crypto';
import { createQueryContext, duckDbDialect, withRange } from '../queries/index.ts';
import {
  amountOutliersParams,
  amountOutliersReport,
} from '../queries/reports/anomalies/amount-outliers-report.ts';
import {
  inventoryRisksParams,
  inventoryRisksReport,
  type InventoryRisk,
} from '../queries/reports/anomalies/inventory-risks-report.ts';
import {
  largeFirstOrdersParams,
  largeFirstOrdersReport,
} from '../queries/reports/anomalies/large-first-orders-report.ts';
import {
  orderBurstsParams,
  orderBurstsReport,
} from '../queries/reports/anomalies/order-bursts-report.ts';
import {
  restockAnomaliesParams,
  restockAnomaliesReport,
} from '../queries/reports/anomalies/restock-anomalies-report.ts';
import {
  sharedAddressesParams,
  sharedAddressesReport,
} from '../queries/reports/anomalies/shared-addresses-report.ts';
import { commissionAnomaliesReport } from '../queries/reports/commerce/commission-anomalies-report.ts';
import type { EventStore } from '../store/index.ts';
import type { FindingDraft, FindingKind } from './anomaly-schema.ts';
import { draftRestockFindings } from './restock-findings.ts';

/** Detector settings beyond the defaults of each report's params. */
export interface DetectorSettings {
  orderBursts?: Partial<z.input<typeof orderBurstsParams>>;
  largeFirstOrders?: Partial<z.input<typeof largeFirstOrdersParams>>;
  sharedAddresses?: Partial<z.input<typeof sharedAddressesParams>>;
  amountOutliers?: Partial<z.input<typeof amountOutliersParams>>;
  inventory?: Partial<z.input<typeof inventoryRisksParams>>;
  restocks?: Partial<z.input<typeof restockAnomaliesParams>> & {
    /**
     * Stock counts taken up to this many days before the scan window are looked at again on
     * every scan (default 3): stock files are often imported hours or a day after their snapshot
     * time, after the scan that covered it. Findings keep their keys, so nothing is stored twice.
     */
    recheckDays?: number;
  };
  commissions?: {
    /**
     * A commission ratio above the agent's normal range counts only with at least this many
     * earlier orders of the agent (default 10): with two or three, any ratio is "unusual".
     */
    minRatioHistory?: number;
  };
}

/** See DetectorSettings.commissions.minRatioHistory. */
export const MIN_RATIO_HISTORY = 10;

/** See DetectorSettings.restocks.recheckDays. */
export const RESTOCK_RECHECK_DAYS = 3;
const DAY_MS = 86_400_000;

export interface RunDetectorsOptions {
  store: EventStore;
  project: { id: string; timeZone: string };
  /** The scan window, epoch ms [from, to); inventory is looked at as of `to`. */
  from: number;
  to: number;
  settings?: DetectorSettings;
}

/** A short stable digest, so keys built from long lists stay short. */
const digestOf = (parts: readonly string[]) =>
  createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);

/** Runs every detector over the window and turns its findings into drafts with stable keys. */
export async function runDetectors(options: RunDetectorsOptions): Promise<FindingDraft[]> {
  const { settings = {} } = options;
  const ctx = createQueryContext({
    store: options.store,
    dialect: duckDbDialect,
    projectId: options.project.id,
    timeZone: options.project.timeZone,
    from: options.from,
    to: options.to,
    now: options.to,
    granularity: 'all',
  });
  const { recheckDays = RESTOCK_RECHECK_DAYS, ...restockSettings } = settings.restocks ?? {};
  const restockCtx = withRange(ctx, Math.min(ctx.from, ctx.to - recheckDays * DAY_MS), ctx.to);
  const [bursts, firsts, addresses, amounts, inventory, commissions, restocks] = await Promise.all([
    orderBurstsReport.run(ctx, orderBurstsParams.parse(settings.orderBursts ?? {})),
    largeFirstOrdersReport.run(ctx, largeFirstOrdersParams.parse(settings.largeFirstOrders ?? {})),
    sharedAddressesReport.run(ctx, sharedAddressesParams.parse(settings.sharedAddresses ?? {})),
    amountOutliersReport.run(ctx, amountOutliersParams.parse(settings.amountOutliers ?? {})),
    inventoryRisksReport.run(ctx, inventoryRisksParams.parse(settings.inventory ?? {})),
    commissionAnomaliesReport.run(ctx, { flaggedOnly: true, limit: 1000 }),
    restockAnomaliesReport.run(restockCtx, restockAnomaliesParams.parse(restockSettings)),
  ]);
  const drafts: FindingDraft[] = [];
  for (const burst of bursts.bursts) {
    const by = burst.ipHash === null ? `device:${burst.deviceId}` : `ip:${burst.ipHash}`;
    drafts.push({
      kind: 'order_burst',
      dedupKey: `order_burst:${by}:${burst.firstOrderId}`,
      severity: 'high',
      summary:
        `${burst.orderCount} orders from one ${burst.ipHash === null ? 'device' : 'IP'} ` +
        `across ${burst.accounts.length} account(s) between ${burst.firstAt} and ${burst.lastAt}`,
      occurredAt: Date.parse(burst.firstAt),
      evidence: { ...burst, minOrders: bursts.minOrders, windowMinutes: bursts.windowMinutes },
    });
  }
  for (const first of firsts.orders) {
    drafts.push({
      kind: 'large_first_order',
      dedupKey: `large_first_order:${first.orderId}`,
      severity: 'high',
      summary:
        `First order ${first.orderId} of ${first.account} is ${first.multiple.toFixed(1)}× the ` +
        `typical order, ${first.accountAgeMinutes} min after the account was first seen`,
      occurredAt: Date.parse(first.paidAt),
      evidence: { ...first },
    });
  }
  for (const address of addresses.addresses) {
    drafts.push({
      kind: 'shared_address',
      dedupKey: `shared_address:${address.addressHash}:${digestOf([...address.accounts].sort())}`,
      severity: 'medium',
      summary: `${address.accountCount} accounts ordered to one address (${address.orderCount} orders)`,
      occurredAt: Date.parse(address.firstAt),
      evidence: { ...address, minAccounts: addresses.minAccounts },
    });
  }
  // A large first order is usually an amount outlier too: it is reported once, as the former.
  const firstOrderIds = new Set(firsts.orders.map((o) => o.orderId));
  for (const outlier of amounts.orders) {
    if (firstOrderIds.has(outlier.orderId)) continue;
    drafts.push({
      kind: 'amount_outlier',
      dedupKey: `amount_outlier:${outlier.orderId}`,
      severity: 'medium',
      summary: `Order ${outlier.orderId} amount ${outlier.payAmount} has robust z ${outlier.robustZ.toFixed(1)}`,
      occurredAt: Date.parse(outlier.paidAt),
      evidence: { ...outlier, median: amounts.median, mad: amounts.mad },
    });
  }
  const inventoryDraft = (
    kind: FindingKind,
    product: InventoryRisk,
    key: string,
    summary: string,
  ) =>
    drafts.push({
      kind,
      dedupKey: `${kind}:${product.productId}:${key}`,
      severity: kind === 'low_stock' ? 'medium' : 'low',
      summary,
      occurredAt: Date.parse(product.snapshotAt),
      evidence: { ...product },
    });
  for (const product of inventory.lowStock)
    inventoryDraft(
      'low_stock',
      product,
      // One finding per product and snapshot day while it stays low.
      product.snapshotAt.slice(0, 10),
      `${product.name ?? product.productId}: ${product.available} available, ` +
        `${product.leadTimeNeed.toFixed(1)} needed over a ${product.leadTimeDays}-day lead time`,
    );
  for (const product of inventory.slowMovers)
    inventoryDraft(
      'slow_mover',
      product,
      product.lastSoldAt ?? 'never',
      `${product.name ?? product.productId}: ${product.onHand} on hand, no sale since ` +
        `${product.lastSoldAt ?? 'it was stocked'}`,
    );
  drafts.push(...draftRestockFindings(restocks));
  const minRatioHistory = settings.commissions?.minRatioHistory ?? MIN_RATIO_HISTORY;
  for (const order of commissions.orders) {
    // Only a ratio above the agent's range, learnt from enough orders, is a risk.
    const ratioOutlier =
      order.ratioOutlier && (order.robustZ ?? 0) > 0 && order.historyOrders >= minRatioHistory;
    if (!order.buyerIsAgent && !ratioOutlier && !order.negativeMargin) continue;
    // The strongest flag names the finding; the others are in its evidence.
    const kind: FindingKind = order.buyerIsAgent
      ? 'self_dealing'
      : ratioOutlier
        ? 'commission_ratio_outlier'
        : 'negative_margin';
    drafts.push({
      kind,
      dedupKey: `commission:${order.orderId}`,
      severity: kind === 'negative_margin' ? 'medium' : 'high',
      summary:
        `Order ${order.orderId} of agent ${order.agentId}: ` +
        [
          order.buyerIsAgent ? 'bought by the agent' : null,
          ratioOutlier ? `commission ratio ${order.commissionRatio?.toFixed(2)} unusual` : null,
          order.negativeMargin ? `margin ${order.margin}` : null,
        ]
          .filter((part) => part !== null)
          .join(', '),
      occurredAt: Date.parse(order.paidAt),
      evidence: { ...order, ratioOutlier },
    });
  }
  return drafts;
}

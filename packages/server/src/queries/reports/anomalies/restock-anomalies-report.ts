import { defineReport } from '../define-report.ts';
import { findRestockAnomalies } from './find-restock-anomalies.ts';
import { loadStockSeries } from './load-stock-series.ts';
import { DAY_MS } from './order-facts-sql.ts';
import {
  restockAnomaliesParams,
  restockAnomaliesResult,
  type RestockAnomaliesResult,
} from './restock-anomaly-schemas.ts';

export {
  restockAnomaliesParams,
  type LateRestock,
  type RestockAnomaliesParams,
  type RestockAnomaliesResult,
  type RestockOutlier,
  type StockShrinkage,
} from './restock-anomaly-schemas.ts';

export const restockAnomaliesReport = defineReport({
  id: 'anomaly_restock_anomalies',
  summary: 'Stock movements between inventory counts that sales do not explain',
  description:
    'Each product’s stock (on hand summed over warehouses) at each inventory snapshot, set against ' +
    'the paid units sold between consecutive counts. For counts taken in the range: restock ' +
    'outliers, where the units received (increase + units sold in between) are above the usual ' +
    'range of the product’s restocks of the historyDays before (more than minMultiple × median ' +
    'and robust z above zThreshold, with at least minHistory earlier restocks) or last longer ' +
    'than maxCoverDays at the demand of the salesDays before (units per in-stock day); ' +
    'shrinkage, where stock fell by more than the units sold plus a tolerance of ' +
    'max(shrinkageMinUnits, shrinkageShare × units sold); late restocks, where a product that ' +
    'sold in the salesDays before running out was at 0 for more than maxStockoutDays. The input ' +
    'of the restock detectors.',
  params: restockAnomaliesParams,
  result: restockAnomaliesResult,
  defaultGranularity: 'all',
  async run(ctx, params): Promise<RestockAnomaliesResult> {
    // Enough counts and sales before the range for the restock history and the demand windows.
    const salesFrom = ctx.from - (params.historyDays + params.salesDays) * DAY_MS;
    const series = await loadStockSeries(ctx, { snapshotsFrom: salesFrom, salesFrom });
    const found = findRestockAnomalies(series, {
      params,
      from: ctx.from,
      to: ctx.to,
      salesFrom,
    });
    return {
      historyDays: params.historyDays,
      salesDays: params.salesDays,
      maxCoverDays: params.maxCoverDays,
      maxStockoutDays: params.maxStockoutDays,
      ...found,
    };
  },
  toTable(result) {
    const columns = [
      'anomaly',
      'product_id',
      'name',
      'from_at',
      'to_at',
      'on_hand_before',
      'on_hand_after',
      'units_sold',
      'quantity',
      'usual_quantity',
      'cover_days',
      'unexplained_units',
      'stockout_days',
    ];
    return {
      columns,
      rows: [
        ...result.restockOutliers.map((r) => [
          'restock_outlier',
          r.productId,
          r.name,
          r.previousCountAt,
          r.restockedAt,
          r.onHandBefore,
          r.onHandAfter,
          r.unitsSold,
          r.quantity,
          r.usualQuantity,
          r.coverDays,
          null,
          null,
        ]),
        ...result.shrinkage.map((s) => [
          'stock_shrinkage',
          s.productId,
          s.name,
          s.fromAt,
          s.toAt,
          s.onHandBefore,
          s.onHandAfter,
          s.unitsSold,
          null,
          null,
          null,
          s.unexplainedUnits,
          null,
        ]),
        ...result.lateRestocks.map((l) => [
          'late_restock',
          l.productId,
          l.name,
          l.outOfStockSince,
          l.restockedAt,
          0,
          l.onHandAfter,
          l.unitsSoldDuring,
          l.quantity,
          null,
          null,
          null,
          l.stockoutDays,
        ]),
      ],
    };
  },
});

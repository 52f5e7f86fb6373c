import type { InventoryRow } from '../store/index.ts';
import type { DemoProduct } from './create-demo-products.ts';
import type { DemoDay } from './demo-calendar.ts';
import { findDemoStockAnomaly, getDemoStockAnomalyDay } from './demo-stock-anomalies.ts';

export interface StockAnomalyPlanter {
  /** The day's end-of-day snapshot rows as the warehouse reports them, anomalies included. */
  plant(day: DemoDay, rows: readonly InventoryRow[]): InventoryRow[];
}

/**
 * Applies DEMO_STOCK_ANOMALIES to the snapshots the inventory ledger takes. Only the reported
 * counts change (an offset per product from the anomaly's day on); the ledger, which decides what
 * can be sold and when to reorder, keeps its own count, so no order changes. No random draws.
 */
export function createStockAnomalyPlanter(
  products: readonly DemoProduct[],
  days: number,
): StockAnomalyPlanter {
  const byId = new Map(products.map((product) => [product.productId, product]));
  const restock = findDemoStockAnomaly('restock_outlier');
  const shrinkage = findDemoStockAnomaly('stock_shrinkage');
  const restockDay = getDemoStockAnomalyDay(restock, days);
  const shrinkageDay = getDemoStockAnomalyDay(shrinkage, days);
  /** Units each product's reported on-hand differs from the ledger's. */
  const offsets = new Map<string, number>();
  let delivery: { productId: string; units: number } | undefined;

  // Sold goods with a supplier that delivers: the ones a buyer or a thief would touch.
  const isCandidate = (row: InventoryRow) => {
    const product = byId.get(row.productId);
    return product !== undefined && product.popularity > 0 && !product.restockBlocked;
  };
  const pickBest = (rows: readonly InventoryRow[], score: (row: InventoryRow) => number) =>
    [...rows]
      .filter(isCandidate)
      .sort((a, b) => score(b) - score(a) || a.productId.localeCompare(b.productId))[0];
  const report = (row: InventoryRow) => row.onHand + (offsets.get(row.productId) ?? 0);

  return {
    plant(day, rows) {
      if (restockDay !== undefined && day.index === restockDay && delivery) {
        const { productId, units } = delivery;
        offsets.set(productId, (offsets.get(productId) ?? 0) + units);
      }
      if (day.index === shrinkageDay) {
        const target = pickBest(rows, report);
        if (target)
          offsets.set(
            target.productId,
            (offsets.get(target.productId) ?? 0) - shrinkage.details.units,
          );
      }
      let shipped: InventoryRow | undefined;
      if (restockDay !== undefined && day.index === restockDay - 1) {
        // Nothing else under way, so the day after shows this delivery alone arriving.
        shipped = pickBest(
          rows.filter((row) => row.inTransit === 0),
          (row) => byId.get(row.productId)?.expectedDailyUnits ?? 0,
        );
        const product = shipped ? byId.get(shipped.productId) : undefined;
        if (shipped && product)
          delivery = {
            productId: shipped.productId,
            units: restock.details.multiple * product.restockQuantity,
          };
      }
      return rows.map((row) => {
        const onHand = Math.max(0, report(row));
        const inTransit =
          row === shipped && delivery ? row.inTransit + delivery.units : row.inTransit;
        if (onHand === row.onHand && inTransit === row.inTransit) return row;
        return { ...row, onHand, reserved: Math.min(row.reserved, onHand), inTransit };
      });
    },
  };
}

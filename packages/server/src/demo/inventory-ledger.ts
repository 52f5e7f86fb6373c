import type { InventoryRow } from '../store/index.ts';
import type { DemoProduct } from './create-demo-products.ts';
import type { DemoDay } from './demo-calendar.ts';
import type { Prng } from './prng.ts';
import type { CartLine } from './shop-plan.ts';

const DEMO_WAREHOUSE = 'WH-HZ-01';

interface StockItem {
  product: DemoProduct;
  onHand: number;
  inTransit: number;
  arrivalDay: number;
}

export interface InventoryLedger {
  /** Picks in-stock goods by popularity; takes them from stock only when they are bought. */
  pickCart(rng: Prng, lineCount: number, isBought: boolean): CartLine[];
  /** Takes a fixed line from stock, as far as stock allows; returns the quantity taken. */
  take(product: DemoProduct, quantity: number): number;
  /** Receives due deliveries, places restock orders and returns the end-of-day snapshot. */
  closeDay(day: DemoDay, rng: Prng): InventoryRow[];
}

/** Stock per goods product: sales take from on-hand, restocks arrive after the lead time. */
export function createInventoryLedger(
  products: readonly DemoProduct[],
  projectId: string,
): InventoryLedger {
  const items: StockItem[] = products
    .filter((product) => product.productType === 'goods')
    .map((product) => ({ product, onHand: product.initialOnHand, inTransit: 0, arrivalDay: -1 }));
  const byId = new Map(items.map((item) => [item.product.productId, item]));

  const pickQuantity = (rng: Prng): number => rng.weightedPick([1, 2, 3, 4, 6], [75, 17, 5, 2, 1]);

  return {
    pickCart(rng, lineCount, isBought) {
      const lines: CartLine[] = [];
      for (let n = 0; n < lineCount; n += 1) {
        // Weights change as stock runs out, so the candidate list is rebuilt per pick.
        const candidates = items.filter(
          (item) =>
            item.onHand > 0 &&
            item.product.popularity > 0 &&
            !lines.some((line) => line.product === item.product),
        );
        if (candidates.length === 0) break;
        const item = rng.weightedPick(
          candidates,
          candidates.map((candidate) => candidate.product.popularity),
        );
        const quantity = Math.min(item.onHand, pickQuantity(rng));
        if (isBought) item.onHand -= quantity;
        lines.push({ product: item.product, quantity });
      }
      return lines;
    },
    take(product, quantity) {
      const item = byId.get(product.productId);
      if (!item) return quantity;
      const taken = Math.min(item.onHand, quantity);
      item.onHand -= taken;
      return taken;
    },
    closeDay(day, rng) {
      const snapshotTime = day.end - 1_000;
      return items.map((item): InventoryRow => {
        const { product } = item;
        if (item.inTransit > 0 && item.arrivalDay <= day.index) {
          item.onHand += item.inTransit;
          item.inTransit = 0;
        }
        if (
          !product.restockBlocked &&
          item.inTransit === 0 &&
          item.onHand <= product.reorderPoint
        ) {
          item.inTransit = product.restockQuantity;
          item.arrivalDay = day.index + product.leadTimeDays;
        }
        return {
          projectId,
          productId: product.productId,
          warehouse: DEMO_WAREHOUSE,
          snapshotTime,
          onHand: item.onHand,
          // Units in unpaid carts and unshipped orders.
          reserved: Math.min(item.onHand, rng.poisson(product.expectedDailyUnits * 0.3)),
          inTransit: item.inTransit,
          reorderPoint: product.reorderPoint,
          leadTimeDays: product.leadTimeDays,
        };
      });
    },
  };
}

import type { InventoryRow, ProductRow } from '../store/index.ts';
import { assertDemoOptions } from './assert-demo-options.ts';
import { createDemoCalendar } from './demo-calendar.ts';
import type { DemoOptions } from './demo-types.ts';
import { simulateShop } from './simulate-shop.ts';

/**
 * Products and one inventory snapshot per goods product per day (end of the local day). Runs the
 * same plan as generateDemoDays without writing events, so stock falls with the orders that the
 * event stream reports.
 */
export function generateDemoCatalog(options: DemoOptions): {
  products: ProductRow[];
  inventory: InventoryRow[];
} {
  assertDemoOptions(options);
  const calendar = createDemoCalendar(
    options.endTime,
    options.days,
    options.timeZone,
    options.includeToday,
  );
  const simulation = simulateShop(options, calendar);
  const updatedAt = calendar[0]?.start ?? options.endTime;
  const products = simulation.products.map((product): ProductRow => ({
    projectId: options.projectId,
    productId: product.productId,
    sku: product.sku,
    name: product.name,
    category: product.category,
    brand: product.brand,
    price: product.price,
    cost: product.cost,
    status: product.status,
    updatedAt,
  }));
  const inventory: InventoryRow[] = [];
  for (const plan of simulation.plans) inventory.push(...plan.inventory);
  return { products, inventory };
}

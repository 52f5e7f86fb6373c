import type { InventoryRow, ProductRow } from '../store/index.ts';
import { assertDemoOptions } from './assert-demo-options.ts';
import { createDemoCalendar } from './demo-calendar.ts';
import type { DemoOptions } from './demo-types.ts';
import { planCampaignCosts, type DemoCampaignCost } from './plan-campaign-costs.ts';
import { createStockAnomalyPlanter } from './plant-stock-anomalies.ts';
import { simulateShop } from './simulate-shop.ts';

export interface DemoCatalog {
  products: ProductRow[];
  /** One snapshot per goods product per day, at the end of the local day. */
  inventory: InventoryRow[];
  /** Spend per day and paid campaign, from the campaign's landing visits that day. */
  campaignCosts: DemoCampaignCost[];
}

/**
 * The demo's facts that are not events: products, inventory snapshots and campaign spend. Runs
 * the same plan as generateDemoDays without writing events, so stock falls with the orders that
 * the event stream reports and spend follows the visits it reports.
 */
export function generateDemoCatalog(options: DemoOptions): DemoCatalog {
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
  const campaignCosts: DemoCampaignCost[] = [];
  const stockAnomalies = createStockAnomalyPlanter(simulation.products, options.days);
  for (const plan of simulation.plans) {
    inventory.push(...stockAnomalies.plant(plan.day, plan.inventory));
    campaignCosts.push(...planCampaignCosts(plan, options.seed));
  }
  return { products, inventory, campaignCosts };
}

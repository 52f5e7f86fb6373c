export type { DemoChunk, DemoIngestInput, DemoOptions } from './demo-types.ts';
export { generateDemoCatalog, type DemoCatalog } from './generate-demo-catalog.ts';
export { generateDemoDays } from './generate-demo-days.ts';
export { generateDemoHistory } from './generate-demo-history.ts';
export type { DemoCampaignCost } from './plan-campaign-costs.ts';
export {
  DEMO_ANOMALIES,
  findDemoAnomaly,
  getDemoAnomalyDay,
  type DemoAnomaly,
} from './demo-anomalies.ts';
export {
  DEMO_STOCK_ANOMALIES,
  findDemoStockAnomaly,
  getDemoStockAnomalyDay,
  type DemoStockAnomaly,
} from './demo-stock-anomalies.ts';

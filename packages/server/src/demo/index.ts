export type { DemoChunk, DemoIngestInput, DemoOptions } from './demo-types.ts';
export { generateDemoCatalog } from './generate-demo-catalog.ts';
export { generateDemoDays } from './generate-demo-days.ts';
export {
  DEMO_ANOMALIES,
  findDemoAnomaly,
  getDemoAnomalyDay,
  type DemoAnomaly,
} from './demo-anomalies.ts';

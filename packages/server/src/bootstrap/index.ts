export { ensureAdmin, type AdminBootstrapResult } from './ensure-admin.ts';
export {
  DEMO_PROJECT_ID,
  seedDemo,
  type SeedDemoOptions,
  type SeedDemoResult,
} from './seed-demo.ts';
export { claimDataDir, findRunningServer, type RunningServer } from './server-lock.ts';

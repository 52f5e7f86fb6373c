import type { AppServices } from '../app.ts';
import { DEMO_ANOMALIES, generateDemoCatalog, generateDemoDays } from '../demo/index.ts';
import { createWriteBatch } from '../store/index.ts';

export const DEMO_PROJECT_ID = 'demo';

export interface SeedDemoOptions {
  days: number;
  seed: number;
  scale: number;
  /** End of the simulated period; defaults to now. */
  endTime?: number;
  onProgress?: (progress: { day: number; days: number; events: number }) => void;
}

export interface SeedDemoResult {
  projectId: string;
  writeKey: string;
  secretKey: string;
  accepted: number;
  duplicates: number;
  rejected: number;
  anomalies: number;
}

/**
 * Creates the demo project and fills it through the real ingest pipeline (normalisation,
 * enrichment, privacy, dedupe, order facts), so demo numbers behave like real ones.
 */
export async function seedDemo(
  services: AppServices,
  options: SeedDemoOptions,
): Promise<SeedDemoResult> {
  const { projects, ingest, config, clock } = services;
  const created = await projects.create(
    {
      id: DEMO_PROJECT_ID,
      name: 'Demo shop',
      timeZone: config.timeZone,
      retentionDays: config.retentionDays,
    },
    'system',
  );
  const project = await projects.resolveWriteKey(created.writeKey);
  if (!project) throw new Error('demo project key did not resolve');
  const demo = {
    seed: options.seed,
    days: options.days,
    scale: options.scale,
    endTime: options.endTime ?? clock.now(),
    timeZone: config.timeZone,
    projectId: DEMO_PROJECT_ID,
  };
  const catalog = generateDemoCatalog(demo);
  await ingest.committer.submit(
    createWriteBatch({ products: catalog.products, inventory: catalog.inventory }),
  );
  const totals = { accepted: 0, duplicates: 0, rejected: 0 };
  for (const chunk of generateDemoDays(demo)) {
    const result = await ingest.ingestTrusted(project, chunk.inputs);
    totals.accepted += result.accepted;
    totals.duplicates += result.duplicates;
    totals.rejected += result.rejected.length;
    options.onProgress?.({ day: chunk.day + 1, days: options.days, events: totals.accepted });
  }
  return {
    projectId: DEMO_PROJECT_ID,
    writeKey: created.writeKey,
    secretKey: created.secretKey,
    ...totals,
    anomalies: DEMO_ANOMALIES.length,
  };
}

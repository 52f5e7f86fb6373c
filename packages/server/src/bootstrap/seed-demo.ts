import type { AppServices } from '../app.ts';
import { createCampaignCostService, MAX_COST_ROWS } from '../campaigns/index.ts';
import {
  DEMO_ANOMALIES,
  generateDemoCatalog,
  generateDemoDays,
  generateDemoHistory,
  type DemoCampaignCost,
} from '../demo/index.ts';
import { createWriteBatch } from '../store/index.ts';
import { REPORT_KINDS, defaultDefinitionInput } from '../reports/index.ts';
import { DEMO_ALERT_RULES } from './demo-alert-rules.ts';

export const DEMO_PROJECT_ID = 'demo';

export interface SeedDemoOptions {
  /** Project to fill; created when missing. Defaults to "demo". */
  projectId?: string;
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
  /** Only when the project was created now (secret keys are shown once). */
  secretKey: string | null;
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Rows of daily campaign spend written (or rewritten: they are keyed by day and campaign). */
  campaignCosts: number;
  anomalies: number;
}

/**
 * Fills the demo project (creating it if needed) through the real ingest pipeline (normalisation,
 * enrichment, privacy, dedupe, order facts), so demo numbers behave like real ones. Products,
 * stock and campaign spend go where an operator's imports and entries would. Event ids follow
 * from the seed, so running it twice with the same options adds nothing.
 */
export async function seedDemo(
  services: AppServices,
  options: SeedDemoOptions,
): Promise<SeedDemoResult> {
  const { projects, ingest, config, clock } = services;
  const projectId = options.projectId ?? DEMO_PROJECT_ID;
  const { writeKey, secretKey } = await ensureDemoProject(services, projectId);
  // Only for a new project: rules an operator changed or deleted stay that way.
  if (secretKey !== null) {
    for (const rule of DEMO_ALERT_RULES)
      await services.alerting.rules.create(projectId, rule, 'system');
    // The demo team gets every report; without SMTP settings the delivery log says so.
    for (const kind of REPORT_KINDS)
      await services.reports.definitions.put(
        projectId,
        kind,
        { ...defaultDefinitionInput(kind), enabled: true, recipients: [config.adminEmail] },
        'system',
      );
  }
  const project = await projects.resolveWriteKey(writeKey);
  if (!project) throw new Error(`write key of project ${projectId} did not resolve`);
  const demo = {
    seed: options.seed,
    days: options.days,
    scale: options.scale,
    endTime: options.endTime ?? clock.now(),
    timeZone: config.timeZone,
    projectId,
    // Today so far too, so realtime and "today" numbers have something to show.
    includeToday: true,
  };
  const catalog = generateDemoCatalog(demo);
  await ingest.committer.submit(
    createWriteBatch({ products: catalog.products, inventory: catalog.inventory }),
  );
  await writeCampaignCosts(services, projectId, catalog.campaignCosts);
  const totals = { accepted: 0, duplicates: 0, rejected: 0 };
  const history = await ingest.ingestTrusted(project, generateDemoHistory(demo));
  totals.accepted += history.accepted;
  totals.duplicates += history.duplicates;
  totals.rejected += history.rejected.length;
  for (const chunk of generateDemoDays(demo)) {
    const result = await ingest.ingestTrusted(project, chunk.inputs);
    totals.accepted += result.accepted;
    totals.duplicates += result.duplicates;
    totals.rejected += result.rejected.length;
    const day = Math.min(chunk.day + 1, options.days);
    options.onProgress?.({ day, days: options.days, events: totals.accepted });
  }
  // The planted order burst, large first order and commission abuse go to the review queue
  // now rather than never: scheduled scans only look at the last hours.
  await services.ingest.drain();
  await services.anomalies.scan(projectId, {
    from: demo.endTime - (options.days + 1) * 86_400_000,
    to: demo.endTime,
  });
  return {
    projectId,
    writeKey,
    secretKey,
    ...totals,
    campaignCosts: catalog.campaignCosts.length,
    anomalies: DEMO_ANOMALIES.length,
  };
}

/** Spend goes in as a marketer would enter it (keyed by day, channel and campaign; audited). */
async function writeCampaignCosts(
  services: AppServices,
  projectId: string,
  costs: readonly DemoCampaignCost[],
): Promise<void> {
  const service = createCampaignCostService(services);
  for (let start = 0; start < costs.length; start += MAX_COST_ROWS) {
    await service.upsert(projectId, costs.slice(start, start + MAX_COST_ROWS), 'system');
  }
}

async function ensureDemoProject(services: AppServices, projectId: string) {
  const { projects, config } = services;
  const [existing] = await projects.list([projectId]);
  if (existing) {
    const key = (await projects.listKeys(projectId)).find((k) => k.kind === 'write');
    const writeKey = key ? key.display : await projects.addKey(projectId, 'write', 'system');
    return { writeKey, secretKey: null };
  }
  const created = await projects.create(
    {
      id: projectId,
      name: 'Demo shop',
      timeZone: config.timeZone,
      retentionDays: config.retentionDays,
    },
    'system',
  );
  return { writeKey: created.writeKey, secretKey: created.secretKey };
}

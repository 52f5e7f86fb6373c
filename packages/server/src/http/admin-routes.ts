import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../app.ts';
import { registerAuditRoutes } from '../audit/index.ts';
import { registerAuthRoutes } from '../auth/index.ts';
import { registerCampaignCostRoutes } from '../campaigns/index.ts';
import { registerImportRoutes } from '../imports/index.ts';
import { registerProjectRoutes, registerSdkConfigRoutes } from '../projects/index.ts';
import { registerSegmentRoutes } from '../queries/index.ts';
import { registerQualityRoutes } from '../quality/index.ts';
import { registerRetentionRoutes } from '../retention/index.ts';

/** The administration API: accounts, projects and keys, audit, retention, data quality. */
export function registerAdminRoutes(app: FastifyInstance, services: AppServices): void {
  registerAuthRoutes(app, { auth: services.auth, config: services.config, clock: services.clock });
  registerProjectRoutes(app, { projects: services.projects, config: services.config });
  registerSdkConfigRoutes(app, { projects: services.projects });
  registerAuditRoutes(app, { audit: services.audit });
  registerImportRoutes(app, { services });
  registerRetentionRoutes(app, services);
  registerQualityRoutes(app, services);
  registerSegmentRoutes(app, services);
  registerCampaignCostRoutes(app, services);
}

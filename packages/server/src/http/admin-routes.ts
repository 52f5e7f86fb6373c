import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../app.ts';
import { registerAuditRoutes } from '../audit/index.ts';
import { registerAuthRoutes } from '../auth/index.ts';
import { registerProjectRoutes } from '../projects/index.ts';

/** The administration API: accounts, projects and keys, audit. */
export function registerAdminRoutes(app: FastifyInstance, services: AppServices): void {
  registerAuthRoutes(app, { auth: services.auth, config: services.config });
  registerProjectRoutes(app, { projects: services.projects, config: services.config });
  registerAuditRoutes(app, { audit: services.audit });
}

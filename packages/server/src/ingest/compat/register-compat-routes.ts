import type { FastifyInstance } from 'fastify';
import type { CompatRoutesOptions } from './compat-scope.ts';
import { registerPostHogRoutes } from './posthog-routes.ts';
import { registerSegmentRoutes } from './segment-routes.ts';

export type { CompatRoutesOptions } from './compat-scope.ts';

/**
 * Endpoints in the wire formats of Segment and PostHog, so teams keep their current trackers and
 * point them at Sightline. Each maps the tracker's messages to our events and hands them to the
 * same ingest service as POST /api/v1/batch.
 */
export async function registerCompatRoutes(
  app: FastifyInstance,
  options: CompatRoutesOptions,
): Promise<void> {
  await registerSegmentRoutes(app, options);
  await registerPostHogRoutes(app, options);
}

import type { FastifyRequest } from 'fastify';
import { ERR_AUTH_FORBIDDEN, SightlineError } from '@sightline/shared';
import { getPrincipal, SECURED_ROUTE } from '../auth/index.ts';

/**
 * Share links carry projects:read too, but they open one project's dashboards: the server's
 * own health and probe targets (internal host names) are not part of what they share.
 */
function refuseShareLinks(request: FastifyRequest): Promise<void> {
  if (getPrincipal(request).kind === 'share') {
    const permission = 'monitoring (not for share links)';
    return Promise.reject(new SightlineError(ERR_AUTH_FORBIDDEN, { permission }));
  }
  return Promise.resolve();
}

/** Route options of the monitoring reads: any signed-in user or token with projects:read. */
export const READ_ROUTE = {
  config: { permission: 'projects:read' },
  preHandler: refuseShareLinks,
} as const;

/** Route options of target changes: admins (projects:manage). */
export const MANAGE_ROUTE = { config: { permission: 'projects:manage' } } as const;

export const MONITORING_TAGS = { tags: ['monitoring'], security: SECURED_ROUTE };

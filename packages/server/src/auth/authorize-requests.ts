import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  ERR_AUTH_FORBIDDEN,
  ERR_AUTH_REQUIRED,
  ERR_AUTH_SCOPE_RESTRICTED,
  SightlineError,
} from '@sightline/shared';
import { canAccessProject, getRowScope, type Permission, type Principal } from './permissions.ts';
import type { AuthService } from './auth-service.ts';

export const SESSION_COOKIE = 'sl_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission this route needs; routes without one are public (ingest, health, login). */
    permission?: Permission;
    /**
     * The answer covers every row of the project (alerts, anomaly findings): callers whose
     * access to the project is limited to some rows (a row-level scope) are refused.
     */
    wholeProject?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/**
 * The one place access is checked: each route declares `config.permission`; a `:projectId` path
 * parameter is checked against the principal's projects here, so no handler can forget it.
 */
export function registerAuthorization(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('principal', null);
  app.addHook('preHandler', async (request: FastifyRequest) => {
    const permission = request.routeOptions.config.permission;
    if (!permission) return;
    const principal = await auth.authenticate({
      authorization: request.headers.authorization,
      sessionToken: request.cookies[SESSION_COOKIE],
    });
    if (!principal) throw new SightlineError(ERR_AUTH_REQUIRED);
    if (!principal.permissions.has(permission)) {
      throw new SightlineError(ERR_AUTH_FORBIDDEN, { permission });
    }
    const projectId = (request.params as { projectId?: string } | undefined)?.projectId;
    if (projectId !== undefined && !canAccessProject(principal, projectId)) {
      throw new SightlineError(ERR_AUTH_FORBIDDEN, { permission: `project ${projectId}` });
    }
    if (
      projectId !== undefined &&
      request.routeOptions.config.wholeProject &&
      !seesWholeProject(principal, projectId)
    )
      throw new SightlineError(ERR_AUTH_SCOPE_RESTRICTED, { projectId });
    request.principal = principal;
  });
}

/** May see every row of the project: has access to it, without a row-level scope. */
export function seesWholeProject(principal: Principal, projectId: string): boolean {
  return canAccessProject(principal, projectId) && getRowScope(principal, projectId).length === 0;
}

/** The principal of a route that declared a permission (set by the hook above). */
export function getPrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new SightlineError(ERR_AUTH_REQUIRED);
  return request.principal;
}

/** OpenAPI security of routes that declare a permission: an API token or a login session. */
export const SECURED_ROUTE: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];

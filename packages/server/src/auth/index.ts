export {
  createAuthService,
  type AuthService,
  type AuthServiceOptions,
  type CreateTokenParams,
  type CreateUserParams,
  type User,
} from './auth-service.ts';
export { generatePassword, MIN_PASSWORD_CHARS } from './passwords.ts';
export type { Credentials } from './authenticate.ts';
export { rowScopeSchema, type ProjectAccess, type ProjectAccessInput } from './row-scope.ts';
export {
  canAccessProject,
  describeActor,
  getRowScope,
  isPermission,
  isRole,
  PERMISSIONS,
  ROLE_PERMISSIONS,
  ROLES,
  type Permission,
  type Principal,
  type Role,
} from './permissions.ts';
export {
  getPrincipal,
  registerAuthorization,
  SECURED_ROUTE,
  seesWholeProject,
  SESSION_COOKIE,
} from './authorize-requests.ts';
export { registerAuthRoutes, type AuthRoutesDeps } from './auth-routes.ts';
export {
  SHARE_DEFAULT_HOURS,
  SHARE_MAX_HOURS,
  type CreateShareParams,
  type OpenedShare,
  type ShareLink,
  type ShareLinks,
} from './share-links.ts';

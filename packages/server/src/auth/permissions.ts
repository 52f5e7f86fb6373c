import type { Filter } from '@sightline/shared';

/** Every permission a route can require. Routes declare one; `authorize` checks it in one place. */
export const PERMISSIONS = [
  'projects:read',
  'projects:manage',
  'keys:read',
  'keys:manage',
  'users:manage',
  'tokens:manage',
  'data:read',
  'data:export',
  'data:share',
  'data:import',
  'data:delete',
  'retention:run',
  'audit:read',
  'alerts:respond',
  'alerts:manage',
  'reports:generate',
  'reports:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['admin', 'analyst', 'operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Role → permissions. Admins also see every project; others only those granted to them. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSIONS,
  analyst: [
    'projects:read',
    'data:read',
    'data:export',
    'data:share',
    'alerts:respond',
    'reports:generate',
  ],
  operator: [
    'projects:read',
    'keys:read',
    'data:read',
    'data:export',
    'data:share',
    'data:import',
    'alerts:respond',
    'alerts:manage',
    'reports:generate',
    'reports:manage',
  ],
  viewer: ['projects:read', 'data:read'],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

/** Who is calling, with what they may do; attached to each authenticated request. */
export interface Principal {
  /** A share is someone holding a share link: read-only on one project. */
  kind: 'user' | 'token' | 'share';
  id: string;
  /** Email for users, token name for tokens, the link's label for shares. */
  label: string;
  role: Role;
  permissions: ReadonlySet<Permission>;
  /** 'all' or the project ids this principal may touch. */
  projects: 'all' | ReadonlySet<string>;
  /**
   * Project id → row-level scope (dimension filters ANDed into every query there). A project
   * without an entry is unrestricted; admin users never have one.
   */
  rowScopes: ReadonlyMap<string, readonly Filter[]>;
}

/** `user:<id>` / `token:<id>` / `share:<id>`: how audit entries name the actor. */
export function describeActor(principal: Principal): string {
  return `${principal.kind}:${principal.id}`;
}

export function canAccessProject(principal: Principal, projectId: string): boolean {
  return principal.projects === 'all' || principal.projects.has(projectId);
}

/** The filters every query of this principal on this project carries; [] when unrestricted. */
export function getRowScope(principal: Principal, projectId: string): readonly Filter[] {
  return principal.rowScopes.get(projectId) ?? [];
}

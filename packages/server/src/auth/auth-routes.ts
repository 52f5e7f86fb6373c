import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERR_RATE_LIMITED, filterSchema, SightlineError } from '@sightline/shared';
import type { SightlineConfig } from '../config/index.ts';
import { createRateLimiter, type Clock } from '../platform/index.ts';
import type { AuthService } from './auth-service.ts';
import { getPrincipal, SECURED_ROUTE, SESSION_COOKIE } from './authorize-requests.ts';
import { describeActor, PERMISSIONS, ROLES } from './permissions.ts';
import { rowScopeSchema } from './row-scope.ts';
import { registerShareRoutes } from './share-routes.ts';

export interface AuthRoutesDeps {
  auth: AuthService;
  config: SightlineConfig;
  clock: Clock;
}

/** Password guesses per client IP: a burst of 10, then one every 6 seconds. */
const LOGIN_BURST = 10;
const LOGIN_PER_SEC = 1 / 6;

const rowScopesSchema = z
  .record(z.string(), z.array(filterSchema))
  .describe('project id → row-level scope, for the projects where the caller is restricted');

const projectIdsSchema = z.array(z.string().max(100)).max(1_000);
const projectsSchema = z
  .array(
    z.object({
      projectId: z.string().min(1).max(100),
      rowScope: rowScopeSchema.nullable().optional(),
    }),
  )
  .max(1_000)
  .describe('projects the user may open, each optionally with a row-level scope');

const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  projectIds: z.array(z.string()),
  rowScopes: rowScopesSchema,
  createdAt: z.number(),
  disabled: z.boolean(),
  lastLoginAt: z.number().nullable(),
});

export function registerAuthRoutes(app: FastifyInstance, deps: AuthRoutesDeps): void {
  const { auth } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  registerShareRoutes(app, deps);
  const loginLimiter = createRateLimiter({
    ratePerSec: LOGIN_PER_SEC,
    burst: LOGIN_BURST,
    clock: deps.clock,
  });

  r.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in; sets the sl_session cookie',
        body: z.object({
          email: z.string().min(3).max(320),
          password: z.string().min(1).max(1_000),
        }),
        response: { 200: z.object({ user: userSchema, expiresAt: z.number() }) },
      },
    },
    async (request, reply) => {
      const allowed = loginLimiter.take(request.ip);
      if (!allowed.ok) {
        throw new SightlineError(ERR_RATE_LIMITED, {
          scope: 'client IP',
          retryAfterSec: allowed.retryAfterSec,
        });
      }
      const { sessionToken, user, expiresAt } = await auth.login(
        request.body.email,
        request.body.password,
      );
      void reply.setCookie(SESSION_COOKIE, sessionToken, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: request.protocol === 'https',
        expires: new Date(expiresAt),
      });
      return { user, expiresAt };
    },
  );

  r.post(
    '/api/v1/auth/logout',
    { schema: { tags: ['auth'], summary: 'End the current session', response: { 204: z.null() } } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await auth.logout(token);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/v1/auth/me',
    {
      config: { permission: 'projects:read' },
      schema: {
        tags: ['auth'],
        summary: 'Who am I, with what permissions',
        security: SECURED_ROUTE,
        response: {
          200: z.object({
            kind: z.enum(['user', 'token', 'share']),
            id: z.string(),
            label: z.string(),
            role: z.enum(ROLES),
            permissions: z.array(z.enum(PERMISSIONS)),
            projects: z.union([z.literal('all'), z.array(z.string())]),
            rowScopes: rowScopesSchema,
          }),
        },
      },
    },
    (request) => {
      const p = getPrincipal(request);
      return {
        kind: p.kind,
        id: p.id,
        label: p.label,
        role: p.role,
        permissions: [...p.permissions],
        projects: p.projects === 'all' ? ('all' as const) : [...p.projects],
        rowScopes: Object.fromEntries(
          [...p.rowScopes].map(([projectId, scope]) => [projectId, [...scope]]),
        ),
      };
    },
  );

  r.get(
    '/api/v1/users',
    {
      config: { permission: 'users:manage' },
      schema: {
        tags: ['auth'],
        summary: 'Users',
        security: SECURED_ROUTE,
        response: { 200: z.object({ users: z.array(userSchema) }) },
      },
    },
    async () => ({ users: await auth.listUsers() }),
  );

  r.post(
    '/api/v1/users',
    {
      config: { permission: 'users:manage' },
      schema: {
        tags: ['auth'],
        summary: 'Create a user; a generated password is returned once when none is given',
        security: SECURED_ROUTE,
        body: z
          .object({
            email: z.email().max(320),
            name: z.string().min(1).max(200).optional(),
            password: z.string().min(1).max(1_000).optional(),
            role: z.enum(ROLES),
            projectIds: projectIdsSchema.optional(),
            projects: projectsSchema.optional(),
          })
          .refine((body) => body.projectIds === undefined || body.projects === undefined, {
            message: 'give projectIds or projects, not both',
          }),
        response: { 201: z.object({ user: userSchema, password: z.string().optional() }) },
      },
    },
    async (request, reply) => {
      const { user, password } = await auth.createUser(
        request.body,
        describeActor(getPrincipal(request)),
      );
      return reply.status(201).send(request.body.password ? { user } : { user, password });
    },
  );

  r.put(
    '/api/v1/users/:userId/projects',
    {
      config: { permission: 'users:manage' },
      schema: {
        tags: ['auth'],
        summary: "Replace a user's project access",
        description:
          'Give projectIds, or projects with an optional rowScope each: dimension filters ANDed ' +
          "into every query of the user on that project (行级权限). Admins can't be restricted.",
        security: SECURED_ROUTE,
        params: z.object({ userId: z.string().max(100) }),
        body: z
          .object({ projectIds: projectIdsSchema.optional(), projects: projectsSchema.optional() })
          .refine((body) => (body.projectIds === undefined) !== (body.projects === undefined), {
            message: 'give either projectIds or projects',
          }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { projectIds, projects } = request.body;
      await auth.setProjectAccess(
        request.params.userId,
        projects ?? (projectIds ?? []).map((projectId) => ({ projectId })),
        describeActor(getPrincipal(request)),
      );
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/api/v1/tokens',
    {
      config: { permission: 'tokens:manage' },
      schema: {
        tags: ['auth'],
        summary: 'Create an API token (shown once)',
        description:
          'rowScope restricts every query of the token to some rows (dimension filters); it ' +
          'needs projectId and a role other than admin.',
        security: SECURED_ROUTE,
        body: z.object({
          name: z.string().min(1).max(200),
          role: z.enum(ROLES),
          projectId: z.string().max(100).nullable().optional(),
          scopes: z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length).optional(),
          expiresInDays: z.number().int().min(1).max(3_650).optional(),
          rowScope: rowScopeSchema.nullable().optional(),
        }),
        response: { 201: z.object({ id: z.string(), token: z.string() }) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await auth.createToken(request.body, describeActor(getPrincipal(request)))),
  );

  r.delete(
    '/api/v1/tokens/:tokenId',
    {
      config: { permission: 'tokens:manage' },
      schema: {
        tags: ['auth'],
        summary: 'Revoke a token',
        security: SECURED_ROUTE,
        params: z.object({ tokenId: z.string().max(100) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await auth.revokeToken(request.params.tokenId, describeActor(getPrincipal(request)));
      return reply.status(204).send(null);
    },
  );
}

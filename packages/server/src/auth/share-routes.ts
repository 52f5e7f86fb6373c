import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERR_RATE_LIMITED, SightlineError } from '@sightline/shared';
import { createRateLimiter, type Clock } from '../platform/index.ts';
import type { AuthService } from './auth-service.ts';
import { getPrincipal, SECURED_ROUTE } from './authorize-requests.ts';
import { SHARE_DEFAULT_HOURS, SHARE_MAX_HOURS } from './share-links.ts';

/** Link openings per client IP: a burst of 30, then one a second (tokens are unguessable anyway). */
const OPEN_BURST = 30;
const OPEN_PER_SEC = 1;

const shareSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  path: z.string(),
  label: z.string(),
  createdBy: z.object({ id: z.string(), email: z.string() }),
  createdAt: z.number(),
  expiresAt: z.number(),
  revokedAt: z.number().nullable(),
  lastOpenedAt: z.number().nullable(),
  openCount: z.number(),
  status: z.enum(['active', 'expired', 'revoked']),
});

const projectParams = z.object({ projectId: z.string().max(100) });

export function registerShareRoutes(
  app: FastifyInstance,
  deps: { auth: AuthService; clock: Clock },
): void {
  const { shares } = deps.auth;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const openLimiter = createRateLimiter({
    ratePerSec: OPEN_PER_SEC,
    burst: OPEN_BURST,
    clock: deps.clock,
  });

  r.post(
    '/api/v1/projects/:projectId/shares',
    {
      config: { permission: 'data:share' },
      schema: {
        tags: ['shares'],
        summary: 'Make a read-only link to a dashboard view that expires (token shown once)',
        description:
          'Whoever holds the link reads this project as the creator would (same row scope), ' +
          'read-only, until it expires, is revoked, or the creator is disabled or loses the ' +
          'project. Signed-in users only. The link is <server>/share/<token>. Audited.',
        security: SECURED_ROUTE,
        params: projectParams,
        body: z.object({
          path: z.string().min(1).max(2_000).describe('/p/<project>/<page>?<filter bar>'),
          label: z.string().max(200).optional(),
          expiresInHours: z
            .number()
            .int()
            .min(1)
            .max(SHARE_MAX_HOURS)
            .default(SHARE_DEFAULT_HOURS)
            .describe('1 hour to 90 days; 7 days by default'),
        }),
        response: { 201: z.object({ share: shareSchema, token: z.string() }) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await shares.create(getPrincipal(request), request.params.projectId, request.body)),
  );

  r.get(
    '/api/v1/projects/:projectId/shares',
    {
      config: { permission: 'data:share' },
      schema: {
        tags: ['shares'],
        summary: "The project's share links (admins: all; others: their own), newest first",
        security: SECURED_ROUTE,
        params: projectParams,
        response: { 200: z.object({ shares: z.array(shareSchema) }) },
      },
    },
    async (request) => ({
      shares: await shares.list(getPrincipal(request), request.params.projectId),
    }),
  );

  r.delete(
    '/api/v1/projects/:projectId/shares/:shareId',
    {
      config: { permission: 'data:share' },
      schema: {
        tags: ['shares'],
        summary: 'Revoke a share link (its creator or an admin); the link stops at once',
        security: SECURED_ROUTE,
        params: projectParams.extend({ shareId: z.string().max(100) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await shares.revoke(getPrincipal(request), request.params.projectId, request.params.shareId);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/api/v1/shares/open',
    {
      schema: {
        tags: ['shares'],
        summary: 'Open a share link: where it points, until when, and who shared it',
        description:
          'Public. Counts the visit. The token then works as `Authorization: Bearer <token>` ' +
          '(and as the realtime feed `auth.token`) for read-only report calls on the project. ' +
          'ERR_SHARE_EXPIRED / ERR_SHARE_INVALID say why a link no longer opens.',
        body: z.object({ token: z.string().min(1).max(200) }),
        response: {
          200: z.object({
            id: z.string(),
            projectId: z.string(),
            path: z.string(),
            label: z.string(),
            expiresAt: z.number(),
            createdBy: z.string(),
          }),
        },
      },
    },
    async (request) => {
      const allowed = openLimiter.take(request.ip);
      if (!allowed.ok) {
        throw new SightlineError(ERR_RATE_LIMITED, {
          scope: 'client IP',
          retryAfterSec: allowed.retryAfterSec,
        });
      }
      return shares.open(request.body.token);
    },
  );
}

import { createReadStream } from 'node:fs';
import { ERR_RATE_LIMITED, SightlineError } from '@sightline/shared';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getPrincipal, SECURED_ROUTE } from '../auth/index.ts';
import { createRateLimiter, type Clock } from '../platform/index.ts';
import type { Exports } from './create-exports.ts';
import {
  EXPORT_LINK_DEFAULT_HOURS,
  EXPORT_LINK_MAX_HOURS,
  type ExportFile,
} from './export-downloads.ts';
import { createExportSchema, exportJobSchema, exportLinkSchema } from './export-schema.ts';
import { formatContentDisposition } from './format-content-disposition.ts';

export interface ExportRoutesDeps {
  exports: Exports;
  clock: Clock;
}

/** Link downloads per client IP: a burst of 30, then one a second (tokens are unguessable). */
const LINK_BURST = 30;
const LINK_PER_SEC = 1;

const EXPORT = { permission: 'data:export' } as const;
const projectParams = z.object({ projectId: z.string().min(1).max(100) });
const exportParams = projectParams.extend({ exportId: z.string().min(1).max(64) });
const fileResponse = z.unknown().describe('The file (text/csv or XLSX)');

function sendFile(reply: FastifyReply, file: ExportFile): FastifyReply {
  return reply
    .header('content-type', file.contentType)
    .header('content-length', String(file.bytes))
    .header('content-disposition', formatContentDisposition(file.fileName))
    .header('cache-control', 'private, no-store')
    .send(createReadStream(file.path));
}

/**
 * Background exports under /api/v1/projects/:projectId/exports (data:export; each caller sees
 * their own jobs, admins all), and the public download of an expiring link.
 */
export function registerExportRoutes(app: FastifyInstance, deps: ExportRoutesDeps): void {
  const { exports } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/v1/projects/:projectId/exports';
  const tags = { tags: ['exports'], security: SECURED_ROUTE };
  const linkLimiter = createRateLimiter({
    ratePerSec: LINK_PER_SEC,
    burst: LINK_BURST,
    clock: deps.clock,
  });

  r.post(
    base,
    {
      config: EXPORT,
      schema: {
        ...tags,
        summary: 'Export a report or raw rows (events, orders) to CSV or XLSX in the background',
        description:
          'Queues the export and answers 202 with the job; poll it for progress. Your row-level ' +
          'scope applies. The file carries a watermark (project, who, when, what). Audited. ' +
          '429 ERR_EXPORT_QUEUE_FULL with Retry-After when too many exports wait.',
        params: projectParams,
        body: createExportSchema,
        response: { 202: exportJobSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(await exports.create(getPrincipal(request), request.params.projectId, request.body)),
  );

  r.get(
    base,
    {
      config: EXPORT,
      schema: {
        ...tags,
        summary: 'Exports of the project, newest first (yours; admins: everyone’s)',
        params: projectParams,
        response: { 200: z.object({ exports: z.array(exportJobSchema) }) },
      },
    },
    async (request) => ({
      exports: await exports.list(getPrincipal(request), request.params.projectId),
    }),
  );

  r.get(
    `${base}/:exportId`,
    {
      config: EXPORT,
      schema: {
        ...tags,
        summary: 'One export: status, progress {rowsWritten, rowsTotal, fraction}, error',
        params: exportParams,
        response: { 200: exportJobSchema },
      },
    },
    (request) =>
      exports.get(getPrincipal(request), request.params.projectId, request.params.exportId),
  );

  r.post(
    `${base}/:exportId/cancel`,
    {
      config: EXPORT,
      schema: {
        ...tags,
        summary: 'Cancel a queued or running export (its partial file is removed)',
        params: exportParams,
        response: { 200: exportJobSchema },
      },
    },
    (request) =>
      exports.cancel(getPrincipal(request), request.params.projectId, request.params.exportId),
  );

  r.delete(
    `${base}/:exportId`,
    {
      config: EXPORT,
      schema: {
        ...tags,
        summary: 'Delete an export: cancels it if active, removes its file, links and record',
        params: exportParams,
        response: { 204: z.null().describe('deleted') },
      },
    },
    async (request, reply) => {
      await exports.remove(
        getPrincipal(request),
        request.params.projectId,
        request.params.exportId,
      );
      return reply.status(204).send(null);
    },
  );

  r.get(
    `${base}/:exportId/file`,
    {
      config: EXPORT,
      schema: {
        ...tags,
        summary: 'Download the file of a finished export (audited)',
        description:
          'CSV: UTF-8 with BOM; the first line is the watermark, a comment starting with `#` ' +
          '(read with comment="#"), then the header. XLSX: data sheets, then an About sheet.',
        params: exportParams,
        produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        response: { 200: fileResponse },
      },
    },
    async (request, reply) =>
      sendFile(
        reply,
        await exports.openFile(
          getPrincipal(request),
          request.params.projectId,
          request.params.exportId,
        ),
      ),
  );

  r.post(
    `${base}/:exportId/links`,
    {
      config: EXPORT,
      schema: {
        ...tags,
        summary: 'Make a download link that works without signing in until it expires',
        description:
          'The token is shown once; the link is <server>/api/v1/exports/download/<token>. It ' +
          'expires after expiresInHours (24 by default, at most 7 days) or with the export, ' +
          'whichever is first, and stops if its creator is disabled. Audited.',
        params: exportParams,
        body: z
          .object({
            expiresInHours: z
              .number()
              .int()
              .min(1)
              .max(EXPORT_LINK_MAX_HOURS)
              .default(EXPORT_LINK_DEFAULT_HOURS),
          })
          .default({ expiresInHours: EXPORT_LINK_DEFAULT_HOURS }),
        response: {
          201: z.object({ link: exportLinkSchema, token: z.string(), path: z.string() }),
        },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await exports.createLink(
            getPrincipal(request),
            request.params.projectId,
            request.params.exportId,
            request.body,
          ),
        ),
  );

  // Public: no `config.permission`, so authorize-requests lets it through; the token is the key.
  r.get(
    '/api/v1/exports/download/:token',
    {
      schema: {
        tags: ['exports'],
        summary: 'Download an export through its link (no session; audited)',
        description: '410 ERR_EXPORT_LINK_EXPIRED once the link has expired.',
        params: z.object({ token: z.string().min(1).max(100) }),
        produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        response: { 200: fileResponse },
      },
    },
    async (request, reply) => {
      const allowed = linkLimiter.take(request.ip);
      if (!allowed.ok)
        throw new SightlineError(ERR_RATE_LIMITED, {
          scope: 'client IP',
          retryAfterSec: allowed.retryAfterSec,
        });
      return sendFile(reply, await exports.openLink(request.params.token));
    },
  );
}

import { ERR_REPORT_SCOPE_RESTRICTED, SightlineError } from '@sightline/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditLog } from '../audit/index.ts';
import { describeActor, getPrincipal, getRowScope, SECURED_ROUTE } from '../auth/index.ts';
import type { Reports } from './create-reports.ts';
import { REPORT_KINDS } from './report-document.ts';
import {
  generateReportInputSchema,
  REPORT_FORMATS,
  reportDefinitionInputSchema,
} from './report-schema.ts';

export interface ReportRunRoutesDeps {
  reports: Reports;
  audit: AuditLog;
}

const projectParams = z.object({ projectId: z.string().min(1).max(100) });
const kindParams = projectParams.extend({ kind: z.enum(REPORT_KINDS) });
const runParams = projectParams.extend({ runId: z.string().min(1).max(64) });
const fileParams = runParams.extend({ format: z.enum(REPORT_FORMATS) });

const definitionSchema = reportDefinitionInputSchema.extend({
  projectId: z.string(),
  kind: z.enum(REPORT_KINDS),
  lastScheduledAt: z.number().nullable(),
  updatedBy: z.string(),
  updatedAt: z.number(),
});
const runSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  kind: z.enum(REPORT_KINDS),
  periodStart: z.string(),
  periodEnd: z.string(),
  locale: z.string(),
  trigger: z.string(),
  requestedBy: z.string(),
  deliver: z.boolean(),
  status: z.string().describe('queued | running | done | failed'),
  stage: z.string().nullable().describe('While running: content, explanations, files'),
  error: z.string().nullable().describe('Why it failed; on a done run, a note (e.g. no PDF)'),
  headline: z.array(z.unknown()).nullable(),
  files: z.array(z.object({ format: z.string(), bytes: z.number() })),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  durationMs: z.number().nullable(),
  supersededBy: z.string().nullable().describe('A later generation of the same period'),
  url: z.string().describe('The report in the dashboard'),
});
const deliverySchema = z.object({
  id: z.string(),
  runId: z.string(),
  targetKind: z.string(),
  target: z.string(),
  status: z.string(),
  attempts: z.number(),
  nextAttemptAt: z.number().nullable(),
  lastStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.number(),
  sentAt: z.number().nullable(),
});

/**
 * Scheduled reports under /api/v1/projects/:projectId: definitions (report-definitions), and the
 * archive of generated reports with their files and deliveries (report-runs). Reports cover the
 * whole project (their headline too), so callers whose access is limited to some rows get none
 * of the archive.
 */
export function registerReportRunRoutes(app: FastifyInstance, deps: ReportRunRoutesDeps): void {
  const { reports } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = { tags: ['scheduled reports'], security: SECURED_ROUTE };
  const runs = '/api/v1/projects/:projectId/report-runs';
  const toView = (run: Awaited<ReturnType<Reports['runs']['get']>>) => ({
    ...run,
    files: run.files.map((file) => ({ format: file.format, bytes: file.bytes })),
    url: reports.runUrl(run),
  });
  const wholeProject = (request: FastifyRequest, projectId: string) => {
    if (getRowScope(getPrincipal(request), projectId).length > 0)
      throw new SightlineError(ERR_REPORT_SCOPE_RESTRICTED, { projectId });
  };

  r.get(
    '/api/v1/projects/:projectId/report-definitions',
    {
      config: { permission: 'data:read' },
      schema: {
        ...tags,
        summary: 'The daily, weekly and monthly report definitions of the project',
        params: projectParams,
        response: { 200: z.object({ definitions: z.array(definitionSchema) }) },
      },
    },
    async (request) => ({
      definitions: await reports.definitions.list(request.params.projectId),
    }),
  );

  r.put(
    '/api/v1/projects/:projectId/report-definitions/:kind',
    {
      config: { permission: 'reports:manage' },
      schema: {
        ...tags,
        summary: 'Set when a report goes out, in which language, with which sections, to whom',
        description:
          'Enabling a schedule (or moving its time) starts it from now: the first report goes ' +
          'out at the next send time. Audited. Needs reports:manage.',
        params: kindParams,
        body: reportDefinitionInputSchema,
        response: { 200: definitionSchema },
      },
    },
    (request) =>
      reports.definitions.put(
        request.params.projectId,
        request.params.kind,
        request.body,
        describeActor(getPrincipal(request)),
      ),
  );

  r.get(
    runs,
    {
      config: { permission: 'data:read' },
      schema: {
        ...tags,
        summary: 'The report archive, newest first',
        params: projectParams,
        querystring: z.object({
          kind: z.enum(REPORT_KINDS).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ runs: z.array(runSchema) }) },
      },
    },
    async (request) => {
      wholeProject(request, request.params.projectId);
      return {
        runs: (
          await reports.runs.list(request.params.projectId, {
            kind: request.query.kind,
            limit: request.query.limit,
          })
        ).map(toView),
      };
    },
  );

  r.post(
    runs,
    {
      config: { permission: 'reports:generate' },
      schema: {
        ...tags,
        summary: 'Generate a report now, for any past period (and deliver it if asked)',
        description:
          'Queued and generated in the background: poll GET …/report-runs/{runId} for its ' +
          'status. Generating a period again (late data) keeps the older report, marked as ' +
          'superseded. 429 with Retry-After when too many reports wait. Needs reports:generate.',
        params: projectParams,
        body: generateReportInputSchema,
        response: { 202: runSchema },
      },
    },
    async (request, reply) => {
      wholeProject(request, request.params.projectId);
      const run = await reports.generate(request.params.projectId, request.body, {
        actor: describeActor(getPrincipal(request)),
        trigger: 'manual',
      });
      return reply.status(202).send(toView(run));
    },
  );

  r.get(
    `${runs}/:runId`,
    {
      config: { permission: 'data:read' },
      schema: {
        ...tags,
        summary: 'One report: status, headline, files',
        params: runParams,
        response: { 200: runSchema },
      },
    },
    async (request) => {
      wholeProject(request, request.params.projectId);
      return toView(await reports.runs.get(request.params.projectId, request.params.runId));
    },
  );

  r.get(
    `${runs}/:runId/document`,
    {
      config: { permission: 'data:read' },
      schema: {
        ...tags,
        summary: 'What a done report says, as JSON: headline, explanations, suggestions, sections',
        description:
          'The document the XLSX, HTML and PDF files were made from (currency in minor units).',
        params: runParams,
      },
    },
    async (request) => {
      wholeProject(request, request.params.projectId);
      return reports.readDocument(request.params.projectId, request.params.runId);
    },
  );

  r.get(
    `${runs}/:runId/deliveries`,
    {
      config: { permission: 'data:read' },
      schema: {
        ...tags,
        summary: 'Where a report was sent: one entry per recipient and channel, with attempts',
        params: runParams,
        response: { 200: z.object({ deliveries: z.array(deliverySchema) }) },
      },
    },
    async (request) => {
      wholeProject(request, request.params.projectId);
      await reports.runs.get(request.params.projectId, request.params.runId);
      return {
        deliveries: await reports.deliveries.list(request.params.projectId, request.params.runId),
      };
    },
  );

  r.get(
    `${runs}/:runId/files/:format`,
    {
      config: { permission: 'data:export' },
      schema: {
        ...tags,
        summary: 'Download a report file (xlsx, html, pdf); audited',
        description:
          'Add ?inline=1 to open the HTML or PDF in the browser instead of downloading it.',
        params: fileParams,
        querystring: z.object({ inline: z.enum(['0', '1']).optional() }),
        produces: [
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'text/html',
          'application/pdf',
        ],
      },
    },
    async (request, reply) => {
      const { projectId, runId, format } = request.params;
      wholeProject(request, projectId);
      const file = await reports.openFile(projectId, runId, format);
      await deps.audit.record({
        actor: describeActor(getPrincipal(request)),
        action: 'report.download',
        projectId,
        target: runId,
        details: { format, bytes: file.bytes, kind: file.run.kind, period: file.run.periodStart },
      });
      const disposition = request.query.inline === '1' ? 'inline' : 'attachment';
      return (
        reply
          .header('content-type', file.contentType)
          .header('content-length', String(file.bytes))
          .header('content-disposition', `${disposition}; filename="${file.filename}"`)
          // The HTML report carries its charts as data: URIs and runs no script.
          .header(
            'content-security-policy',
            "default-src 'none'; img-src data:; style-src 'unsafe-inline'",
          )
          .send(file.stream)
      );
    },
  );
}

import { DIMENSIONS, METRICS, METRIC_GROUPS, queryRequestShape } from '@sightline/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditLog } from '../../audit/index.ts';
import { describeActor, getPrincipal, getRowScope, SECURED_ROUTE } from '../../auth/index.ts';
import type { Clock } from '../../platform/index.ts';
import type { ProjectService } from '../../projects/index.ts';
import type { EventStore } from '../../store/index.ts';
import type { QueryCache } from '../reports/query-cache.ts';
import { REPORTS } from '../reports/registry.ts';
import { runReport } from '../reports/run-report.ts';
import { toCsv } from './to-csv.ts';

export interface ReportRoutesDeps {
  eventStore: EventStore;
  projects: ProjectService;
  clock: Clock;
  audit: AuditLog;
  queryCache: QueryCache;
  /** Timings and cache counters for /metrics (monitoring's SightlineMetrics). */
  metrics?: {
    observeQuery(report: string, seconds: number): void;
    recordQueryCacheHit(): void;
    recordQueryCacheMiss(): void;
  };
}

const projectParams = z.object({ projectId: z.string().min(1).max(100) });

/**
 * POST /api/v1/projects/:projectId/reports/<report> for every report (JSON), the same under
 * `.csv` for an export, and the metric and dimension catalogs.
 */
export function registerReportRoutes(app: FastifyInstance, deps: ReportRoutesDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/api/v1/metrics',
    {
      config: { permission: 'data:read' },
      schema: {
        tags: ['metrics'],
        summary:
          'The metric catalog: every metric with its names, definition (口径), unit and dimensions',
        security: SECURED_ROUTE,
        response: {
          200: z.object({
            groups: z.record(z.string(), z.unknown()),
            metrics: z.array(z.unknown()),
            dimensions: z.array(z.unknown()),
          }),
        },
      },
    },
    () =>
      Promise.resolve({
        groups: METRIC_GROUPS,
        metrics: [...METRICS],
        dimensions: [...DIMENSIONS],
      }),
  );

  typed.get(
    '/api/v1/query-cache',
    {
      config: { permission: 'data:read' },
      schema: {
        tags: ['metrics'],
        summary: 'Result cache hits, misses and hit ratio since start',
        security: SECURED_ROUTE,
        response: {
          200: z.object({
            hits: z.number(),
            misses: z.number(),
            hitRatio: z.number().nullable(),
            entries: z.number(),
          }),
        },
      },
    },
    () => Promise.resolve(deps.queryCache.stats()),
  );

  for (const report of REPORTS) {
    const body = z.object({ ...queryRequestShape, ...report.params.shape });
    const response = z.object({
      report: z.string(),
      projectId: z.string(),
      timeZone: z.string(),
      from: z.string(),
      to: z.string(),
      granularity: z.string(),
      computedAt: z.string(),
      cached: z.boolean(),
      result: report.result,
    });
    // The caller's row-level scope on the path's project goes into the query context (and the
    // cache key), so a restricted caller never sees, nor shares a cached answer with, more rows.
    const run = async (request: FastifyRequest, projectId: string, query: z.infer<typeof body>) => {
      const started = performance.now();
      const project = await deps.projects.get(projectId);
      const answer = await runReport(
        { eventStore: deps.eventStore, cache: deps.queryCache, now: deps.clock.now() },
        report,
        project,
        query,
        getRowScope(getPrincipal(request), projectId),
      );
      if (deps.metrics) {
        deps.metrics.observeQuery(report.id, (performance.now() - started) / 1000);
        if (answer.cached) deps.metrics.recordQueryCacheHit();
        else deps.metrics.recordQueryCacheMiss();
      }
      return answer;
    };

    typed.post(
      `/api/v1/projects/:projectId/reports/${report.id}`,
      {
        config: { permission: 'data:read' },
        schema: {
          tags: ['reports'],
          summary: report.summary,
          description: report.description,
          security: SECURED_ROUTE,
          params: projectParams,
          body,
          response: { 200: response },
        },
      },
      async (request) => run(request, request.params.projectId, request.body),
    );

    typed.post(
      `/api/v1/projects/:projectId/reports/${report.id}.csv`,
      {
        config: { permission: 'data:export' },
        schema: {
          tags: ['reports'],
          summary: `${report.summary} (CSV)`,
          description: 'The same report laid out as a table, as CSV (UTF-8 with BOM). Audited.',
          security: SECURED_ROUTE,
          params: projectParams,
          body,
          produces: ['text/csv'],
        },
      },
      async (request, reply) => {
        const out = await run(request, request.params.projectId, request.body);
        const parsed = report.params.parse(request.body);
        const csv = toCsv(report.toTable(out.result, parsed));
        const principal = getPrincipal(request);
        const rowScope = getRowScope(principal, request.params.projectId);
        await deps.audit.record({
          actor: describeActor(principal),
          action: 'data.export',
          projectId: request.params.projectId,
          target: `report:${report.id}`,
          details: {
            format: 'csv',
            from: out.from,
            to: out.to,
            bytes: Buffer.byteLength(csv),
            ...(rowScope.length > 0 ? { rowScope } : {}),
          },
        });
        const name = `${report.id}-${out.from.slice(0, 10)}-${out.to.slice(0, 10)}.csv`;
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(csv);
      },
    );
  }
}

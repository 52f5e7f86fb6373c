import { z } from 'zod';
import type { ReportSection } from '../../report-document.ts';
import type { SectionContext } from '../content-types.ts';
import { formatValue } from '../format-value.ts';
import { toPeriodRequest } from '../period-request.ts';

export const TOP_ENDPOINTS = 10;

const nullableNumber = z.number().nullable();
const stats = {
  requests: z.number(),
  availability: nullableNumber,
  errorRate: nullableNumber,
  latencyMs: z.object({ p50: nullableNumber, p95: nullableNumber, p99: nullableNumber }),
};
const apiSliResultSchema = z.object({
  overall: z.object(stats),
  endpointCount: z.number(),
  endpoints: z.array(z.object({ endpoint: z.string(), ...stats })),
});

/**
 * The 10 busiest endpoints from the API SLI report (no time series: granularity all). Its
 * overall error rate is the catalog's api_error_rate (errors: status ≥ 400 or a timeout).
 */
export async function buildApiSection(ctx: SectionContext): Promise<ReportSection> {
  const { texts, params } = ctx;
  const result = await ctx.runner.run(
    'api_sli',
    toPeriodRequest(params.period, { granularity: 'all', limit: TOP_ENDPOINTS, seriesLimit: 0 }),
    apiSliResultSchema,
  );
  const { overall } = result;
  return {
    id: 'api',
    title: texts.titles.api,
    summary:
      overall.requests === 0
        ? texts.summaries.noApi
        : texts.summaries.api({
            requests: formatValue(overall.requests, 'count'),
            endpoints: formatValue(result.endpointCount, 'count'),
            errorRate: formatValue(overall.errorRate, 'ratio'),
            availability: formatValue(overall.availability, 'ratio'),
          }),
    table: {
      columns: [
        { key: 'endpoint', label: texts.columns.endpoint, unit: 'text' },
        { key: 'requests', label: texts.columns.requests, unit: 'count' },
        { key: 'availability', label: texts.columns.availability, unit: 'ratio' },
        { key: 'p50_ms', label: texts.columns.p50, unit: 'ms' },
        { key: 'p95_ms', label: texts.columns.p95, unit: 'ms' },
        { key: 'p99_ms', label: texts.columns.p99, unit: 'ms' },
        { key: 'error_rate', label: texts.columns.errorRate, unit: 'ratio' },
      ],
      rows: result.endpoints.map((e) => [
        e.endpoint,
        e.requests,
        e.availability,
        e.latencyMs.p50,
        e.latencyMs.p95,
        e.latencyMs.p99,
        e.errorRate,
      ]),
    },
    chart: {
      id: 'api_p95',
      title: texts.charts.apiLatency,
      kind: 'bar',
      unit: 'ms',
      categories: result.endpoints.map((e) => e.endpoint),
      series: [{ name: texts.columns.p95, values: result.endpoints.map((e) => e.latencyMs.p95) }],
    },
  };
}

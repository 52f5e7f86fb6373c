import { z } from 'zod';
import type { ReportTable, ValueUnit } from '../report-document.ts';
import type { SectionContext } from './content-types.ts';
import { getBucketGranularity, toPeriodRequest } from './period-request.ts';

const nullableNumber = z.number().nullable();

/** The parts of the trends report's result the sections read. */
export const trendsResultSchema = z.object({
  buckets: z.array(z.object({ start: z.string(), label: z.string() })),
  series: z.array(
    z.object({
      metric: z.string().nullable(),
      groups: z.array(
        z.object({
          key: z.string().nullable(),
          values: z.array(nullableNumber),
          total: nullableNumber,
        }),
      ),
    }),
  ),
});

export interface TrendColumn {
  metric: string;
  label: string;
  unit: ValueUnit;
}

export interface TrendTable {
  /** A row per bucket, then the total row (the trends report's totals). */
  table: ReportTable;
  /** Bucket labels, as the query API gives them. */
  categories: string[];
  values(metric: string): Array<number | null>;
  total(metric: string): number | null;
}

/**
 * One trends run of catalog metrics over the report's period, by hour (daily) or by day, laid
 * out as a table: the request is what the dashboard's trend chart of the same metrics sends.
 */
export async function runTrendTable(
  ctx: SectionContext,
  columns: readonly TrendColumn[],
): Promise<TrendTable> {
  const { params, texts } = ctx;
  const granularity = getBucketGranularity(params.kind);
  const result = await ctx.runner.run(
    'trends',
    toPeriodRequest(params.period, {
      granularity,
      series: columns.map((column) => ({ metric: column.metric })),
    }),
    trendsResultSchema,
  );
  const categories = result.buckets.map((bucket) => bucket.label);
  const byMetric = new Map(
    columns.map((column, i) => {
      const group = result.series[i]?.groups.find((g) => g.key === null);
      return [
        column.metric,
        {
          values: categories.map((_, b) => group?.values[b] ?? null),
          total: group?.total ?? null,
        },
      ];
    }),
  );
  const values = (metric: string) => byMetric.get(metric)?.values ?? categories.map(() => null);
  const total = (metric: string) => byMetric.get(metric)?.total ?? null;
  const table: ReportTable = {
    columns: [
      {
        key: 'bucket',
        label: granularity === 'hour' ? texts.columns.hour : texts.columns.date,
        unit: 'text',
      },
      ...columns.map((column) => ({ key: column.metric, label: column.label, unit: column.unit })),
    ],
    rows: [
      ...categories.map((label, b) => [
        label,
        ...columns.map((column) => values(column.metric)[b] ?? null),
      ]),
      [texts.total, ...columns.map((column) => total(column.metric))],
    ],
  };
  return { table, categories, values, total };
}

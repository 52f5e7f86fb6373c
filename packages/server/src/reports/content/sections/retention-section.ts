import { z } from 'zod';
import { addLocalDays } from '../../../platform/index.ts';
import type { ReportKind, ReportSection } from '../../report-document.ts';
import type { SectionContext } from '../content-types.ts';
import { formatValue } from '../format-value.ts';
import { toPeriodRequest } from '../period-request.ts';

/** Day offsets shown per kind: a daily report follows D1, longer ones D7 and D30 too. */
export const RETENTION_OFFSETS: Readonly<Record<ReportKind, readonly number[]>> = {
  daily: [1],
  weekly: [1, 7],
  monthly: [1, 7, 30],
};
/** A daily report's cohorts: the sign-up days of the last week up to the report's day. */
export const DAILY_COHORT_DAYS = 7;

const nullableNumber = z.number().nullable();
const retentionResultSchema = z.object({
  cohorts: z.array(
    z.object({
      label: z.string(),
      size: z.number(),
      cells: z.array(z.object({ offset: z.number(), value: nullableNumber })),
    }),
  ),
  average: z.object({
    size: z.number(),
    cells: z.array(z.object({ offset: z.number(), value: nullableNumber })),
  }),
});

const cellAt = (cells: ReadonlyArray<{ offset: number; value: number | null }>, offset: number) =>
  cells.find((cell) => cell.offset === offset)?.value ?? null;

/**
 * Sign-up cohorts by day (the catalog's retention_dN 口径: first sign_up, then any valid event
 * on day T+N), from the retention report: a cell is empty until its day has ended.
 */
export async function buildRetentionSection(ctx: SectionContext): Promise<ReportSection> {
  const { texts, params } = ctx;
  const offsets = RETENTION_OFFSETS[params.kind];
  const range =
    params.kind === 'daily'
      ? {
          startDate: addLocalDays(params.period.endDate, 1 - DAILY_COHORT_DAYS),
          endDate: params.period.endDate,
        }
      : params.period;
  const result = await ctx.runner.run(
    'retention',
    toPeriodRequest(range, {
      granularity: 'day',
      cohortBy: 'signup',
      period: 'day',
      periods: Math.max(...offsets),
      value: 'retention',
    }),
    retentionResultSchema,
  );
  const first = offsets[0] ?? 1;
  const averageFirst = cellAt(result.average.cells, first);
  return {
    id: 'retention',
    title: texts.titles.retention,
    summary:
      result.average.size === 0
        ? texts.summaries.noSignups
        : texts.summaries.retention({
            signups: formatValue(result.average.size, 'users'),
            cohorts: result.cohorts.length,
            day: first,
            rate: averageFirst === null ? null : formatValue(averageFirst, 'ratio'),
          }),
    table: {
      columns: [
        { key: 'cohort', label: texts.columns.cohort, unit: 'date' },
        { key: 'signups', label: texts.columns.signups, unit: 'users' },
        ...offsets.map((offset) => ({
          key: `d${offset}`,
          label: texts.columns.retention(offset),
          unit: 'ratio' as const,
        })),
      ],
      rows: [
        ...result.cohorts.map((cohort) => [
          cohort.label,
          cohort.size,
          ...offsets.map((offset) => cellAt(cohort.cells, offset)),
        ]),
        [
          texts.average,
          result.average.size,
          ...offsets.map((offset) => cellAt(result.average.cells, offset)),
        ],
      ],
    },
    chart: {
      id: 'retention_first_day',
      title: texts.charts.retention(first),
      kind: 'line',
      unit: 'ratio',
      categories: result.cohorts.map((cohort) => cohort.label),
      series: [
        {
          name: texts.columns.retention(first),
          values: result.cohorts.map((cohort) => cellAt(cohort.cells, first)),
        },
      ],
    },
  };
}

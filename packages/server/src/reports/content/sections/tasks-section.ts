import { OTHER_GROUP } from '../../../queries/index.ts';
import type { ReportSection } from '../../report-document.ts';
import type { SectionContext } from '../content-types.ts';
import { formatValue } from '../format-value.ts';
import { toPeriodRequest } from '../period-request.ts';
import { runTrendTable, trendsResultSchema } from '../run-trend-table.ts';

/** Error codes shown in the failure chart; the rest are one "other" slice. */
export const TOP_ERROR_CODES = 10;

interface Slice {
  key: string | null;
  count: number;
}

/**
 * Tasks, success and failure rates per bucket with the period's totals, and a pie of failed
 * tasks by error code (one trends run of tasks_failed over the period, broken down by
 * error_code, top 10): the summary names the code with the most failures.
 */
export async function buildTasksSection(ctx: SectionContext): Promise<ReportSection> {
  const { texts, params } = ctx;
  const [trend, failures] = await Promise.all([
    runTrendTable(ctx, [
      { metric: 'tasks', label: texts.columns.tasks, unit: 'count' },
      { metric: 'task_success_rate', label: texts.columns.taskSuccessRate, unit: 'ratio' },
      { metric: 'task_failure_rate', label: texts.columns.taskFailureRate, unit: 'ratio' },
    ]),
    ctx.runner.run(
      'trends',
      toPeriodRequest(params.period, {
        granularity: 'all',
        series: [{ metric: 'tasks_failed' }],
        breakdown: { dimension: 'error_code', limit: TOP_ERROR_CODES },
      }),
      trendsResultSchema,
    ),
  ]);
  const slices: Slice[] = (failures.series[0]?.groups ?? [])
    .map((group) => ({ key: group.key, count: group.total ?? group.values[0] ?? 0 }))
    .filter((slice) => slice.count > 0);
  const name = (key: string | null) =>
    key === null ? texts.noValue : key === OTHER_GROUP ? texts.otherGroup : key;
  const top = slices
    .filter((slice) => slice.key !== OTHER_GROUP)
    .reduce<Slice | null>(
      (best, slice) => (best && best.count >= slice.count ? best : slice),
      null,
    );
  const tasks = trend.total('tasks') ?? 0;
  return {
    id: 'tasks',
    title: texts.titles.tasks,
    summary:
      tasks === 0
        ? texts.summaries.noTasks
        : texts.summaries.tasks({
            tasks: formatValue(tasks, 'count'),
            rate: formatValue(trend.total('task_success_rate'), 'ratio'),
            topCode: top ? { code: name(top.key), count: formatValue(top.count, 'count') } : null,
          }),
    table: trend.table,
    chart: {
      id: 'tasks_failures_by_code',
      title: texts.charts.failures,
      kind: 'pie',
      unit: 'count',
      categories: slices.map((slice) => name(slice.key)),
      series: [{ name: texts.charts.failures, values: slices.map((slice) => slice.count) }],
    },
  };
}

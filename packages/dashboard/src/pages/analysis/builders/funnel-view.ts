import type { Locale } from '../../../i18n/index.ts';
import type { ChartOption, ChartTable } from '../../../lib/charts.ts';
import { formatValue } from '../../../lib/format.ts';
import type { FunnelStepResult } from './types.ts';

/** A step's name on the chart and in tables: its number and the report's label. */
export const stepName = (step: { step: number; label: string }) => `${step.step}. ${step.label}`;

/**
 * The steps as a funnel chart in step order (an optional step may be narrower than the next),
 * each with its count and conversion from the first step; the same numbers as a table.
 */
export function funnelChart(
  steps: readonly FunnelStepResult[],
  words: { count: string; fromFirst: string; optional: string },
  locale: Locale,
): { option: ChartOption; table: ChartTable } {
  const percent = (value: number | null) => formatValue(value, 'ratio', locale);
  const count = (value: number) => formatValue(value, 'count', locale);
  const name = (step: FunnelStepResult) =>
    step.optional ? `${stepName(step)} (${words.optional})` : stepName(step);
  return {
    option: {
      tooltip: {
        trigger: 'item',
        formatter: (params: unknown) => {
          const { dataIndex } = params as { dataIndex: number };
          const step = steps[dataIndex];
          if (!step) return '';
          return `${name(step)}<br/>${words.count}: ${count(step.count)}<br/>${words.fromFirst}: ${percent(step.conversionFromFirst)}`;
        },
      },
      series: [
        {
          type: 'funnel',
          sort: 'none',
          funnelAlign: 'center',
          left: 8,
          width: '56%',
          top: 8,
          bottom: 8,
          minSize: '4%',
          gap: 2,
          // Beside the shapes: the narrow steps of a real funnel have no room for text inside.
          label: {
            position: 'right',
            color: '#1c2433',
            formatter: (params: { dataIndex: number }) => {
              const step = steps[params.dataIndex];
              return step
                ? `${name(step)}  ${count(step.count)} · ${percent(step.conversionFromFirst)}`
                : '';
            },
          },
          labelLine: { show: true, length: 16, lineStyle: { color: '#dfe4ee' } },
          data: steps.map((step) => ({ name: name(step), value: step.count })),
        },
      ],
    },
    table: {
      columns: ['', words.count, words.fromFirst],
      rows: steps.map((step) => [name(step), step.count, step.conversionFromFirst]),
    },
  };
}

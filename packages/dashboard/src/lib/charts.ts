import { BarChart, LineChart, PieChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import * as echarts from 'echarts/core';
import type { ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

// Only the chart types the dashboard draws, so the bundle stays small.
echarts.use([
  LineChart,
  BarChart,
  PieChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  CanvasRenderer,
]);

export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
>;

export { echarts };

/** A chart's data as a table: what screen readers read and what "Download CSV" saves. */
export interface ChartTable {
  columns: string[];
  rows: Array<Array<string | number | null>>;
}

/** RFC 4180 CSV with a BOM so Excel opens Chinese text correctly. */
export function tableToCsv(table: ChartTable): string {
  const cell = (value: string | number | null) => {
    const text = value === null ? '' : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [table.columns, ...table.rows].map((row) => row.map(cell).join(','));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

export function download(filename: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/** The palette of every chart (readable on light and dark backgrounds). */
export const PALETTE = [
  '#2f6bff',
  '#16a37f',
  '#f0a020',
  '#e5484d',
  '#8e4ec6',
  '#0090b0',
  '#7a869a',
];

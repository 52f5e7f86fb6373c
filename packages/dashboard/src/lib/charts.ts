import {
  BarChart,
  BoxplotChart,
  FunnelChart,
  HeatmapChart,
  LineChart,
  PieChart,
  SankeyChart,
  ScatterChart,
  type BarSeriesOption,
  type BoxplotSeriesOption,
  type FunnelSeriesOption,
  type HeatmapSeriesOption,
  type LineSeriesOption,
  type PieSeriesOption,
  type SankeySeriesOption,
  type ScatterSeriesOption,
} from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type MarkLineComponentOption,
  type TooltipComponentOption,
  type VisualMapComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import type { ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

// Only the chart types the dashboard draws, so the bundle stays small. A page needing another
// type adds it here (and to ChartOption).
echarts.use([
  LineChart,
  BarChart,
  PieChart,
  HeatmapChart,
  SankeyChart,
  BoxplotChart,
  ScatterChart,
  FunnelChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  VisualMapComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | PieSeriesOption
  | HeatmapSeriesOption
  | SankeySeriesOption
  | BoxplotSeriesOption
  | ScatterSeriesOption
  | FunnelSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | VisualMapComponentOption
  | MarkLineComponentOption
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

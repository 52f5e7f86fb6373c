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
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type MarkAreaComponentOption,
  type MarkLineComponentOption,
  type TooltipComponentOption,
  type VisualMapComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import type { ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { exportValue, type ExportTable } from './export-table.ts';

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
  MarkAreaComponent,
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
  | MarkAreaComponentOption
  | MarkLineComponentOption
>;

export { echarts };

/**
 * A chart's data as a table: what screen readers read and what "Download CSV / XLSX" saves.
 * `units` (per column) make money come out in yuan and give the spreadsheet its formats.
 */
export type ChartTable = ExportTable;

/** RFC 4180 CSV with a BOM so Excel opens Chinese text correctly; money in yuan. */
export function tableToCsv(table: ChartTable): string {
  const cell = (value: string | number | null) => {
    const text = value === null ? '' : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [
    table.columns.map(cell).join(','),
    ...table.rows.map((row) =>
      row.map((value, i) => cell(exportValue(value, table.units?.[i]))).join(','),
    ),
  ];
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

export function download(filename: string, content: string | Uint8Array, type: string): void {
  const url = URL.createObjectURL(new Blob([content as BlobPart], { type }));
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

/** Saves a table as CSV or XLSX (the XLSX writer is loaded on first use). */
export async function downloadTable(
  table: ChartTable,
  name: string,
  format: 'csv' | 'xlsx',
): Promise<void> {
  if (format === 'csv') {
    download(`${name}.csv`, tableToCsv(table), 'text/csv;charset=utf-8');
    return;
  }
  const { tableToXlsx } = await import('./xlsx.ts');
  download(
    `${name}.xlsx`,
    tableToXlsx(table, name),
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
}

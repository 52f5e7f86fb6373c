import type { Cell, Worksheet } from 'exceljs';

export interface FitColumnWidthsOptions {
  /** Characters; default 8. */
  minWidth?: number;
  /** Characters; default 48. Longer text wraps. */
  maxWidth?: number;
}

const WIDE_CHAR =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u;

/** Roughly what Excel shows: CJK and other wide characters take two columns of width. */
export function measureTextWidth(text: string): number {
  let width = 0;
  for (const char of text) width += WIDE_CHAR.test(char) ? 2 : 1;
  return width;
}

function measureCell(cell: Cell): number {
  const value = cell.value;
  if (value === null || value === undefined) return 0;
  if (value instanceof Date) return cell.numFmt?.includes('hh') ? 16 : 10;
  // Formatted numbers gain separators, a currency sign and decimals: a few characters more.
  if (typeof value === 'number') return String(Math.round(value)).length + 6;
  return measureTextWidth(typeof value === 'string' ? value : cell.text);
}

/**
 * Sets each column's width to fit its widest cell, within bounds. Merged cells are left out: they
 * hold running text that wraps across the columns they span.
 */
export function fitColumnWidths(sheet: Worksheet, options: FitColumnWidthsOptions = {}): void {
  const minWidth = options.minWidth ?? 8;
  const maxWidth = options.maxWidth ?? 48;
  const widths: number[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      if (cell.isMerged) return;
      const bold = cell.font?.bold === true ? 1 : 0;
      widths[col] = Math.max(widths[col] ?? 0, measureCell(cell) + bold);
    });
  });
  for (let col = 1; col < widths.length; col += 1) {
    const width = widths[col] ?? 0;
    sheet.getColumn(col).width = Math.min(maxWidth, Math.max(minWidth, width + 2));
  }
}

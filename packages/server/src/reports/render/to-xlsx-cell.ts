import type { CellValue } from 'exceljs';
import type { ReportCell, ValueUnit } from '../report-document.ts';

/** A value as written to a spreadsheet cell, with the number format that shows it. */
export interface XlsxCell {
  value: CellValue;
  numFmt?: string;
}

export const CURRENCY_FORMAT = '¥#,##0.00';
export const RATIO_FORMAT = '0.00%';
export const CHANGE_FORMAT = '+0.0%;-0.0%;0.0%';
export const DATE_FORMAT = 'yyyy-mm-dd';
export const DATE_TIME_FORMAT = 'yyyy-mm-dd hh:mm';
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A report value as a spreadsheet cell. Numbers stay numbers so sums and charts work in Excel:
 * money is written in yuan (minor units ÷ 100, which is exact for whole fen), ratios as fractions
 * with a percent format, local dates ("YYYY-MM-DD") as real dates at midnight. Text and values
 * that do not fit their unit are written as they are.
 */
export function toXlsxCell(value: ReportCell, unit: ValueUnit): XlsxCell {
  if (value === null) return { value: null };
  if (typeof value === 'string') {
    const date = unit === 'date' ? LOCAL_DATE.exec(value) : null;
    if (!date) return { value };
    const [, year, month, day] = date.map(Number);
    // ExcelJS writes a Date's UTC wall time, so midnight UTC is the local date itself.
    return {
      value: new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1)),
      numFmt: DATE_FORMAT,
    };
  }
  if (!Number.isFinite(value)) return { value: null };
  switch (unit) {
    case 'currency':
      return { value: value / 100, numFmt: CURRENCY_FORMAT };
    case 'ratio':
      return { value, numFmt: RATIO_FORMAT };
    case 'ms':
      return { value, numFmt: Number.isInteger(value) ? '#,##0" ms"' : '#,##0.0" ms"' };
    case 'seconds':
      return { value, numFmt: '#,##0.0" s"' };
    case 'count':
    case 'users':
      return { value, numFmt: Number.isInteger(value) ? '#,##0' : '#,##0.00' };
    case 'number':
      return { value, numFmt: '#,##0.00' };
    case 'date':
      return { value: new Date(value), numFmt: DATE_FORMAT };
    case 'text':
      return { value };
  }
}

import type { ValueUnit } from './report-document.ts';

const UNITS: Readonly<Record<string, ValueUnit>> = {
  count: 'count',
  users: 'users',
  currency: 'currency',
  ratio: 'ratio',
  ms: 'ms',
  seconds: 'seconds',
};

/** A catalog metric unit as a report unit: scores and per-second rates are plain numbers. */
export function toValueUnit(metricUnit: string): ValueUnit {
  return UNITS[metricUnit] ?? 'number';
}

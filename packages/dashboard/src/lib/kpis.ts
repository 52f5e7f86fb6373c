import { kpiCompare, queryBody, type FilterState } from './filters.ts';

/** One KPI of the `kpis` report (docs/api.md#kpis), as the cards show it. */
export interface Kpi {
  metric: string;
  name: { 'zh-CN': string; en: string };
  unit: string;
  value: number | null;
  previous: number | null;
  changeRatio: number | null;
  higherIsBetter: boolean;
}

/** The `kpis` report's result. */
export interface KpisResult {
  kpis: Kpi[];
}

/** A `kpis` request for the filter bar: its range and filters, the metrics, its comparison. */
export function kpiRequest(
  state: FilterState,
  metrics: readonly string[],
): Record<string, unknown> {
  return { ...queryBody(state), metrics, ...kpiCompare(state) };
}

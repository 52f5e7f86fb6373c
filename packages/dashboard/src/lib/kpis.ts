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

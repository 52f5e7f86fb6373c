import { t, type MessageKey } from '../i18n/index.ts';
import type { FilterState } from './filters.ts';

/** What KPI cards say their change is against. */
export function kpiCompareLabel(state: FilterState): MessageKey {
  if (state.compare === 'control' && state.control) return 'kpi.vsControl';
  return state.compare === 'year' ? 'kpi.vsYear' : 'kpi.vsPrevious';
}

/** The name of a chart's comparison line, or undefined when the filter bar compares nothing. */
export function compareSeriesName(state: FilterState): string | undefined {
  if (state.compare === 'control' && state.control)
    return t('filters.controlIs', {
      dimension: t(`dimension.${state.control.dimension}` as MessageKey),
      value: state.control.value,
    });
  if (state.compare === 'year') return t('filters.compare.year');
  if (state.compare === 'previous') return t('filters.compare.previous');
  return undefined;
}

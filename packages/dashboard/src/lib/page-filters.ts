import { computed } from 'vue';
import { compareSeriesName } from './compare-labels.ts';
import { queryBody, timeGranularity, trendsCompare, useFilters } from './filters.ts';

/**
 * The filter bar as a page's reports take it: the request's common fields (`base`), the time
 * buckets of its trends (`granularity`), their comparison (`compare`) and the name of the
 * compared line on the charts (`compareName`, undefined when the filter bar compares nothing).
 */
export function usePageFilters() {
  const { state, update } = useFilters();
  return {
    state,
    update,
    base: computed(() => queryBody(state.value)),
    granularity: computed(() => timeGranularity(state.value.range)),
    compare: computed(() => trendsCompare(state.value)),
    compareName: computed(() => compareSeriesName(state.value)),
  };
}

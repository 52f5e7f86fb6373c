import { computed } from 'vue';
import { useRoute, useRouter, type LocationQuery } from 'vue-router';

/** Dimensions of the filter bar, in the order shown (seed 001 §4: the unified filter bar). */
export const FILTER_DIMENSIONS = [
  'channel',
  'province',
  'platform',
  'app',
  'feature',
  'app_version',
] as const;
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number];

export const RANGE_PRESETS = [
  'today',
  'yesterday',
  'last_7_days',
  'last_30_days',
  'last_90_days',
  'this_week',
  'last_week',
  'this_month',
  'last_month',
  'this_year',
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export type Compare = 'none' | 'previous' | 'year' | 'control';

/** Dimensions a control group can be picked on: the A/B bucket first, then the filter bar's. */
export const CONTROL_DIMENSIONS = ['ab_bucket', ...FILTER_DIMENSIONS] as const;
export type ControlDimension = (typeof CONTROL_DIMENSIONS)[number];

/** What the filter bar holds; all of it lives in the URL, so a view can be bookmarked. */
export interface FilterState {
  range: RangePreset | 'custom';
  /** Local dates (YYYY-MM-DD) of a custom range, both days included. */
  from: string | null;
  to: string | null;
  compare: Compare;
  /** The control group of compare `control`: one dimension's value (`ab_bucket` = `A`). */
  control: { dimension: ControlDimension; value: string } | null;
  values: Partial<Record<FilterDimension, string[]>>;
  segmentId: string | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The URL parameters the filter bar owns. */
const FILTER_KEYS = new Set<string>([
  'range',
  'from',
  'to',
  'compare',
  'control',
  'segment',
  ...FILTER_DIMENSIONS,
]);
const first = (value: LocationQuery[string] | undefined): string | null =>
  (Array.isArray(value) ? value[0] : value) ?? null;

export function parseFilters(query: LocationQuery): FilterState {
  const from = first(query.from);
  const to = first(query.to);
  const custom = from !== null && to !== null && DATE.test(from) && DATE.test(to);
  const range = first(query.range);
  const compare = first(query.compare);
  // control=ab_bucket:A — the dimension, then the value (which may itself hold a colon).
  const [controlDimension, ...controlValue] = (first(query.control) ?? '').split(':');
  const control =
    CONTROL_DIMENSIONS.includes(controlDimension as ControlDimension) && controlValue.length
      ? { dimension: controlDimension as ControlDimension, value: controlValue.join(':') }
      : null;
  const values: FilterState['values'] = {};
  for (const dimension of FILTER_DIMENSIONS) {
    const raw = first(query[dimension]);
    if (raw) values[dimension] = raw.split(',').filter(Boolean);
  }
  return {
    range: custom
      ? 'custom'
      : RANGE_PRESETS.includes(range as RangePreset)
        ? (range as RangePreset)
        : 'last_30_days',
    from: custom ? from : null,
    to: custom ? to : null,
    compare:
      compare === 'previous' || compare === 'year' || (compare === 'control' && control)
        ? compare
        : 'none',
    control,
    values,
    segmentId: first(query.segment),
  };
}

export function filtersToQuery(state: FilterState): Record<string, string> {
  const query: Record<string, string> = {};
  if (state.range === 'custom' && state.from && state.to) {
    query.from = state.from;
    query.to = state.to;
  } else if (state.range !== 'last_30_days') query.range = state.range;
  if (state.compare !== 'none') query.compare = state.compare;
  if (state.compare === 'control' && state.control)
    query.control = `${state.control.dimension}:${state.control.value}`;
  for (const dimension of FILTER_DIMENSIONS) {
    const chosen = state.values[dimension];
    if (chosen?.length) query[dimension] = chosen.join(',');
  }
  if (state.segmentId) query.segment = state.segmentId;
  return query;
}

/** The common fields of a report request (docs/api.md) for this filter state. */
export function queryBody(state: FilterState): Record<string, unknown> {
  const body: Record<string, unknown> =
    state.range === 'custom' ? { from: state.from, to: state.to } : { range: state.range };
  const filters = FILTER_DIMENSIONS.flatMap((dimension) => {
    const chosen = state.values[dimension];
    return chosen?.length ? [{ dimension, op: 'in', value: chosen }] : [];
  });
  if (filters.length) body.filters = filters;
  if (state.segmentId) body.segmentId = state.segmentId;
  return body;
}

/** The time buckets of a trend over the range: hours for today and yesterday, else days. */
export function timeGranularity(range: FilterState['range']): 'hour' | 'day' {
  return range === 'today' || range === 'yesterday' ? 'hour' : 'day';
}

/**
 * A period that keeps a chart over the range readable (lifecycle, stickiness, cohorts): months
 * for this year, weeks for the last 90 days, else `short` (days unless said otherwise).
 */
export function periodForRange(
  range: FilterState['range'],
  short: 'day' | 'week' = 'day',
): 'day' | 'week' | 'month' {
  if (range === 'this_year') return 'month';
  if (range === 'last_90_days') return 'week';
  return short;
}

/** Only the filter bar's part of a query: what carries over from one page to another. */
export function filterQueryOf(query: LocationQuery): LocationQuery {
  return Object.fromEntries(Object.entries(query).filter(([key]) => FILTER_KEYS.has(key)));
}

/** The filter state of the current URL, and a way to change it (the URL changes with it). */
export function useFilters() {
  const route = useRoute();
  const router = useRouter();
  const state = computed(() => parseFilters(route.query));
  function update(change: Partial<FilterState>): void {
    // A page's own parameters (a table's sort, wall mode) stay as they are.
    const own = Object.fromEntries(
      Object.entries(route.query).filter(([key]) => !FILTER_KEYS.has(key)),
    );
    void router.replace({ query: { ...own, ...filtersToQuery({ ...state.value, ...change }) } });
  }
  return { state, update };
}

/** The control group's filters for the API's `control` (null unless comparing with one). */
function controlOf(state: FilterState): { filters: unknown[] } | null {
  return state.compare === 'control' && state.control
    ? { filters: [{ dimension: state.control.dimension, op: 'eq', value: state.control.value }] }
    : null;
}

/** The kpis report's comparison for the filter bar (previous period unless it says otherwise). */
export function kpiCompare(state: FilterState): Record<string, unknown> {
  const control = controlOf(state);
  if (control) return { compare: 'control', control };
  return { compare: state.compare === 'year' ? 'year' : 'previous' };
}

/** The trends report's comparisons for the filter bar (none, or the one it asks for). */
export function trendsCompare(state: FilterState): Record<string, unknown> {
  const control = controlOf(state);
  if (control) return { compare: ['control'], control };
  return { compare: state.compare === 'none' ? [] : [state.compare] };
}

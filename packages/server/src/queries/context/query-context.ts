import type { Filter, Granularity } from '@sightline/shared';
import type { EventStore } from '../../store/index.ts';
import type { Dialect } from '../sql/dialect.ts';

/**
 * What every query runs inside: whose data, which time range in which time zone, the filter bar,
 * and the caller's row-level scope. Reports receive it and apply it only through
 * `scopeConditions` (scope-conditions.ts), so access rules live in one place.
 */
export interface QueryContext {
  store: EventStore;
  dialect: Dialect;
  projectId: string;
  /** IANA zone: day, week and month boundaries are the project's local ones. */
  timeZone: string;
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  granularity: Granularity;
  /** The filter bar. */
  filters: readonly Filter[];
  /**
   * Row-level restrictions of the caller (for example channel in [a, b]): always applied and
   * ANDed with the filters, so no filter can widen them.
   */
  rowScope: readonly Filter[];
  /** Only people in this saved segment (as of its last refresh). */
  segmentId: string | null;
  /** Epoch ms; buckets after it are incomplete. */
  now: number;
  /** Answer from rollups when they are exact (series/rollups.ts); off to compare with events. */
  useRollups: boolean;
}

type Defaulted = 'filters' | 'rowScope' | 'segmentId' | 'granularity' | 'useRollups';
export type QueryContextInit = Omit<QueryContext, Defaulted> &
  Partial<Pick<QueryContext, Defaulted>>;

export function createQueryContext(init: QueryContextInit): QueryContext {
  return Object.freeze({
    filters: [],
    rowScope: [],
    segmentId: null,
    granularity: 'day' as const,
    useRollups: true,
    ...init,
  });
}

/** The same context over another range (comparisons, cohort lookbacks). */
export function withRange(ctx: QueryContext, from: number, to: number): QueryContext {
  return Object.freeze({ ...ctx, from, to });
}

/**
 * The same context for a control group: the control's filters replace the filter bar's filters
 * on the same dimension or property; the other filters, the row-level scope and the range stay.
 */
export function withControlFilters(ctx: QueryContext, control: readonly Filter[]): QueryContext {
  const sameField = (a: Filter, b: Filter) =>
    (a.dimension ?? null) === (b.dimension ?? null) &&
    (a.property ?? null) === (b.property ?? null);
  const kept = ctx.filters.filter((filter) => !control.some((c) => sameField(c, filter)));
  return Object.freeze({ ...ctx, filters: [...kept, ...control] });
}

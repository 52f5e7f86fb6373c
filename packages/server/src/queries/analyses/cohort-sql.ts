import {
  ACTIVE_EVENT_CONDITIONS,
  PAID_ORDER_CONDITIONS,
  type Condition,
  type Filter,
} from '@sightline/shared';
import {
  addLocalDays,
  addLocalMonths,
  startOfLocalDate,
  toLocalDate,
} from '../../platform/index.ts';
import type { QueryContext } from '../context/query-context.ts';
import { filterCondition, metricCondition, scopeConditions } from '../context/scope-conditions.ts';
import { openSource, type SourceQuery } from '../context/sources.ts';
import { groupExpr, type GroupBy } from '../series/aggregate-sql.ts';
import { openActivityRollup } from '../series/rollups.ts';
import type { SqlParams } from '../sql/sql-params.ts';

/** What puts a person in a cohort: their first valid event, first sign_up, or first paid order. */
export type CohortBy = 'first_event' | 'signup' | 'first_purchase';
/** A local calendar period. */
export type PeriodUnit = 'day' | 'week' | 'month';

/** A named event, optionally narrowed by filters on its dimensions or properties. */
export interface EventSelector {
  name: string;
  filters?: readonly Filter[] | undefined;
}

export interface TimeRange {
  from: number;
  to: number;
}

const SIGN_UP: readonly Condition[] = [
  { field: 'is_bot', op: 'eq', value: false },
  { field: 'name', op: 'eq', value: 'sign_up' },
];

function compileConditions(
  source: SourceQuery,
  params: SqlParams,
  ctx: QueryContext,
  list: readonly Condition[],
) {
  return list.map((c) => metricCondition(c, source, params, ctx.dialect));
}

/** Valid events (the catalog's active-event conditions), or the selected event and its filters. */
function eventConditions(
  ctx: QueryContext,
  params: SqlParams,
  source: SourceQuery,
  event: EventSelector | null | undefined,
): string[] {
  if (!event) return compileConditions(source, params, ctx, ACTIVE_EVENT_CONDITIONS);
  return [
    ...compileConditions(source, params, ctx, [
      { field: 'is_bot', op: 'eq', value: false },
      { field: 'name', op: 'eq', value: event.name },
    ]),
    ...(event.filters ?? []).map((f) => filterCondition(f, source, params, ctx.dialect)),
  ];
}

/**
 * People entering a cohort, one row each: the person's first qualifying row ever (first valid
 * event, first sign_up event, first paid order; ties broken by id), kept when that row lies in
 * `range` and passes the context's scope. The first row is found over all history before any
 * filter, as new users are: a filter then decides whether that very row counts (people whose
 * first order came from channel X), it never makes a later row someone's "first".
 * Columns: who (the identity-merged person), entered (instant), entry_id (event or order id as
 * text) and grp (the breakdown value of the entry row).
 */
export function cohortEntrySql(
  ctx: QueryContext,
  params: SqlParams,
  cohortBy: CohortBy,
  options: { range: TimeRange; groupBy?: GroupBy | null },
): string {
  if (cohortBy === 'first_purchase')
    return firstRowSql(ctx, params, 'orders', PAID_ORDER_CONDITIONS, options);
  const own = cohortBy === 'signup' ? SIGN_UP : ACTIVE_EVENT_CONDITIONS;
  return firstRowSql(ctx, params, 'events', own, options);
}

/** Each person's first row ever of a source matching conditions; see cohortEntrySql. */
export function firstRowSql(
  ctx: QueryContext,
  params: SqlParams,
  source: 'events' | 'orders',
  own: readonly Condition[],
  options: { range: TimeRange; groupBy?: GroupBy | null | undefined },
): string {
  const inner = openSource(source, ctx, params);
  const person = inner.person;
  const a = inner.alias;
  const id = source === 'orders' ? `${a}.order_id` : `${a}.event_id`;
  const where = [
    `${a}.project_id = ${params.shared(ctx.projectId)}`,
    `${person} IS NOT NULL`,
    ...compileConditions(inner, params, ctx, own),
  ];
  const first =
    `(SELECT ${a}.*, ${person} AS first_person FROM ${inner.from()} WHERE ${where.join(' AND ')} ` +
    `QUALIFY row_number() OVER (PARTITION BY ${person} ORDER BY ${inner.time}, ${id}) = 1)`;
  const outer = openSource(source, ctx, params, first);
  const group = groupExpr(outer, options.groupBy ?? null, params);
  const scoped = scopeConditions(ctx, outer, params, { range: options.range });
  return (
    `SELECT ${a}.first_person AS who, ${outer.time} AS entered, CAST(${id} AS VARCHAR) AS entry_id, ` +
    `${group} AS grp FROM ${outer.from()} WHERE ${scoped.join(' AND ')}`
  );
}

/**
 * Activity rows (who, t) inside the context's scope over `range` (null: all history): valid
 * events (not bots, not API calls, not identity links), or the selected event and its filters.
 */
export function activitySql(
  ctx: QueryContext,
  params: SqlParams,
  options: { event?: EventSelector | null | undefined; range: TimeRange | null },
): string {
  const source = openSource('events', ctx, params);
  const person = source.person;
  const where = [
    ...scopeConditions(ctx, source, params, { range: options.range }),
    ...eventConditions(ctx, params, source, options.event),
    `${person} IS NOT NULL`,
  ];
  return `SELECT ${person} AS who, ${source.time} AS t FROM ${source.from()} WHERE ${where.join(' AND ')}`;
}

/** personPeriodsSql's query; `entryScoped`: the context has a scope, so first_ok is there. */
export interface PersonPeriodsSql {
  sql: string;
  entryScoped: boolean;
}

/**
 * What cohortEntrySql (first valid event or first sign_up) and activitySql read, from one scan
 * of events, one row per person and local period: who, g (dialect.periodNumber), first_t (the
 * time of the period's first entry event), first_ok (whether that event, ties at one instant
 * broken by id as cohortEntrySql does, passes the scope) and last_t (the period's latest
 * activity row in the scope and `activityRange`). A person's first entry event ever is the one
 * of their smallest first_t; a period holds activity at or after an instant iff its last_t does.
 * For first-event cohorts with no return event and no scope, the active-people rollup stands in
 * for the events (openActivityRollup): first_t and last_t are then quarter hours, which decide
 * the same periods and the same "at or after" within a period.
 */
export function personPeriodsSql(
  ctx: QueryContext,
  params: SqlParams,
  options: {
    cohortBy: 'first_event' | 'signup';
    event: EventSelector | null;
    unit: PeriodUnit;
    zone: string;
    activityRange: TimeRange;
  },
): PersonPeriodsSql {
  // Valid events are both the entries and the activity: only they need reading, and their
  // event conditions are the WHERE's.
  const entriesOnly = options.cohortBy === 'first_event' && !options.event;
  // Then who was active in each quarter hour says the same as the events (the first entry's
  // quarter lies in the same period as the entry, and ranges are on the quarter grid).
  const rollup = entriesOnly ? openActivityRollup(ctx, options.activityRange) : null;
  const source = rollup ?? openSource('events', ctx, params);
  const { alias: a, person, time } = source;
  const and = (list: readonly string[]) => `(${list.join(' AND ')})`;
  const own = options.cohortBy === 'signup' ? SIGN_UP : ACTIVE_EVENT_CONDITIONS;
  const entry = rollup ? 'TRUE' : and(compileConditions(source, params, ctx, own));
  const activity = and([
    ...(entriesOnly ? [] : eventConditions(ctx, params, source, options.event)),
    ...scopeConditions(ctx, source, params, { range: options.activityRange }),
  ]);
  const columns = [
    `${person} AS who`,
    `${ctx.dialect.periodNumber(options.unit, time, options.zone)} AS g`,
    entriesOnly ? `min(${time}) AS first_t` : `min(CASE WHEN ${entry} THEN ${time} END) AS first_t`,
    `max(CASE WHEN ${activity} THEN ${time} END) AS last_t`,
  ];
  const entryScoped = ctx.filters.length > 0 || ctx.rowScope.length > 0 || ctx.segmentId !== null;
  if (entryScoped) {
    const scope = and(scopeConditions(ctx, source, params, { range: null }));
    // arg_min skips NULL values: both sides are non-NULL exactly on entry rows.
    columns.push(
      `${ctx.dialect.argMin(`coalesce(${scope}, FALSE)`, `CASE WHEN ${entry} THEN ROW(${time}, ${a}.event_id) END`)} AS first_ok`,
    );
  }
  const where = [
    `${a}.project_id = ${params.shared(ctx.projectId)}`,
    `${person} IS NOT NULL`,
    entriesOnly ? entry : `(${entry} OR ${activity})`,
  ];
  return {
    sql: `SELECT ${columns.join(', ')} FROM ${source.from()} WHERE ${where.join(' AND ')} GROUP BY 1, 2`,
    entryScoped,
  };
}

/**
 * Each person's first valid event ever, or first selected event (who, first_t), over all history
 * before the filter bar: as for new users, "new" means new to the product, whatever the filters.
 */
export function firstSeenSql(
  ctx: QueryContext,
  params: SqlParams,
  event: EventSelector | null | undefined,
): string {
  const source = openSource('events', ctx, params);
  const person = source.person;
  const where = [
    `${source.alias}.project_id = ${params.shared(ctx.projectId)}`,
    ...eventConditions(ctx, params, source, event),
    `${person} IS NOT NULL`,
  ];
  return (
    `SELECT ${person} AS who, min(${source.time}) AS first_t FROM ${source.from()} ` +
    `WHERE ${where.join(' AND ')} GROUP BY 1`
  );
}

/**
 * Paid orders (who, t, order_id, amount) inside the context's scope over `range`, by payment
 * time. The amount is what was paid: refunds are not deducted (the GMV definition).
 */
export function paidOrdersSql(
  ctx: QueryContext,
  params: SqlParams,
  options: { range: TimeRange | null; where?: readonly Condition[] },
): string {
  const source = openSource('orders', ctx, params);
  const person = source.person;
  const where = [
    ...scopeConditions(ctx, source, params, { range: options.range }),
    ...compileConditions(source, params, ctx, [...PAID_ORDER_CONDITIONS, ...(options.where ?? [])]),
    `${person} IS NOT NULL`,
  ];
  return (
    `SELECT ${person} AS who, ${source.time} AS t, o.order_id AS order_id, o.pay_amount AS amount ` +
    `FROM ${source.from()} WHERE ${where.join(' AND ')}`
  );
}

/** The local date n periods after a date (a period start stays a period start). */
export function addPeriods(date: string, unit: PeriodUnit, n: number): string {
  if (unit === 'month') return addLocalMonths(date, n);
  return addLocalDays(date, unit === 'week' ? 7 * n : n);
}

/** The instant the period n periods after the one starting at `start` begins. */
export function shiftPeriodStart(start: number, unit: PeriodUnit, n: number, zone: string): number {
  return startOfLocalDate(addPeriods(toLocalDate(start, zone), unit, n), zone);
}

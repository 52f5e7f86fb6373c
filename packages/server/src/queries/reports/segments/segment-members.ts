import { ACTIVE_EVENT_CONDITIONS, type Filter } from '@sightline/shared';
import type { EventStore, SqlStatement } from '../../../store/index.ts';
import { createQueryContext, type QueryContext } from '../../context/query-context.ts';
import {
  filterCondition,
  metricCondition,
  scopeConditions,
} from '../../context/scope-conditions.ts';
import { openSource } from '../../context/sources.ts';
import { duckDbDialect } from '../../sql/dialect.ts';
import { runQuery } from '../../sql/run-query.ts';
import { compactParams, SqlParams } from '../../sql/sql-params.ts';
import type { BehaviorRule, PropertyRule, SegmentMatch } from './segment-definition.ts';

const DAY_MS = 86_400_000;
/** Operators a person without any value satisfies, as in the filter bar (`neq` keeps NULLs). */
const NEGATIVE_OPS = new Set(['neq', 'not_in', 'not_set']);

/** Where and when a segment is evaluated: its project, and `now`, the end of every window. */
export interface SegmentScope {
  store: EventStore;
  projectId: string;
  now: number;
  /**
   * The caller's row-level scope: only their rows count, for the people chosen from and for
   * every rule (a restricted caller's segment holds people with an event in their scope).
   */
  rowScope?: readonly Filter[] | undefined;
}

function contextOf(scope: SegmentScope): QueryContext {
  // Windows are rolling (D × 24 h before now), so the zone plays no part.
  return createQueryContext({
    store: scope.store,
    dialect: duckDbDialect,
    projectId: scope.projectId,
    timeZone: 'UTC',
    from: scope.now - 365 * DAY_MS,
    to: scope.now,
    now: scope.now,
    rowScope: scope.rowScope ?? [],
  });
}

const windowOf = (ctx: QueryContext, days: number) => ({
  from: ctx.now - days * DAY_MS,
  to: ctx.now,
});

/** Everyone the segment chooses from: people with a valid event at any time before now. */
function universeSql(ctx: QueryContext, params: SqlParams): string {
  const source = openSource('events', ctx, params);
  const person = source.person;
  const where = [
    ...scopeConditions(ctx, source, params, { range: { from: 0, to: ctx.now } }),
    ...ACTIVE_EVENT_CONDITIONS.map((c) => metricCondition(c, source, params, ctx.dialect)),
    `${person} IS NOT NULL`,
  ];
  return `SELECT DISTINCT ${person} AS person FROM ${source.from()} WHERE ${where.join(' AND ')}`;
}

/** Per person: whether their latest value (from their newest event carrying it) matches. */
function propertySql(ctx: QueryContext, params: SqlParams, rule: PropertyRule): string {
  const source = openSource('events', ctx, params);
  const person = source.person;
  const carried = filterCondition(
    { dimension: rule.dimension, property: rule.property, op: 'is_set' },
    source,
    params,
    ctx.dialect,
  );
  const hit = filterCondition(rule, source, params, ctx.dialect);
  const where = [
    ...scopeConditions(ctx, source, params, { range: windowOf(ctx, rule.withinDays) }),
    `e.is_bot = FALSE`,
    carried,
  ];
  return (
    `SELECT ${person} AS person, coalesce(${hit}, FALSE) AS hit FROM ${source.from()} ` +
    `WHERE ${where.join(' AND ')} ` +
    `QUALIFY row_number() OVER (PARTITION BY ${person} ORDER BY e.event_time DESC, e.event_id DESC) = 1`
  );
}

/** Per person: how many matching events they had in the window. */
function behaviorSql(ctx: QueryContext, params: SqlParams, rule: BehaviorRule): string {
  const source = openSource('events', ctx, params);
  const person = source.person;
  const where = [
    ...scopeConditions(ctx, source, params, { range: windowOf(ctx, rule.withinDays) }),
    `e.is_bot = FALSE`,
    `e.name = ${params.add(rule.event)}`,
    ...(rule.filters ?? []).map((f) => filterCondition(f, source, params, ctx.dialect)),
  ];
  return `SELECT ${person} AS person, count(*) AS n FROM ${source.from()} WHERE ${where.join(' AND ')} GROUP BY 1`;
}

const COUNT_OPS = { gte: '>=', lte: '<=', eq: '=' } as const;

/**
 * `SELECT person_id` of the people matching a definition as of `scope.now`, computed in SQL
 * (segments can hold millions of people; none of them passes through JavaScript).
 */
export function buildSegmentMembersSql(
  scope: SegmentScope,
  match: SegmentMatch,
  params: SqlParams,
): string {
  const ctx = contextOf(scope);
  const ctes = [`u AS (${universeSql(ctx, params)})`];
  const joins: string[] = [];
  const conditions: string[] = [];
  match.rules.forEach((rule, index) => {
    const name = `r${index}`;
    joins.push(`LEFT JOIN ${name} ON ${name}.person = u.person`);
    if (rule.kind === 'property') {
      ctes.push(`${name} AS (${propertySql(ctx, params, rule)})`);
      conditions.push(`coalesce(${name}.hit, ${NEGATIVE_OPS.has(rule.op) ? 'TRUE' : 'FALSE'})`);
      return;
    }
    ctes.push(`${name} AS (${behaviorSql(ctx, params, rule)})`);
    const n = `coalesce(${name}.n, 0)`;
    conditions.push(
      'did' in rule ? `${n} = 0` : `${n} ${COUNT_OPS[rule.op]} ${params.add(rule.count)}`,
    );
  });
  const glue = match.match === 'all' ? ' AND ' : ' OR ';
  return (
    `WITH ${ctes.join(', ')} SELECT u.person AS person_id FROM u ${joins.join(' ')} ` +
    `WHERE (${conditions.join(glue)})`
  );
}

/** How many people match a definition now (a preview; nothing is stored). */
export async function countSegmentMembers(
  scope: SegmentScope,
  match: SegmentMatch,
): Promise<number> {
  const params = new SqlParams();
  const members = buildSegmentMembersSql(scope, match, params);
  const rows = await runQuery(scope, `SELECT count(*) AS n FROM (${members}) m`, params.values);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Replaces the stored members of a segment with the people matching its definition now, in one
 * transaction (readers see the old members or the new ones, never a mix). Returns the count.
 */
export async function refreshSegmentMembers(
  scope: SegmentScope,
  segmentId: string,
  match: SegmentMatch,
): Promise<number> {
  const params = new SqlParams();
  const project = params.shared(scope.projectId);
  const segment = params.add(segmentId);
  const members = buildSegmentMembersSql(scope, match, params);
  const insert = compactParams(
    `INSERT INTO segment_members (project_id, segment_id, person_id) ` +
      `SELECT ${project}, ${segment}, m.person_id FROM (${members}) m`,
    params.values,
  );
  const [, inserted = 0] = await scope.store.executeInTransaction([
    deleteStatement(scope.projectId, segmentId),
    { sql: insert.sql, params: insert.params },
  ]);
  return inserted;
}

function deleteStatement(projectId: string, segmentId: string): SqlStatement {
  return {
    sql: 'DELETE FROM segment_members WHERE project_id = $1 AND segment_id = $2',
    params: [projectId, segmentId],
  };
}

/** Forgets a segment's members (when it is deleted). */
export async function deleteSegmentMembers(
  store: EventStore,
  projectId: string,
  segmentId: string,
): Promise<number> {
  const [deleted = 0] = await store.executeInTransaction([deleteStatement(projectId, segmentId)]);
  return deleted;
}

/** A segment's stored members in person-id order, a page at a time (keyset pagination). */
export async function* readSegmentMembers(
  store: EventStore,
  projectId: string,
  segmentId: string,
  pageSize = 5_000,
): AsyncGenerator<string[]> {
  let after: string | null = null;
  for (;;) {
    const rows: Array<Record<string, unknown>> = await store.query(
      after === null
        ? `SELECT person_id FROM segment_members WHERE project_id = $1 AND segment_id = $2 ` +
            `ORDER BY person_id LIMIT $3`
        : `SELECT person_id FROM segment_members WHERE project_id = $1 AND segment_id = $2 ` +
            `AND person_id > $4 ORDER BY person_id LIMIT $3`,
      after === null ? [projectId, segmentId, pageSize] : [projectId, segmentId, pageSize, after],
    );
    const ids = rows.map((row) => String(row.person_id));
    if (ids.length > 0) yield ids;
    if (ids.length < pageSize) return;
    after = ids[ids.length - 1] ?? null;
  }
}

/**
 * `readSegmentMembers` as a restricted caller sees it: only members with a valid event in the
 * caller's row scope at any time before `scope.now`, so an export never names people outside
 * it, whoever refreshed the segment. Each page re-evaluates the scope (keyset pagination). A
 * scope the events cannot apply is refused here, before the first page is streamed.
 */
export function readScopedSegmentMembers(
  scope: SegmentScope,
  segmentId: string,
  pageSize = 5_000,
): AsyncGenerator<string[]> {
  if (!scope.rowScope?.length)
    return readSegmentMembers(scope.store, scope.projectId, segmentId, pageSize);
  const ctx = contextOf(scope);
  const pageSql = (after: string | null) => {
    const params = new SqlParams();
    const where = [
      `m.project_id = ${params.shared(scope.projectId)}`,
      `m.segment_id = ${params.add(segmentId)}`,
      `m.person_id IN (SELECT person FROM (${universeSql(ctx, params)}) u)`,
      ...(after === null ? [] : [`m.person_id > ${params.add(after)}`]),
    ];
    const sql =
      `SELECT m.person_id FROM segment_members m WHERE ${where.join(' AND ')} ` +
      `ORDER BY m.person_id LIMIT ${params.add(pageSize)}`;
    return { sql, values: params.values };
  };
  const first = pageSql(null);
  return (async function* pages() {
    let page = first;
    for (;;) {
      const rows = await runQuery(scope, page.sql, page.values);
      const ids = rows.map((row) => String(row.person_id));
      if (ids.length > 0) yield ids;
      if (ids.length < pageSize) return;
      page = pageSql(ids[ids.length - 1] ?? null);
    }
  })();
}

import { zoneArg } from '../context/zone-arg.ts';
import type { AggregateFormula, Condition, Granularity } from '@sightline/shared';
import type { QueryContext } from '../context/query-context.ts';
import { metricCondition, resolveDimension, scopeConditions } from '../context/scope-conditions.ts';
import { openSource, type FieldExpr, type SourceQuery } from '../context/sources.ts';
import { SqlParams } from '../sql/sql-params.ts';
import { openRollupSource } from './rollups.ts';
import type { Series } from './aggregate-series.ts';

/** What a series is split by, and which groups to keep (the rest become OTHER_GROUP). */
export interface GroupBy {
  dimension?: string | undefined;
  property?: string | undefined;
  /** Keep these values; every other value counts as OTHER_GROUP (no value stays null). */
  keep?: readonly string[];
  /** What ranking the groups already read, when it answers the breakdown (see rankGroups). */
  ranked?: RankedDaily;
}

/**
 * The daily values of every group of a daily-windowed distinct formula (DAU) in one context, as
 * ranking its breakdown read them; kept only when at most one group was left out.
 */
export interface RankedDaily {
  ctx: QueryContext;
  formula: AggregateFormula;
  daily: Series;
}

/** The group of values outside the top N of a breakdown. */
export const OTHER_GROUP = '$other';

export interface BuiltSql {
  sql: string;
  params: SqlParams['values'];
}

export interface AggregateSqlOptions {
  granularity: Granularity;
  groupBy?: GroupBy | null;
  /** Aggregate this instead of the formula's value (breakdown ranking by row count). */
  countRows?: boolean;
  /**
   * Also aggregate, as column `part`, only the rows that meet these further conditions: a
   * ratio's numerator in the same pass as its denominator.
   */
  part?: readonly Condition[];
  /**
   * Also each group's value over the whole range, in the same pass: rows whose column `total`
   * is 1 (their bucket is NULL). Not with granularity `all`.
   */
  withTotal?: boolean;
}

/**
 * `SELECT bucket, grp, value` for an aggregate formula inside the query context: bucket is the
 * epoch-ms start of the local bucket (or of the range for `all`), grp the breakdown value as
 * text (NULL without a breakdown or when the row has no value).
 */
export function buildAggregateSql(
  ctx: QueryContext,
  formula: AggregateFormula,
  options: AggregateSqlOptions,
): BuiltSql {
  const built = buildAggregate(ctx, formula, options);
  if (!built) throw new Error(`cannot aggregate part of ${formula.source} in one pass`);
  return built;
}

/** As buildAggregateSql; null when the source cannot evaluate `part` (a rollup lacks a field). */
export function buildAggregate(
  ctx: QueryContext,
  formula: AggregateFormula,
  options: AggregateSqlOptions,
): BuiltSql | null {
  const params = new SqlParams();
  const { dialect } = ctx;
  const source = openRollupSource(ctx, formula, options) ?? openSource(formula.source, ctx, params);
  const zone = zoneArg(ctx, params);
  const bucket =
    options.granularity === 'all'
      ? `${params.add(ctx.from)}::BIGINT`
      : dialect.bucketStartMs(options.granularity, source.time, zone);
  const group = groupExpr(source, options.groupBy ?? null, params);
  const value = options.countRows ? countRows(source) : aggregateExpr(ctx, formula, source);
  let part = '';
  if (options.part) {
    if (!options.part.every((condition) => source.field(condition.field))) return null;
    const when = options.part.map((c) => metricCondition(c, source, params, dialect));
    part = `, ${aggregateExpr(ctx, formula, source, when.join(' AND ') || 'TRUE')} AS part`;
  }
  const where = [
    ...scopeConditions(ctx, source, params),
    ...(source.conditionsApplied ? [] : (formula.where ?? [])).map((c) =>
      metricCondition(c, source, params, dialect),
    ),
  ];
  if (formula.kind === 'rate' && formula.peak && !options.countRows) {
    if (options.part || options.withTotal) return null;
    // The busiest second: count per second first, then the maximum per bucket and group.
    const second = dialect.epochMs(`date_trunc('second', ${source.time})`);
    return {
      sql:
        `SELECT bucket, grp, max(n) AS value FROM (SELECT ${bucket} AS bucket, ${group} AS grp, ` +
        `${second} AS s, count(*) AS n FROM ${source.from()} WHERE ${where.join(' AND ')} ` +
        `GROUP BY ALL) GROUP BY ALL`,
      params: params.values,
    };
  }
  const total = options.withTotal && options.granularity !== 'all';
  return {
    sql:
      `SELECT ${bucket} AS bucket, ${group} AS grp, ${value} AS value${part}` +
      `${total ? ', GROUPING(bucket) AS total' : ''} FROM ${source.from()} ` +
      `WHERE ${where.join(' AND ')} ` +
      (total ? 'GROUP BY GROUPING SETS ((bucket, grp), (grp))' : 'GROUP BY ALL'),
    params: params.values,
  };
}

/**
 * The bucket of a row at `time` by granularity `all`: the range's start; with several adjacent
 * spans (`starts` ascending, the first the range's start; a KPI and the period just before it in
 * one pass, see computeMetricOverSpans) the start of the last span beginning at or before it.
 */
export function allBucketSql(
  ctx: QueryContext,
  starts: readonly number[],
  time: string,
  params: SqlParams,
): string {
  if (starts.length <= 1) return `${params.add(ctx.from)}::BIGINT`;
  const later = starts
    .slice(1)
    .reverse()
    .map(
      (start) =>
        `WHEN ${time} >= ${ctx.dialect.instant(params.add(new Date(start).toISOString()))} ` +
        `THEN ${params.add(start)}::BIGINT`,
    );
  return `CASE ${later.join(' ')} ELSE ${params.add(starts[0] as number)}::BIGINT END`;
}

export function groupExpr(source: SourceQuery, groupBy: GroupBy | null, params: SqlParams): string {
  if (!groupBy) return 'CAST(NULL AS VARCHAR)';
  const field = resolveDimension(source, groupBy);
  const text = `CAST(${field.sql} AS VARCHAR)`;
  if (!groupBy.keep) return text;
  // Rows without a value stay their own group (key null), never part of "other".
  if (groupBy.keep.length === 0)
    return `CASE WHEN ${text} IS NULL THEN NULL ELSE '${OTHER_GROUP}' END`;
  const kept = groupBy.keep.map((value) => params.add(value)).join(', ');
  return `CASE WHEN ${text} IS NULL THEN NULL WHEN ${text} IN (${kept}) THEN ${text} ELSE '${OTHER_GROUP}' END`;
}

/** Rows counted (or their weights summed), only those meeting `when` if given. */
function countRows(source: SourceQuery, when?: string): string {
  if (!when) return source.weight ? `sum(${source.weight})` : 'count(*)';
  return source.weight
    ? `sum(CASE WHEN ${when} THEN ${source.weight} END)`
    : `count(CASE WHEN ${when} THEN 1 END)`;
}

function numeric(field: FieldExpr): string {
  return field.kind === 'number' ? field.sql : `TRY_CAST(${field.sql} AS DOUBLE)`;
}

/** The formula's aggregate; over only the rows meeting `when` if given (NULLs are skipped). */
function aggregateExpr(
  ctx: QueryContext,
  formula: AggregateFormula,
  source: SourceQuery,
  when?: string,
): string {
  const { dialect } = ctx;
  const field = (name: string) => {
    const found = source.field(name);
    if (!found) throw new Error(`metric field ${formula.source}.${name} is unknown`);
    return found;
  };
  const only = (sql: string) => (when ? `CASE WHEN ${when} THEN ${sql} END` : sql);
  switch (formula.kind) {
    case 'count':
    case 'rate':
      return countRows(source, when);
    case 'distinct':
      return dialect.countDistinct(
        only(
          formula.of === 'person'
            ? source.person
            : formula.of === 'user'
              ? source.user
              : field(formula.of).sql,
        ),
      );
    case 'sum':
    case 'avg':
    case 'min':
    case 'max':
      return `${formula.kind}(${only(numeric(field(formula.field)))})`;
    case 'quantile':
      return dialect.quantile(only(numeric(field(formula.field))), formula.q);
  }
}

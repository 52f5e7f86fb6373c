import {
  ERR_QUERY_DIMENSION_UNSUPPORTED,
  ERR_QUERY_INVALID,
  getDimension,
  SightlineError,
  type Condition,
  type ConditionValue,
  type Filter,
} from '@sightline/shared';
import type { Dialect } from '../sql/dialect.ts';
import type { SqlParams } from '../sql/sql-params.ts';
import type { QueryContext } from './query-context.ts';
import type { FieldExpr, SourceQuery } from './sources.ts';

type Op = Condition['op'];
type Value = ConditionValue | readonly ConditionValue[] | undefined;

/**
 * The WHERE conditions every query on a source must carry: the project, the time range, the
 * filter bar, the caller's row-level scope and the segment. The one place they are applied.
 */
export function scopeConditions(
  ctx: QueryContext,
  source: SourceQuery,
  params: SqlParams,
  options: { range?: { from: number; to: number } | null } = {},
): string[] {
  const { dialect } = ctx;
  const conditions = [`${source.alias}.project_id = ${params.shared(ctx.projectId)}`];
  const range = options.range === undefined ? { from: ctx.from, to: ctx.to } : options.range;
  if (range) {
    const from = dialect.instant(params.add(new Date(range.from).toISOString()));
    const to = dialect.instant(params.add(new Date(range.to).toISOString()));
    conditions.push(`${source.time} >= ${from}`, `${source.time} < ${to}`);
  }
  for (const filter of ctx.filters)
    conditions.push(filterCondition(filter, source, params, dialect));
  for (const filter of ctx.rowScope) {
    // A source without the scope's dimension is refused, never answered unscoped.
    if (filter.dimension !== undefined && !getDimension(filter.dimension)?.fields[source.id])
      throw new SightlineError(ERR_QUERY_DIMENSION_UNSUPPORTED, {
        dimension: filter.dimension,
        subject: `${source.id} (your row-level scope needs it)`,
      });
    conditions.push(filterCondition(filter, source, params, dialect));
  }
  if (ctx.segmentId) {
    conditions.push(
      `${source.person} IN (SELECT person_id FROM segment_members WHERE project_id = ` +
        `${params.shared(ctx.projectId)} AND segment_id = ${params.add(ctx.segmentId)})`,
    );
  }
  return conditions;
}

/** The field a dimension or event property maps to in a source; refused when it has none. */
export function resolveDimension(
  source: SourceQuery,
  target: { dimension?: string | undefined; property?: string | undefined },
): FieldExpr {
  if (target.property !== undefined) {
    const field = source.id === 'events' ? source.field(`props.${target.property}`) : null;
    if (!field)
      throw new SightlineError(ERR_QUERY_DIMENSION_UNSUPPORTED, {
        dimension: `property ${target.property}`,
        subject: source.id,
      });
    return field;
  }
  const dimension = getDimension(target.dimension ?? '');
  const name = dimension?.fields[source.id];
  const field = name ? source.field(name) : null;
  if (!field)
    throw new SightlineError(ERR_QUERY_DIMENSION_UNSUPPORTED, {
      dimension: target.dimension ?? '',
      subject: source.id,
    });
  return field;
}

export function filterCondition(
  filter: Filter,
  source: SourceQuery,
  params: SqlParams,
  dialect: Dialect,
): string {
  return predicate(resolveDimension(source, filter), filter.op, filter.value, params, dialect);
}

/** A metric's own condition (`name = 'sign_up'`, `props.status = 'success'`). */
export function metricCondition(
  condition: Condition,
  source: SourceQuery,
  params: SqlParams,
  dialect: Dialect,
): string {
  const field = source.field(condition.field);
  if (!field) throw new Error(`metric condition on unknown field ${source.id}.${condition.field}`);
  return predicate(field, condition.op, condition.value, params, dialect);
}

const COMPARE: Partial<Record<Op, string>> = {
  eq: '=',
  neq: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};

/** Numbers arrive as text from query strings: compare them as numbers on numeric fields. */
function coerce(field: FieldExpr, value: ConditionValue): ConditionValue {
  return field.kind === 'number' && typeof value === 'string' && NUMERIC.test(value)
    ? Number(value)
    : value;
}
const NUMERIC = /^-?\d+(\.\d+)?$/;

function predicate(
  field: FieldExpr,
  op: Op,
  value: Value,
  params: SqlParams,
  dialect: Dialect,
): string {
  if (field.kind === 'time')
    throw new SightlineError(ERR_QUERY_INVALID, { reason: 'time fields cannot be filtered' });
  if (op === 'is_set') return `${field.sql} IS NOT NULL`;
  if (op === 'not_set') return `${field.sql} IS NULL`;
  if (op === 'in' || op === 'not_in') {
    const list = ((Array.isArray(value) ? value : [value]) as ConditionValue[]).map((item) =>
      coerce(field, item),
    );
    if (list.length === 0) return op === 'in' ? 'FALSE' : 'TRUE';
    const numeric = field.kind === 'number' && list.every((item) => typeof item === 'number');
    const left = field.kind === 'number' && !numeric ? `CAST(${field.sql} AS VARCHAR)` : field.sql;
    const placeholders = list.map((item) => params.add(numeric ? item : String(item)));
    const sql = `${left} ${op === 'in' ? 'IN' : 'NOT IN'} (${placeholders.join(', ')})`;
    // A row without the field is in no list, so not_in keeps it (SQL's NOT IN would not).
    return op === 'not_in' ? `(${sql} OR ${field.sql} IS NULL)` : sql;
  }
  if (Array.isArray(value) || value === undefined)
    throw new SightlineError(ERR_QUERY_INVALID, { reason: `${op} takes one value` });
  const scalar = coerce(field, value as ConditionValue);
  if (op === 'contains') return dialect.contains(field.sql, params.add(String(scalar)));
  const sqlOp = COMPARE[op];
  if (!sqlOp) throw new SightlineError(ERR_QUERY_INVALID, { reason: `unknown operator ${op}` });
  let left = field.sql;
  let right: string;
  if (typeof scalar === 'boolean') {
    right = field.kind === 'bool' ? params.add(scalar) : params.add(String(scalar));
  } else if (typeof scalar === 'number') {
    if (field.kind === 'text') left = `TRY_CAST(${field.sql} AS DOUBLE)`;
    right = params.add(scalar);
  } else {
    right = params.add(scalar);
    if (field.kind === 'number') left = `CAST(${field.sql} AS VARCHAR)`;
    if (field.kind === 'bool') left = `CAST(${field.sql} AS VARCHAR)`;
  }
  const sql = `${left} ${sqlOp} ${right}`;
  return op === 'neq' ? `(${sql} OR ${field.sql} IS NULL)` : sql;
}

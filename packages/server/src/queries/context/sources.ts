import type { SourceId } from '@sightline/shared';
import {
  EVENT_COLUMNS,
  ORDER_COLUMNS,
  ORDER_ITEM_COLUMNS,
  REFUND_COLUMNS,
} from '../../store/index.ts';
import type { SqlParams } from '../sql/sql-params.ts';
import type { QueryContext } from './query-context.ts';

/** A resolved field: its SQL and whether it is numeric, boolean or text. */
export interface FieldExpr {
  sql: string;
  kind: 'text' | 'number' | 'bool' | 'time';
}

/**
 * One source of facts as a report sees it: the FROM clause (with the joins the fields used so
 * far need), the time that places a row in a range, and field resolution. Fields are columns,
 * `props.<key>` (event properties), `order.<column>` (the order of a refund or line) or a few
 * derived fields (`refunded_amount`, `api_error`). Everything else is refused, so no text from
 * a request reaches SQL unchecked.
 */
export interface SourceQuery {
  id: SourceId;
  alias: string;
  /** The row's time (TIMESTAMPTZ). */
  time: string;
  /** The identity-merged person (user id, else the linked user id, else the anonymous id). */
  person: string;
  /** The known user id (own or linked), NULL for anonymous rows. */
  user: string;
  field(name: string): FieldExpr | null;
  /** FROM … JOIN …, including joins the resolved fields need. Call after resolving fields. */
  from(): string;
  /** Rows stand for this many facts each (rollups): counts become sums of it. */
  weight?: string;
  /** The metric's own conditions are already applied by the source (a rollup of them). */
  conditionsApplied?: boolean;
}

const kindOf = (kind: string): FieldExpr['kind'] =>
  kind === 'text' || kind === 'uuid'
    ? 'text'
    : kind === 'bool'
      ? 'bool'
      : kind === 'time'
        ? 'time'
        : 'number';

function columnsOf(columns: ReadonlyArray<readonly [string, string, string]>) {
  return new Map(columns.map(([column, , kind]) => [column, kindOf(kind)]));
}

const EVENT_FIELDS = columnsOf(EVENT_COLUMNS);
const ORDER_FIELDS = columnsOf(ORDER_COLUMNS);
const REFUND_FIELDS = columnsOf(REFUND_COLUMNS);
const ITEM_FIELDS = columnsOf(ORDER_ITEM_COLUMNS);
const COST_FIELDS = new Map<string, FieldExpr['kind']>([
  ['channel', 'text'],
  ['campaign', 'text'],
  ['cost', 'number'],
  ['currency', 'text'],
]);
const PROPERTY = /^props\.([A-Za-z_$][A-Za-z0-9_$]{0,63})$/;

/** What opening a source needs from the query context. */
export type SourceScope = Pick<QueryContext, 'dialect' | 'projectId' | 'timeZone'>;

/**
 * Builds the query view of a source for the context's project. Each call starts with no
 * optional joins. `table` reads the source's rows from a subquery instead of its table (same
 * columns).
 */
export function openSource(
  id: SourceId,
  scope: SourceScope,
  params: SqlParams,
  table?: string,
): SourceQuery {
  const { dialect } = scope;
  const project = params.shared(scope.projectId);
  const joins = new Map<string, string>();
  const identity = (alias: string, anonymous: string) => {
    joins.set(
      'identity',
      `LEFT JOIN identities idn ON idn.project_id = ${alias}.project_id AND idn.anonymous_id = ${anonymous}`,
    );
  };
  const column = (alias: string, fields: Map<string, FieldExpr['kind']>, name: string) => {
    const kind = fields.get(name);
    return kind ? { sql: `${alias}."${name}"`, kind } : null;
  };

  switch (id) {
    case 'events': {
      const a = 'e';
      return {
        id,
        alias: a,
        time: `${a}.event_time`,
        get person() {
          identity(a, `${a}.anonymous_id`);
          return `coalesce(${a}.user_id, idn.user_id, ${a}.anonymous_id, ${a}.device_id)`;
        },
        get user() {
          identity(a, `${a}.anonymous_id`);
          return `coalesce(${a}.user_id, idn.user_id)`;
        },
        field(name) {
          const property = PROPERTY.exec(name);
          if (property) {
            const key = property[1] as string;
            return { sql: dialect.jsonText(`${a}.props`, key), kind: 'text' };
          }
          if (name === 'api_error')
            return {
              sql: `(${a}.status >= 400 OR ${dialect.jsonText(`${a}.props`, 'timeout')} = 'true')`,
              kind: 'bool',
            };
          return column(a, EVENT_FIELDS, name);
        },
        from: () => [`${table ?? 'events'} ${a}`, ...joins.values()].join(' '),
      };
    }
    case 'orders': {
      const a = 'o';
      return {
        id,
        alias: a,
        time: `coalesce(${a}.paid_at, ${a}.order_time)`,
        get person() {
          identity(a, `${a}.anonymous_id`);
          return `coalesce(${a}.user_id, idn.user_id, ${a}.anonymous_id)`;
        },
        get user() {
          identity(a, `${a}.anonymous_id`);
          return `coalesce(${a}.user_id, idn.user_id)`;
        },
        field(name) {
          if (name === 'refunded_amount') {
            joins.set(
              'refunds',
              `LEFT JOIN (SELECT order_id, sum(amount) AS refunded_amount FROM refunds ` +
                `WHERE project_id = ${project} GROUP BY order_id) rf ON rf.order_id = ${a}.order_id`,
            );
            return { sql: 'coalesce(rf.refunded_amount, 0)', kind: 'number' };
          }
          return column(a, ORDER_FIELDS, name);
        },
        from: () => [`${table ?? 'orders'} ${a}`, ...joins.values()].join(' '),
      };
    }
    case 'refunds': {
      const a = 'r';
      const order = () =>
        joins.set(
          'order',
          `LEFT JOIN orders ro ON ro.project_id = ${a}.project_id AND ro.order_id = ${a}.order_id`,
        );
      return {
        id,
        alias: a,
        time: `${a}.refund_time`,
        get person() {
          return this.user;
        },
        get user() {
          order();
          return `coalesce(${a}.user_id, ro.user_id)`;
        },
        field(name) {
          if (name.startsWith('order.')) {
            const found = column('ro', ORDER_FIELDS, name.slice(6));
            if (found) order();
            return found;
          }
          return column(a, REFUND_FIELDS, name);
        },
        from: () => [`refunds ${a}`, ...joins.values()].join(' '),
      };
    }
    case 'order_items': {
      const a = 'i';
      return {
        id,
        alias: a,
        time: 'coalesce(io.paid_at, io.order_time)',
        person: 'io.user_id',
        user: 'io.user_id',
        field(name) {
          if (name.startsWith('order.')) return column('io', ORDER_FIELDS, name.slice(6));
          return column(a, ITEM_FIELDS, name);
        },
        from: () =>
          `order_items ${a} JOIN orders io ON io.project_id = ${a}.project_id AND io.order_id = ${a}.order_id`,
      };
    }
    case 'campaign_costs': {
      const a = 'c';
      const zone = params.shared(scope.timeZone);
      return {
        id,
        alias: a,
        // A day's spend is placed at the start of that day in the project's zone.
        time: dialect.fromLocalTime(`CAST(${a}.day AS TIMESTAMP)`, zone),
        person: 'NULL',
        user: 'NULL',
        field: (name) => column(a, COST_FIELDS, name),
        from: () => `campaign_costs ${a}`,
      };
    }
  }
}

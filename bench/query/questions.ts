import type { Granularity } from '@sightline/shared';
import type { QueryContext } from '../../packages/server/src/queries/index.ts';
import type { SqlValue } from '../../packages/server/src/store/index.ts';

export interface Question {
  label: string;
  report: string;
  params: Record<string, unknown>;
  range: 'today' | 'month';
  granularity: Granularity;
  targetMs: number;
  /** The same question as hand-written SQL on the tables, run directly. */
  baseline(ctx: QueryContext): Array<{ sql: string; params: SqlValue[] }>;
}

const iso = (ms: number) => new Date(ms).toISOString();
const DAY_MS = 86_400_000;
const ACTIVE = `NOT e.is_bot AND e.type NOT IN ('api', 'identify')`;
const IN_RANGE = (column: string) => `${column} >= $2::TIMESTAMPTZ AND ${column} < $3::TIMESTAMPTZ`;

function kpiSql(from: number, to: number, project: string) {
  const p: SqlValue[] = [project, iso(from), iso(to)];
  return [
    {
      sql: `SELECT count(DISTINCT coalesce(e.user_id, i.user_id)) FROM events e LEFT JOIN identities i ON i.project_id = e.project_id AND i.anonymous_id = e.anonymous_id WHERE e.project_id = $1 AND ${IN_RANGE('e.event_time')} AND ${ACTIVE}`,
      params: p,
    },
    {
      sql: `SELECT sum(pay_amount), count(*) FROM orders WHERE project_id = $1 AND status = 'paid' AND ${IN_RANGE('coalesce(paid_at, order_time)')}`,
      params: p,
    },
    {
      sql: `SELECT quantile_cont(duration_ms, 0.95), count(*) FILTER (WHERE status >= 400 OR json_extract_string(props, '$.timeout') = 'true') / count(*) FROM events WHERE project_id = $1 AND ${IN_RANGE('event_time')} AND type = 'api'`,
      params: p,
    },
    {
      sql: `SELECT count(DISTINCT json_extract_string(props, '$.task_id')) FILTER (WHERE json_extract_string(props, '$.status') = 'success') / count(DISTINCT json_extract_string(props, '$.task_id')) FROM events WHERE project_id = $1 AND ${IN_RANGE('event_time')} AND name = 'task_completed' AND NOT is_bot`,
      params: p,
    },
  ];
}

export const QUESTIONS: Question[] = [
  {
    label: 'KPI cards: 6 KPIs today vs same time yesterday',
    report: 'kpis',
    params: {
      metrics: ['dau', 'gmv', 'orders', 'api_latency_p95', 'api_error_rate', 'task_success_rate'],
      compare: 'same_time_yesterday',
    },
    range: 'today',
    granularity: 'all',
    targetMs: 50,
    baseline: (ctx) => [
      ...kpiSql(ctx.from, ctx.to, ctx.projectId),
      ...kpiSql(ctx.from - DAY_MS, ctx.now - DAY_MS, ctx.projectId),
    ],
  },
  {
    label: 'Trends: DAU and GMV by day, 30 days, top 5 channels',
    report: 'trends',
    params: {
      series: [{ metric: 'dau' }, { metric: 'gmv' }],
      breakdown: { dimension: 'channel', limit: 5 },
    },
    range: 'month',
    granularity: 'day',
    targetMs: 200,
    baseline: (ctx) => {
      const p: SqlValue[] = [ctx.projectId, iso(ctx.from), iso(ctx.to), ctx.timeZone];
      const day = (column: string) => `date_trunc('day', timezone($4, ${column}))`;
      const user = `coalesce(e.user_id, i.user_id)`;
      const events = `FROM events e LEFT JOIN identities i ON i.project_id = e.project_id AND i.anonymous_id = e.anonymous_id WHERE e.project_id = $1 AND ${IN_RANGE('e.event_time')} AND ${ACTIVE}`;
      const orders = `FROM orders WHERE project_id = $1 AND status = 'paid' AND ${IN_RANGE('coalesce(paid_at, order_time)')}`;
      const top = (value: string, from: string, column: string) =>
        `(SELECT ${column} FROM (SELECT ${column}, ${value} AS v ${from} GROUP BY 1 ORDER BY v DESC LIMIT 5))`;
      const dauTop = top(`count(DISTINCT ${user})`, events, 'e.channel');
      const gmvTop = top('sum(pay_amount)', orders, 'channel');
      return [
        {
          sql: `SELECT ${day('e.event_time')} d, CASE WHEN e.channel IN ${dauTop} THEN e.channel ELSE 'other' END c, count(DISTINCT ${user}) ${events} GROUP BY ALL`,
          params: p,
        },
        {
          sql: `SELECT CASE WHEN e.channel IN ${dauTop} THEN e.channel ELSE 'other' END c, count(DISTINCT ${user}) ${events} GROUP BY ALL`,
          params: p,
        },
        {
          sql: `SELECT ${day('coalesce(paid_at, order_time)')} d, CASE WHEN channel IN ${gmvTop} THEN channel ELSE 'other' END c, sum(pay_amount) ${orders} GROUP BY ALL`,
          params: p,
        },
        {
          sql: `SELECT CASE WHEN channel IN ${gmvTop} THEN channel ELSE 'other' END c, sum(pay_amount) ${orders} GROUP BY ALL`,
          params: p,
        },
      ];
    },
  },
];

import type { Granularity } from '@sightline/shared';
import type { QueryContext } from '../../packages/server/src/queries/index.ts';
import type { SqlValue } from '../../packages/server/src/store/index.ts';

/** A hand-written query, run directly on the store. */
export interface HandSql {
  sql: string;
  params: SqlValue[];
}

export interface Question {
  label: string;
  report: string;
  params: Record<string, unknown>;
  range: 'today' | 'month';
  granularity: Granularity;
  targetMs: number;
  /** The same question as hand-written SQL on the tables, run directly. */
  baseline(ctx: QueryContext): HandSql[];
  /**
   * A step every exact answer to the question has to take, alone, as hand-written SQL: a lower
   * bound for the report on this machine (printed beside the target where it is given).
   */
  floor?: { label: string; sql(ctx: QueryContext): HandSql };
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
  {
    label: 'Funnel: view → cart → order, 3-day window, 30 days',
    report: 'funnel',
    params: {
      windowSeconds: 259_200,
      steps: [{ event: 'view_product' }, { event: 'add_to_cart' }, { event: 'order_completed' }],
    },
    range: 'month',
    granularity: 'day',
    targetMs: 500,
    baseline: (ctx) => {
      const p: SqlValue[] = [ctx.projectId, iso(ctx.from), iso(ctx.to), iso(ctx.to + 3 * DAY_MS)];
      const sql = `WITH ev AS (SELECT coalesce(e.user_id, i.user_id, e.anonymous_id) AS p, e.event_time AS t, e.name AS n
          FROM events e LEFT JOIN identities i ON i.project_id = e.project_id AND i.anonymous_id = e.anonymous_id
          WHERE e.project_id = $1 AND e.event_time >= $2::TIMESTAMPTZ AND e.event_time < $4::TIMESTAMPTZ AND NOT e.is_bot
            AND e.name IN ('view_product', 'add_to_cart', 'order_completed')),
        a AS (SELECT p, min(t) AS t1 FROM ev WHERE n = 'view_product' AND t < $3::TIMESTAMPTZ GROUP BY p),
        b AS (SELECT a.p, a.t1, min(ev.t) AS t2 FROM a JOIN ev ON ev.p = a.p AND ev.n = 'add_to_cart'
          AND ev.t > a.t1 AND ev.t < a.t1 + INTERVAL 3 DAY GROUP BY ALL),
        c AS (SELECT b.p FROM b JOIN ev ON ev.p = b.p AND ev.n = 'order_completed'
          AND ev.t > b.t2 AND ev.t < b.t1 + INTERVAL 3 DAY GROUP BY ALL)
        SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b), (SELECT count(*) FROM c)`;
      return [{ sql, params: p }];
    },
    floor: {
      label: 'read its step events with identities and group them by person',
      sql: (ctx) => ({
        sql: `SELECT count(*) FROM (SELECT coalesce(e.user_id, i.user_id, e.anonymous_id) AS p, count(*) AS n
          FROM events e LEFT JOIN identities i ON i.project_id = e.project_id AND i.anonymous_id = e.anonymous_id
          WHERE e.project_id = $1 AND e.event_time >= $2::TIMESTAMPTZ AND e.event_time < $3::TIMESTAMPTZ AND NOT e.is_bot
            AND e.name IN ('view_product', 'add_to_cart', 'order_completed') GROUP BY p)`,
        params: [ctx.projectId, iso(ctx.from), iso(ctx.to + 3 * DAY_MS)],
      }),
    },
  },
  {
    label: 'Retention: weekly cohorts by first event, 4 weeks',
    report: 'retention',
    params: { cohortBy: 'first_event', period: 'week', periods: 4 },
    range: 'month',
    granularity: 'week',
    targetMs: 500,
    baseline: (ctx) => {
      const p: SqlValue[] = [ctx.projectId, iso(ctx.from), iso(ctx.to)];
      const week = `date_trunc('week', make_timestamp((epoch_ms(e.event_time) + 28800000) * 1000))`;
      const sql = `WITH act AS (SELECT DISTINCT coalesce(e.user_id, i.user_id, e.anonymous_id) AS p, ${week} AS w
          FROM events e LEFT JOIN identities i ON i.project_id = e.project_id AND i.anonymous_id = e.anonymous_id
          WHERE e.project_id = $1 AND ${ACTIVE}),
        first AS (SELECT p, min(w) AS c FROM act GROUP BY p)
        SELECT first.c, date_diff('week', first.c, act.w) AS k, count(*) FROM act JOIN first USING (p)
        WHERE first.c >= make_timestamp((epoch_ms($2::TIMESTAMPTZ) + 28800000) * 1000)
          AND first.c < make_timestamp((epoch_ms($3::TIMESTAMPTZ) + 28800000) * 1000) GROUP BY ALL`;
      return [{ sql, params: p }];
    },
  },
  {
    label: 'Paths: 5 pages after the home page, in session',
    report: 'paths',
    params: {
      eventType: 'page',
      steps: 5,
      start: { event: 'page_view', filters: [{ dimension: 'page', op: 'eq', value: '/' }] },
    },
    range: 'month',
    granularity: 'day',
    targetMs: 500,
    baseline: (ctx) => {
      const p: SqlValue[] = [ctx.projectId, iso(ctx.from), iso(ctx.to)];
      const next = (k: number) =>
        `lead(page, ${k}) OVER (PARTITION BY session_id ORDER BY event_time)`;
      const sql = `SELECT path, count(*) AS n FROM (SELECT page AS p0, ${next(1)} AS p1, ${next(2)} AS p2, ${next(3)} AS p3, ${next(4)} AS p4
          FROM events WHERE project_id = $1 AND ${IN_RANGE('event_time')} AND name = 'page_view' AND NOT is_bot) s,
        LATERAL (SELECT concat_ws(' > ', p0, p1, p2, p3, p4) AS path) WHERE p0 = '/' GROUP BY path ORDER BY n DESC LIMIT 20`;
      return [{ sql, params: p }];
    },
    floor: {
      label: 'put the page views of each visit in time order (one lead(), people not resolved)',
      sql: (ctx) => ({
        sql: `SELECT count(x) FROM (SELECT lead(page) OVER (PARTITION BY session_id ORDER BY event_time) AS x
          FROM events WHERE project_id = $1 AND ${IN_RANGE('event_time')} AND type = 'page' AND NOT is_bot)`,
        params: [ctx.projectId, iso(ctx.from), iso(ctx.to)],
      }),
    },
  },
];

import {
  PEOPLE_ROLLUP_EVENTS,
  REFILL_FIRST_EVENTS_AFTER_EXPIRY,
  rollupPeopleOf,
  rollupTasksOf,
  type EventStore,
} from '../../packages/server/src/store/index.ts';

const DAY_MS = 86_400_000;

export interface QueryDataOptions {
  projectId: string;
  events: number;
  days: number;
  /** Exclusive end of the data, epoch ms. */
  end: number;
  /** Distinct people (half of them logged in). */
  people: number;
}

/** Events per session: a visit is a handful of pages and actions minutes apart. */
const SESSION_EVENTS = 10;
/** Gap between two events of a session, plus up to as much again of jitter. */
const EVENT_GAP_MS = 30_000;

/**
 * Generates the benchmark data inside DuckDB with deterministic SQL (hashes of the row number),
 * so 10 million events take seconds and every run sees the same data: a shop's mix of page
 * views, product views, carts, orders, tasks, API calls and errors over `days` days, plus the
 * orders, identities and every rollup ingest would derive. Traffic comes in sessions, as it does in
 * life: a person keeps their platform and province, a visit keeps its channel, opens on the home
 * page and its events are seconds apart. Events are written in time order, as ingest writes them.
 */
export async function generateQueryData(store: EventStore, o: QueryDataOptions): Promise<void> {
  const start = o.end - o.days * DAY_MS;
  const sessionSpan = SESSION_EVENTS * 2 * EVENT_GAP_MS;
  const h = (key: string, salt: number) => `(hash(${key}, ${salt}) % 1000000)::BIGINT`;
  const pick = (key: string, salt: number, values: string[]) =>
    `list_element([${values.map((v) => `'${v}'`).join(', ')}], (${h(key, salt)} % ${values.length} + 1)::INTEGER)`;
  // Event mix out of 1000 (the first event of a visit is always a home page view): 450
  // page_view, 150 view_product, 50 add_to_cart, 20 checkout, 10 order_completed, 200 api_call,
  // 40 feature_invoke, 40 task_completed, 5 sign_up, 15 login, 10 js_error, 10 web_vital.
  const kind = `(${h('i', 3)} % 1000)`;
  const name = `CASE WHEN k = 0 OR ${kind} < 450 THEN 'page_view' WHEN ${kind} < 600 THEN 'view_product'
    WHEN ${kind} < 650 THEN 'add_to_cart' WHEN ${kind} < 670 THEN 'checkout_started'
    WHEN ${kind} < 680 THEN 'order_completed' WHEN ${kind} < 880 THEN 'api_call'
    WHEN ${kind} < 920 THEN 'feature_invoke' WHEN ${kind} < 960 THEN 'task_completed'
    WHEN ${kind} < 965 THEN 'sign_up' WHEN ${kind} < 980 THEN 'login'
    WHEN ${kind} < 990 THEN 'js_error' ELSE 'web_vital' END`;
  await store.execute(
    `
    INSERT INTO events (event_id, project_id, event_time, received_at, type, name, user_id,
      anonymous_id, session_id, platform, channel, province, page, feature, is_bot, duration_ms,
      status, amount, currency, props, commit_seq)
    SELECT uuid(), $1, t, t, CASE n WHEN 'page_view' THEN 'page' WHEN 'api_call' THEN 'api'
        WHEN 'js_error' THEN 'error' WHEN 'web_vital' THEN 'perf' ELSE 'event' END, n,
      CASE WHEN p % 2 = 0 THEN 'u' || p END, 'a' || p, 's' || s,
      ${pick('p', 4, ['web', 'miniprogram', 'ios', 'android'])},
      ${pick('s', 5, ['organic', 'wechat', 'douyin', 'baidu', 'direct', 'xiaohongshu'])},
      ${pick('p', 6, ['广东省', '浙江省', '江苏省', '上海市', '北京市', '四川省', '湖北省', '山东省'])},
      CASE WHEN n = 'page_view' THEN CASE WHEN k = 0 THEN '/' ELSE ${pick('i', 7, ['/', '/list', '/product', '/cart', '/checkout', '/me'])} END END,
      CASE WHEN n IN ('feature_invoke', 'task_completed') THEN ${pick('i', 8, ['remove_bg', 'eraser', 'outfit_swap', 'outpaint'])} END,
      false,
      CASE WHEN n IN ('api_call', 'task_completed') THEN 20 + (${h('i', 9)} % 1500) END,
      CASE WHEN n = 'api_call' THEN CASE WHEN ${h('i', 10)} % 100 = 0 THEN 500 ELSE 200 END END,
      CASE WHEN n = 'order_completed' THEN 1000 + ${h('i', 11)} % 50000 END,
      CASE WHEN n = 'order_completed' THEN 'CNY' END,
      CASE n WHEN 'api_call' THEN '{"route":"/api/' || ${pick('i', 12, ['products', 'cart', 'orders', 'users', 'search'])} || '","method":"GET"}'
        WHEN 'task_completed' THEN '{"task_id":"t' || i || '","status":"' || CASE WHEN ${h('i', 13)} % 10 = 0 THEN 'failed' ELSE 'success' END || '"}'
        WHEN 'order_completed' THEN '{"order_id":"o' || i || '"}'
        ELSE '{}' END,
      1
    FROM (SELECT *, ${name} AS n,
            to_timestamp((session_start + k * $6 + ${h('i', 14)} % $6) / 1000) AS t
          FROM (SELECT i, i // $7 AS s, i % $7 AS k, ${h('i // $7', 2)} % $4 AS p,
                  $2 + (hash(i // $7, 1) % ($3 - $8))::BIGINT AS session_start
                FROM range($5) r(i)))
    ORDER BY t`,
    [
      o.projectId,
      start,
      o.days * DAY_MS,
      o.people,
      o.events,
      EVENT_GAP_MS,
      SESSION_EVENTS,
      sessionSpan,
    ],
  );
  await store.execute(
    `INSERT INTO orders SELECT project_id, json_extract_string(props, '$.order_id'), user_id, anonymous_id,
      'paid', event_time, event_time, 'CNY', amount, 0, amount, NULL, NULL, NULL, channel, platform,
      'goods', NULL, NULL, NULL, NULL, province, NULL, 'event', event_time
     FROM events WHERE project_id = $1 AND name = 'order_completed'`,
    [o.projectId],
  );
  // Half the anonymous visitors log in at some point: identity links for the odd people.
  await store.execute(
    `INSERT INTO identities SELECT $1, 'a' || p, 'u' || (p + 1), to_timestamp($2 / 1000)
     FROM range(1, $3, 2) r(p)`,
    [o.projectId, start, o.people],
  );
  await store.execute(
    `INSERT INTO rollup_event_counts SELECT project_id, date_trunc('minute', event_time), type, name,
      is_bot, coalesce(status, -1), coalesce(json_extract_string(props, '$.timeout') = 'true', false),
      count(*) FROM events WHERE project_id = $1 GROUP BY ALL`,
    [o.projectId],
  );
  // The tasks each minute finished (migration 8), with the statement a commit writes them with.
  await store.execute(`${rollupTasksOf('project_id = $1')} ORDER BY minute`, [o.projectId]);
  // Who was active, and who viewed a page, in each quarter hour (DuckDB migrations 4, 6 and 7),
  // with the statement a commit writes them with, over every event at once.
  for (const [table, where] of Object.entries(PEOPLE_ROLLUP_EVENTS))
    await store.execute(`${rollupPeopleOf(table, `e.project_id = $1 AND ${where}`)} ORDER BY 2`, [
      o.projectId,
    ]);
  // Each id tuple's first event (migration 5), with the statement retention refills it with.
  const [, firstEvents] = REFILL_FIRST_EVENTS_AFTER_EXPIRY;
  await store.execute(firstEvents, [o.projectId, new Date(0).toISOString()]);
  await store.execute('CHECKPOINT');
}

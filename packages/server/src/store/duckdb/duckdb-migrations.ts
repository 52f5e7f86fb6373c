/**
 * Versioned migrations of the DuckDB event store. Append only: a shipped migration is never
 * edited, a change is a new version. Each runs in its own transaction with its version row.
 */
export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
}

export const DUCKDB_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events, identities, commerce facts, ingest stats',
    statements: [
      // No primary key: DuckDB rewrites whole indexes at each checkpoint, which stalls commits
      // more as the table grows. Ids are deduplicated exactly by dedupe-index.ts instead.
      `CREATE TABLE events (
        event_id UUID NOT NULL,
        project_id VARCHAR NOT NULL,
        event_time TIMESTAMPTZ NOT NULL,
        client_time TIMESTAMPTZ,
        received_at TIMESTAMPTZ NOT NULL,
        type VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        event_version INTEGER,
        user_id VARCHAR,
        anonymous_id VARCHAR,
        device_id VARCHAR,
        session_id VARCHAR,
        app VARCHAR,
        env VARCHAR,
        release VARCHAR,
        platform VARCHAR,
        app_version VARCHAR,
        country VARCHAR,
        province VARCHAR,
        city VARCHAR,
        network VARCHAR,
        page VARCHAR,
        url VARCHAR,
        referrer VARCHAR,
        referrer_host VARCHAR,
        title VARCHAR,
        channel VARCHAR,
        campaign VARCHAR,
        utm_source VARCHAR,
        utm_medium VARCHAR,
        utm_campaign VARCHAR,
        utm_term VARCHAR,
        utm_content VARCHAR,
        feature VARCHAR,
        ab_bucket VARCHAR,
        request_id VARCHAR,
        trace_id VARCHAR,
        ip_hash VARCHAR,
        ua_browser VARCHAR,
        ua_browser_version VARCHAR,
        ua_os VARCHAR,
        ua_os_version VARCHAR,
        ua_device_type VARCHAR,
        ua_device_vendor VARCHAR,
        ua_device_model VARCHAR,
        is_bot BOOLEAN NOT NULL,
        duration_ms DOUBLE,
        status INTEGER,
        amount BIGINT,
        currency VARCHAR,
        -- JSON text, always written by JSON.stringify: VARCHAR skips a redundant validation on
        -- insert (a quarter of the insert cost) and DuckDB's JSON functions still apply.
        props VARCHAR NOT NULL,
        -- The store's commit number: lets the dedupe index catch up after a crash.
        commit_seq BIGINT NOT NULL
      )`,
      // The last ingest-log sequence applied to this database (one row).
      `CREATE TABLE applied_seq (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL)`,
      `CREATE TABLE identities (
        project_id VARCHAR NOT NULL,
        anonymous_id VARCHAR NOT NULL,
        user_id VARCHAR NOT NULL,
        linked_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (project_id, anonymous_id)
      )`,
      `CREATE TABLE orders (
        project_id VARCHAR NOT NULL,
        order_id VARCHAR NOT NULL,
        user_id VARCHAR,
        anonymous_id VARCHAR,
        status VARCHAR NOT NULL,
        order_time TIMESTAMPTZ NOT NULL,
        paid_at TIMESTAMPTZ,
        currency VARCHAR NOT NULL,
        gross_amount BIGINT NOT NULL,
        discount_amount BIGINT NOT NULL,
        pay_amount BIGINT NOT NULL,
        cost_amount BIGINT,
        commission_amount BIGINT,
        agent_id VARCHAR,
        channel VARCHAR,
        platform VARCHAR,
        product_type VARCHAR,
        coupon_id VARCHAR,
        ip_hash VARCHAR,
        address_hash VARCHAR,
        device_id VARCHAR,
        province VARCHAR,
        city VARCHAR,
        source VARCHAR NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (project_id, order_id)
      )`,
      `CREATE TABLE order_items (
        project_id VARCHAR NOT NULL,
        order_id VARCHAR NOT NULL,
        line_no INTEGER NOT NULL,
        product_id VARCHAR NOT NULL,
        sku VARCHAR,
        category VARCHAR,
        quantity INTEGER NOT NULL,
        unit_price BIGINT NOT NULL,
        amount BIGINT NOT NULL,
        cost_amount BIGINT,
        PRIMARY KEY (project_id, order_id, line_no)
      )`,
      `CREATE TABLE refunds (
        project_id VARCHAR NOT NULL,
        refund_id VARCHAR NOT NULL,
        order_id VARCHAR NOT NULL,
        user_id VARCHAR,
        refund_time TIMESTAMPTZ NOT NULL,
        amount BIGINT NOT NULL,
        reason VARCHAR,
        source VARCHAR NOT NULL,
        PRIMARY KEY (project_id, refund_id)
      )`,
      `CREATE TABLE products (
        project_id VARCHAR NOT NULL,
        product_id VARCHAR NOT NULL,
        sku VARCHAR,
        name VARCHAR NOT NULL,
        category VARCHAR,
        brand VARCHAR,
        price BIGINT NOT NULL,
        cost BIGINT,
        status VARCHAR NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (project_id, product_id)
      )`,
      `CREATE TABLE inventory_snapshots (
        project_id VARCHAR NOT NULL,
        product_id VARCHAR NOT NULL,
        warehouse VARCHAR NOT NULL,
        snapshot_time TIMESTAMPTZ NOT NULL,
        on_hand BIGINT NOT NULL,
        reserved BIGINT NOT NULL,
        in_transit BIGINT NOT NULL,
        reorder_point BIGINT,
        lead_time_days INTEGER,
        PRIMARY KEY (project_id, product_id, warehouse, snapshot_time)
      )`,
      `CREATE TABLE ingest_stats (
        project_id VARCHAR NOT NULL,
        hour TIMESTAMPTZ NOT NULL,
        outcome VARCHAR NOT NULL,
        code VARCHAR NOT NULL,
        count BIGINT NOT NULL,
        PRIMARY KEY (project_id, hour, outcome, code)
      )`,
    ],
  },
  {
    version: 2,
    name: 'campaign spend, segment members',
    statements: [
      // Spend per day, channel and campaign ('' when spend is per channel), entered by people.
      `CREATE TABLE campaign_costs (
        project_id VARCHAR NOT NULL,
        day DATE NOT NULL,
        channel VARCHAR NOT NULL,
        campaign VARCHAR NOT NULL,
        cost BIGINT NOT NULL,
        currency VARCHAR NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (project_id, day, channel, campaign)
      )`,
      // The people in a saved segment as of its last refresh.
      `CREATE TABLE segment_members (
        project_id VARCHAR NOT NULL,
        segment_id VARCHAR NOT NULL,
        person_id VARCHAR NOT NULL
      )`,
    ],
  },
  {
    version: 3,
    name: 'rollups maintained as events arrive',
    statements: [
      // Events per minute by the fields count metrics filter on (status -1: none). Kept after
      // raw events expire, like the other aggregates (seed 001 §3.1).
      `CREATE TABLE rollup_event_counts (
        project_id VARCHAR NOT NULL,
        minute TIMESTAMPTZ NOT NULL,
        type VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        is_bot BOOLEAN NOT NULL,
        status INTEGER NOT NULL,
        timed_out BOOLEAN NOT NULL,
        events BIGINT NOT NULL,
        PRIMARY KEY (project_id, minute, type, name, is_bot, status, timed_out)
      )`,
      // Who was active in each quarter hour ('' for a missing id): active-user counts in any
      // zone (offsets are whole quarter hours) without scanning events.
      `CREATE TABLE rollup_active_people (
        project_id VARCHAR NOT NULL,
        quarter TIMESTAMPTZ NOT NULL,
        user_id VARCHAR NOT NULL,
        anonymous_id VARCHAR NOT NULL,
        device_id VARCHAR NOT NULL,
        PRIMARY KEY (project_id, quarter, user_id, anonymous_id, device_id)
      )`,
      `INSERT INTO rollup_event_counts SELECT project_id, date_trunc('minute', event_time), type, name,
        is_bot, coalesce(status, -1), coalesce(json_extract_string(props, '$.timeout') = 'true', false),
        count(*) FROM events GROUP BY ALL`,
      `INSERT INTO rollup_active_people SELECT DISTINCT project_id,
        time_bucket(INTERVAL '15 minutes', event_time), coalesce(user_id, ''),
        coalesce(anonymous_id, ''), coalesce(device_id, '') FROM events
        WHERE NOT is_bot AND type NOT IN ('api', 'identify')`,
    ],
  },
  {
    version: 4,
    name: 'active people by channel, platform and place',
    statements: [
      // Who was active in each quarter hour, now with the dimensions dashboards break active
      // users down and filter by (seed 001 §1: 渠道, 地域, 端, 版本). A person keeps them within a
      // visit, so this adds few rows and answers DAU by channel without scanning events.
      `ALTER TABLE rollup_active_people RENAME TO rollup_active_people_v3`,
      `CREATE TABLE rollup_active_people (
        project_id VARCHAR NOT NULL,
        quarter TIMESTAMPTZ NOT NULL,
        user_id VARCHAR NOT NULL,
        anonymous_id VARCHAR NOT NULL,
        device_id VARCHAR NOT NULL,
        channel VARCHAR NOT NULL,
        platform VARCHAR NOT NULL,
        app VARCHAR NOT NULL,
        app_version VARCHAR NOT NULL,
        country VARCHAR NOT NULL,
        province VARCHAR NOT NULL,
        city VARCHAR NOT NULL,
        PRIMARY KEY (project_id, quarter, user_id, anonymous_id, device_id, channel, platform,
          app, app_version, country, province, city)
      )`,
      `INSERT INTO rollup_active_people SELECT DISTINCT project_id,
        time_bucket(INTERVAL '15 minutes', event_time) AS quarter, coalesce(user_id, ''),
        coalesce(anonymous_id, ''), coalesce(device_id, ''), coalesce(channel, ''),
        coalesce(platform, ''), coalesce(app, ''), coalesce(app_version, ''),
        coalesce(country, ''), coalesce(province, ''), coalesce(city, '') FROM events
        WHERE NOT is_bot AND type NOT IN ('api', 'identify') ORDER BY quarter`,
      // Quarters whose raw events already expired keep their people, without dimensions.
      `INSERT INTO rollup_active_people SELECT r.*, '', '', '', '', '', '', ''
        FROM rollup_active_people_v3 r
        WHERE r.quarter < coalesce((SELECT min(e.event_time) FROM events e
          WHERE e.project_id = r.project_id), 'infinity'::TIMESTAMPTZ)
          - INTERVAL 15 MINUTES`,
      `DROP TABLE rollup_active_people_v3`,
    ],
  },
  {
    version: 5,
    name: 'first event of each person',
    statements: [
      // The first valid event of each (user, anonymous, device) id tuple, with the dimensions
      // of rollup_active_people: new users ("first valid event ever in the period") pick each
      // person's earliest tuple here, after the identity merge, instead of ranking every event.
      `CREATE TABLE rollup_first_events (
        project_id VARCHAR NOT NULL,
        user_id VARCHAR NOT NULL,
        anonymous_id VARCHAR NOT NULL,
        device_id VARCHAR NOT NULL,
        event_time TIMESTAMPTZ NOT NULL,
        event_id UUID NOT NULL,
        channel VARCHAR NOT NULL,
        platform VARCHAR NOT NULL,
        app VARCHAR NOT NULL,
        app_version VARCHAR NOT NULL,
        country VARCHAR NOT NULL,
        province VARCHAR NOT NULL,
        city VARCHAR NOT NULL,
        PRIMARY KEY (project_id, user_id, anonymous_id, device_id)
      )`,
      `INSERT INTO rollup_first_events SELECT project_id, u, a, d, f.event_time, f.event_id,
        f.channel, f.platform, f.app, f.app_version, f.country, f.province, f.city FROM (
          SELECT project_id, coalesce(user_id, '') AS u, coalesce(anonymous_id, '') AS a,
            coalesce(device_id, '') AS d, min_by(struct_pack(event_time, event_id,
              channel := coalesce(channel, ''), platform := coalesce(platform, ''),
              app := coalesce(app, ''), app_version := coalesce(app_version, ''),
              country := coalesce(country, ''), province := coalesce(province, ''),
              city := coalesce(city, '')), (event_time, event_id)) AS f
          FROM events WHERE NOT is_bot AND type NOT IN ('api', 'identify') GROUP BY ALL)`,
    ],
  },
  {
    version: 6,
    name: 'page viewers',
    statements: [
      // Who viewed a page in each quarter hour, with the people rollup's dimensions: UV (people
      // with a page_view) without scanning events, as rollup_active_people answers DAU.
      `CREATE TABLE rollup_page_viewers (
        project_id VARCHAR NOT NULL,
        quarter TIMESTAMPTZ NOT NULL,
        user_id VARCHAR NOT NULL,
        anonymous_id VARCHAR NOT NULL,
        device_id VARCHAR NOT NULL,
        channel VARCHAR NOT NULL,
        platform VARCHAR NOT NULL,
        app VARCHAR NOT NULL,
        app_version VARCHAR NOT NULL,
        country VARCHAR NOT NULL,
        province VARCHAR NOT NULL,
        city VARCHAR NOT NULL,
        PRIMARY KEY (project_id, quarter, user_id, anonymous_id, device_id, channel, platform,
          app, app_version, country, province, city)
      )`,
      `INSERT INTO rollup_page_viewers SELECT DISTINCT project_id,
        time_bucket(INTERVAL '15 minutes', event_time) AS quarter, coalesce(user_id, ''),
        coalesce(anonymous_id, ''), coalesce(device_id, ''), coalesce(channel, ''),
        coalesce(platform, ''), coalesce(app, ''), coalesce(app_version, ''),
        coalesce(country, ''), coalesce(province, ''), coalesce(city, '') FROM events
        WHERE NOT is_bot AND name = 'page_view' ORDER BY quarter`,
    ],
  },
  {
    version: 7,
    name: 'people rollups know the linked user',
    statements: [
      // Each row's person as a user: its own user id, or the one identities link its anonymous
      // id to ('' for neither), kept by every commit (people-rollups.ts), so DAU and UV count
      // people without joining identities. Not NULL in practice: DuckDB cannot add a column
      // with a constraint.
      ...['rollup_active_people', 'rollup_page_viewers'].flatMap((table) => [
        `ALTER TABLE ${table} ADD COLUMN person_user_id VARCHAR DEFAULT ''`,
        `UPDATE ${table} SET person_user_id = user_id WHERE user_id <> ''`,
        `UPDATE ${table} p SET person_user_id = idn.user_id FROM identities idn
          WHERE p.user_id = '' AND idn.project_id = p.project_id
            AND idn.anonymous_id = p.anonymous_id`,
      ]),
    ],
  },
  {
    version: 8,
    name: 'tasks per minute',
    statements: [
      // Which tasks finished in each minute, with their status (seed 001 §1.2: task count and
      // success rate, among the realtime KPIs), so the task metrics count distinct task ids
      // without reading each event's properties. Non-bot task_completed events with a task id
      // only: what the task metrics count. No key: a task seen twice in a minute adds a row
      // that counting distinct ids ignores. Kept after raw events expire, like the counts.
      `CREATE TABLE rollup_tasks (
        project_id VARCHAR NOT NULL,
        minute TIMESTAMPTZ NOT NULL,
        task_id VARCHAR NOT NULL,
        status VARCHAR
      )`,
      `INSERT INTO rollup_tasks SELECT DISTINCT project_id, date_trunc('minute', event_time)
        AS minute, json_extract_string(props, '$."task_id"') AS task_id,
        json_extract_string(props, '$."status"') FROM events
        WHERE name = 'task_completed' AND NOT is_bot AND task_id IS NOT NULL ORDER BY minute`,
    ],
  },
];

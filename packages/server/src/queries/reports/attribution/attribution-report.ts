import { ACTIVE_EVENT_CONDITIONS } from '@sightline/shared';
import { z } from 'zod';
import type { QueryContext } from '../../context/query-context.ts';
import {
  metricCondition,
  resolveDimension,
  scopeConditions,
} from '../../context/scope-conditions.ts';
import { openSource, type SourceQuery } from '../../context/sources.ts';
import { runQuery } from '../../sql/run-query.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import { defineReport } from '../define-report.ts';

const DAY_MS = 86_400_000;
/** The row of conversions that had no touch in their window. */
export const NO_TOUCH = '(none)';
export const ATTRIBUTION_MODELS = ['firstTouch', 'lastTouch', 'linear', 'timeDecay'] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];
const TOUCH_DIMENSIONS = [
  'channel',
  'campaign',
  'utm_source',
  'utm_medium',
  'utm_campaign',
] as const;

export const attributionParams = z.object({
  conversionEvent: z
    .string()
    .min(1)
    .max(200)
    .default('order_completed')
    .describe(
      'The event that is a conversion; its `amount` is the revenue (default order_completed)',
    ),
  touchDimension: z
    .enum(TOUCH_DIMENSIONS)
    .default('channel')
    .describe('What a touch is credited to (default channel)'),
  lookbackDays: z
    .number()
    .int()
    .min(1)
    .max(90)
    .default(30)
    .describe('Touches up to this many days before a conversion count (default 30)'),
  halfLifeDays: z
    .number()
    .min(0.1)
    .max(90)
    .default(7)
    .describe('time_decay: a touch this many days older weighs half as much (default 7)'),
});
export type AttributionParams = z.infer<typeof attributionParams>;

const credit = z.object({
  conversions: z.number().describe('conversions credited (fractions for linear and time decay)'),
  revenue: z.number().describe('revenue credited, minor units'),
});
const attributionResult = z.object({
  conversions: z.number(),
  revenue: z.number().describe('sum of the conversions’ amounts, minor units'),
  withoutTouch: z.number().describe(`conversions with no touch in their window (row ${NO_TOUCH})`),
  rows: z.array(
    z.object({
      value: z.string().describe(`the touch value, or ${NO_TOUCH}`),
      firstTouch: credit,
      lastTouch: credit,
      linear: credit,
      timeDecay: credit,
    }),
  ),
});
export type AttributionResult = z.infer<typeof attributionResult>;
export type AttributionRow = AttributionResult['rows'][number];

/**
 * Conversion × touch pairs with each model's share of the conversion, summed per touch value.
 * A touch is an earlier-or-simultaneous valid event of the same person carrying the dimension,
 * at most lookbackDays before the conversion; the conversion event itself is not its own touch.
 */
function attributionSql(ctx: QueryContext, params: SqlParams, p: AttributionParams): string {
  const { dialect } = ctx;
  const active = (source: SourceQuery) =>
    ACTIVE_EVENT_CONDITIONS.map((c) => metricCondition(c, source, params, dialect));

  const conv = openSource('events', ctx, params);
  const convPerson = conv.person;
  const convWhere = [
    ...scopeConditions(ctx, conv, params),
    ...active(conv),
    `e.name = ${params.add(p.conversionEvent)}`,
  ];
  const convSql =
    `SELECT e.event_id AS cid, ${convPerson} AS person, e.event_time AS ct, ` +
    `coalesce(e.amount, 0) AS amount FROM ${conv.from()} WHERE ${convWhere.join(' AND ')}`;

  const touch = openSource('events', ctx, params);
  const touchPerson = touch.person;
  const dim = resolveDimension(touch, { dimension: p.touchDimension }).sql;
  const touchWhere = [
    ...scopeConditions(ctx, touch, params, {
      range: { from: ctx.from - p.lookbackDays * DAY_MS, to: ctx.to },
    }),
    ...active(touch),
    `${dim} IS NOT NULL`,
    `${dim} <> ''`,
    `${touchPerson} IS NOT NULL`,
  ];
  const touchSql =
    `SELECT e.event_id AS tid, ${touchPerson} AS person, e.event_time AS tt, ` +
    `CAST(${dim} AS VARCHAR) AS v FROM ${touch.from()} WHERE ${touchWhere.join(' AND ')}`;

  const age = dialect.secondsBetween('t.tt', 'c.ct');
  const halfLife = params.add(p.halfLifeDays * 86_400);
  const pairs =
    `SELECT c.cid, c.amount, t.v, t.tt, t.tid, pow(2.0, -(${age}) / ${halfLife}) AS w ` +
    `FROM conv c JOIN touch t ON t.person = c.person AND t.tid <> c.cid ` +
    `AND ${age} >= 0 AND ${age} <= ${params.add(p.lookbackDays * 86_400)}`;
  const ranked =
    `SELECT *, row_number() OVER (PARTITION BY cid ORDER BY tt, v, tid) AS first_rank, ` +
    `row_number() OVER (PARTITION BY cid ORDER BY tt DESC, v DESC, tid DESC) AS last_rank, ` +
    `count(*) OVER (PARTITION BY cid) AS n, sum(w) OVER (PARTITION BY cid) AS w_total FROM pairs`;
  const first = 'CASE WHEN first_rank = 1 THEN 1 ELSE 0 END';
  const last = 'CASE WHEN last_rank = 1 THEN 1 ELSE 0 END';
  const credits = [
    `sum(${first}) AS first_n`,
    `sum(${first} * amount) AS first_rev`,
    `sum(${last}) AS last_n`,
    `sum(${last} * amount) AS last_rev`,
    `sum(1.0 / n) AS linear_n`,
    `sum(amount / n) AS linear_rev`,
    `sum(w / w_total) AS decay_n`,
    `sum(amount * w / w_total) AS decay_rev`,
  ];
  const noneCredits = ['first', 'last', 'linear', 'decay']
    .flatMap((m) => [`count(*) AS ${m}_n`, `coalesce(sum(amount), 0) AS ${m}_rev`])
    .join(', ');
  return (
    `WITH conv AS (${convSql}), touch AS (${touchSql}), pairs AS (${pairs}), ranked AS (${ranked}) ` +
    `SELECT 'touch' AS kind, v, ${credits.join(', ')} FROM ranked GROUP BY v ` +
    `UNION ALL SELECT 'none' AS kind, NULL AS v, ${noneCredits} FROM conv ` +
    `WHERE cid NOT IN (SELECT cid FROM pairs) ` +
    `UNION ALL SELECT 'total' AS kind, NULL AS v, ${noneCredits} FROM conv`
  );
}

type Credits = Omit<AttributionRow, 'value'>;

export async function computeAttribution(
  ctx: QueryContext,
  p: AttributionParams,
): Promise<AttributionResult> {
  const params = new SqlParams();
  const rows = await runQuery(ctx, attributionSql(ctx, params, p), params.values);
  const num = (value: unknown) => Number(value ?? 0);
  const creditsOf = (row: Record<string, unknown>): Credits => {
    const of = (m: string) => ({ conversions: num(row[`${m}_n`]), revenue: num(row[`${m}_rev`]) });
    return {
      firstTouch: of('first'),
      lastTouch: of('last'),
      linear: of('linear'),
      timeDecay: of('decay'),
    };
  };
  let totals = { conversions: 0, revenue: 0 };
  let withoutTouch = 0;
  const byValue = new Map<string, Credits>();
  for (const row of rows) {
    const credits = creditsOf(row);
    if (row.kind === 'total') {
      totals = credits.firstTouch;
      continue;
    }
    if (row.kind === 'none') {
      withoutTouch = credits.firstTouch.conversions;
      if (withoutTouch === 0) continue;
    }
    const value = typeof row.v === 'string' ? row.v : NO_TOUCH;
    // A touch value spelled like the no-touch row shares it rather than appearing twice.
    const known = byValue.get(value);
    byValue.set(value, known ? addCredits(known, credits) : credits);
  }
  const out: AttributionRow[] = [...byValue].map(([value, credits]) => ({ value, ...credits }));
  out.sort(
    (a, b) =>
      b.linear.conversions - a.linear.conversions ||
      (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
  );
  return { ...totals, withoutTouch, rows: out };
}

function addCredits(a: Credits, b: Credits): Credits {
  const add = (m: AttributionModel) => ({
    conversions: a[m].conversions + b[m].conversions,
    revenue: a[m].revenue + b[m].revenue,
  });
  return {
    firstTouch: add('firstTouch'),
    lastTouch: add('lastTouch'),
    linear: add('linear'),
    timeDecay: add('timeDecay'),
  };
}

export const attributionReport = defineReport({
  id: 'attribution',
  summary: 'Conversions and revenue credited to channels (or campaigns) under four models',
  description:
    'A conversion is a valid event named conversionEvent (default order_completed) in the range; ' +
    'its revenue is the event’s amount. Its touches are the same person’s (identity-merged) ' +
    'valid events carrying touchDimension, at most lookbackDays (default 30) before it. Models: ' +
    'first_touch, last_touch, linear (equal shares per touch event) and time_decay (weight ' +
    '2^(−age / halfLifeDays), normalised). Each conversion’s credits sum to 1 and its revenue ' +
    `credits to its amount in every model; conversions without a touch are credited to ${NO_TOUCH}.`,
  params: attributionParams,
  result: attributionResult,
  defaultGranularity: 'all',
  run: computeAttribution,
  toTable(result) {
    const columns = ['value'];
    for (const m of ATTRIBUTION_MODELS) columns.push(`${m}_conversions`, `${m}_revenue`);
    const rows = result.rows.map((row) => [
      row.value,
      ...ATTRIBUTION_MODELS.flatMap((m) => [row[m].conversions, row[m].revenue]),
    ]);
    return { columns: columns.map(toSnakeCase), rows };
  },
});

function toSnakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

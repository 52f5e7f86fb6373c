import { zoneArg } from '../../context/zone-arg.ts';
import { PAID_ORDER_CONDITIONS } from '@sightline/shared';
import { z } from 'zod';
import { toLocalDate } from '../../../platform/index.ts';
import type { QueryContext } from '../../context/query-context.ts';
import { metricCondition, scopeConditions } from '../../context/scope-conditions.ts';
import { openSource } from '../../context/sources.ts';
import { runQuery } from '../../sql/run-query.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import { defineReport } from '../define-report.ts';
import { getRfmSegment, RFM_SEGMENT_IDS, RFM_SEGMENT_LABELS } from './rfm-segments.ts';

export const MAX_RFM_BUYERS = 10_000;

export const rfmParams = z.object({
  limit: z
    .number()
    .int()
    .min(0)
    .max(MAX_RFM_BUYERS)
    .default(MAX_RFM_BUYERS)
    .describe('How many buyers to list, by monetary value (default and at most 10,000)'),
});
export type RfmParams = z.infer<typeof rfmParams>;

const label = z.object({ 'zh-CN': z.string(), en: z.string() });
const score = z.number().int().min(1).max(5);
const rfmResult = z.object({
  asOf: z.string().describe('The last local day of the range: recency is counted to it'),
  buyers: z.number().describe('People with at least one paid order in the range'),
  segments: z.array(
    z.object({
      id: z.enum(RFM_SEGMENT_IDS),
      label,
      buyers: z.number(),
      share: z.number().nullable().describe('buyers / all buyers; null without buyers'),
      monetary: z.number().describe('paid amount of these buyers in the range, minor units'),
    }),
  ),
  cells: z
    .array(
      z.object({
        r: score,
        f: score,
        segment: z.enum(RFM_SEGMENT_IDS),
        buyers: z.number(),
        monetary: z.number(),
      }),
    )
    .describe('All 25 R×F cells, R descending then F descending'),
  topBuyers: z.array(
    z.object({
      personId: z.string(),
      recencyDays: z.number(),
      frequency: z.number(),
      monetary: z.number(),
      lastPaidAt: z.string(),
      r: score,
      f: score,
      m: score,
      segment: z.enum(RFM_SEGMENT_IDS),
    }),
  ),
});
export type RfmResult = z.infer<typeof rfmResult>;

/**
 * Buyers of the range with recency, frequency, monetary and their worse-than counts: each score
 * is 1 + ⌊5 × (buyers with a strictly worse value) / buyers⌋, so ties share a score.
 */
function scoredBuyersSql(ctx: QueryContext, params: SqlParams): string {
  const { dialect } = ctx;
  const source = openSource('orders', ctx, params);
  const zone = zoneArg(ctx, params);
  const person = source.person;
  const where = [
    ...scopeConditions(ctx, source, params),
    ...PAID_ORDER_CONDITIONS.map((c) => metricCondition(c, source, params, dialect)),
    `${person} IS NOT NULL`,
  ];
  const lastDay = dialect.localDate(
    dialect.instant(params.add(new Date(ctx.to - 1).toISOString())),
    zone,
  );
  const scoreOf = (worse: string) => `CAST(floor(5.0 * ${worse} / n) AS INTEGER) + 1`;
  return (
    `WITH b AS (SELECT ${person} AS person_id, count(*) AS frequency, ` +
    `sum(o.pay_amount) AS monetary, max(${source.time}) AS last_paid FROM ${source.from()} ` +
    `WHERE ${where.join(' AND ')} GROUP BY 1), ` +
    `d AS (SELECT *, ${dialect.daysBetween(dialect.localDate('last_paid', zone), lastDay)} AS recency_days, ` +
    `count(*) OVER () AS n FROM b), ` +
    `w AS (SELECT *, rank() OVER (ORDER BY recency_days DESC) - 1 AS r_worse, ` +
    `rank() OVER (ORDER BY frequency) - 1 AS f_worse, rank() OVER (ORDER BY monetary) - 1 AS m_worse FROM d) ` +
    `SELECT person_id, recency_days, frequency, monetary, last_paid, ` +
    `${scoreOf('r_worse')} AS r, ${scoreOf('f_worse')} AS f, ${scoreOf('m_worse')} AS m FROM w`
  );
}

const instantText = (value: unknown) =>
  value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();

export async function computeRfm(ctx: QueryContext, params: RfmParams): Promise<RfmResult> {
  const cellParams = new SqlParams();
  const cellRows = await runQuery(
    ctx,
    `SELECT r, f, count(*) AS buyers, sum(monetary) AS monetary ` +
      `FROM (${scoredBuyersSql(ctx, cellParams)}) s GROUP BY r, f`,
    cellParams.values,
  );
  const listParams = new SqlParams();
  const limit = listParams.add(params.limit);
  const buyerRows =
    params.limit === 0
      ? []
      : await runQuery(
          ctx,
          `SELECT * FROM (${scoredBuyersSql(ctx, listParams)}) s ` +
            `ORDER BY monetary DESC, person_id LIMIT ${limit}`,
          listParams.values,
        );

  const found = new Map(cellRows.map((row) => [`${Number(row.r)}:${Number(row.f)}`, row]));
  const cells: RfmResult['cells'] = [];
  for (let r = 5; r >= 1; r -= 1)
    for (let f = 5; f >= 1; f -= 1) {
      const row = found.get(`${r}:${f}`);
      cells.push({
        r,
        f,
        segment: getRfmSegment(r, f),
        buyers: Number(row?.buyers ?? 0),
        monetary: Number(row?.monetary ?? 0),
      });
    }
  const buyers = cells.reduce((sum, cell) => sum + cell.buyers, 0);
  const segments = RFM_SEGMENT_IDS.map((id) => {
    const mine = cells.filter((cell) => cell.segment === id);
    const count = mine.reduce((sum, cell) => sum + cell.buyers, 0);
    return {
      id,
      label: RFM_SEGMENT_LABELS[id],
      buyers: count,
      share: buyers === 0 ? null : count / buyers,
      monetary: mine.reduce((sum, cell) => sum + cell.monetary, 0),
    };
  });
  return {
    asOf: toLocalDate(ctx.to - 1, ctx.timeZone),
    buyers,
    segments,
    cells,
    topBuyers: buyerRows.map((row) => {
      const r = Number(row.r);
      const f = Number(row.f);
      return {
        personId: String(row.person_id),
        recencyDays: Number(row.recency_days),
        frequency: Number(row.frequency),
        monetary: Number(row.monetary),
        lastPaidAt: instantText(row.last_paid),
        r,
        f,
        m: Number(row.m),
        segment: getRfmSegment(r, f),
      };
    }),
  };
}

export const rfmReport = defineReport({
  id: 'rfm',
  summary: 'RFM: buyers scored 1–5 on recency, frequency and monetary value, in named segments',
  description:
    'Buyers are people (identity-merged) with a paid order in the range. Recency is the whole ' +
    'local days from their last paid order in the range to the last day of the range; frequency ' +
    'the paid orders and monetary the paid amount (minor units) in the range. Each score is 1 + ' +
    'how many fifths of the buyers have a strictly worse value (ties share a score). Segments ' +
    '(Champions … Hibernating) come from the R and F scores. The CSV lists the top buyers by ' +
    'monetary value (at most 10,000).',
  params: rfmParams,
  result: rfmResult,
  defaultGranularity: 'all',
  run: computeRfm,
  toTable(result) {
    return {
      columns: [
        'person_id',
        'recency_days',
        'frequency',
        'monetary',
        'last_paid_at',
        'r',
        'f',
        'm',
        'segment',
        'segment_zh',
      ],
      rows: result.topBuyers.map((buyer) => [
        buyer.personId,
        buyer.recencyDays,
        buyer.frequency,
        buyer.monetary,
        buyer.lastPaidAt,
        buyer.r,
        buyer.f,
        buyer.m,
        RFM_SEGMENT_LABELS[buyer.segment].en,
        RFM_SEGMENT_LABELS[buyer.segment]['zh-CN'],
      ]),
    };
  },
});

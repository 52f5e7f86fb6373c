import { z } from 'zod';
import { addLocalMonths, startOfLocalDate, toLocalDate } from '../../platform/index.ts';
import { findReport, withRange, type QueryContext } from '../../queries/index.ts';
import { REPORT_LOCALES, type ReportDiagnosis, type ReportLocale } from '../report-document.ts';
import { computeSegmentValues } from './compute-segment-values.ts';
import type { ValuePair } from './decompose-change.ts';
import { describeDiagnosis, type MixFacts } from './describe-diagnosis.ts';
import { computeTotal } from './compute-total.ts';
import { parseParams } from './parse-params.ts';

/** The order mix is looked at by these dimensions. */
const MIX_DIMENSIONS = ['product_type', 'channel'] as const;
/** Segments named per mix dimension and month; the rest is "$other". */
const MIX_LIMIT = 10;

const paramsSchema = z.object({
  previous: z
    .object({ from: z.number().int().nonnegative(), to: z.number().int().nonnegative() })
    .refine((range) => range.to > range.from, { message: 'to must be after from' }),
  locale: z.enum(REPORT_LOCALES),
});

export interface DiagnoseMonthParams {
  /** Last month, [from, to) epoch ms. */
  previous: { from: number; to: number };
  locale: ReportLocale;
}

/** What the retention report returns that the diagnosis reads. */
const cohortRevenueResult = z.object({
  cohorts: z.array(
    z.object({ cells: z.array(z.object({ offset: z.number(), count: z.number() })) }),
  ),
});

async function computeMix(
  current: QueryContext,
  previous: QueryContext,
  dimension: string,
): Promise<MixFacts> {
  const [values] = await computeSegmentValues(current, previous, {
    metrics: ['gmv'],
    dimension,
    limit: MIX_LIMIT,
  });
  const now = values?.current ?? new Map<string, number | null>();
  const before = values?.previous ?? new Map<string, number | null>();
  const sum = (map: Map<string, number | null>) =>
    [...map.values()].reduce<number>((total, value) => total + (value ?? 0), 0);
  const gmv = { current: sum(now), previous: sum(before) };
  const shareOf = (value: number | null | undefined, total: number) =>
    total > 0 ? (value ?? 0) / total : null;
  const segments = [...new Set([...now.keys(), ...before.keys()])];
  const shifts = segments
    .map((segment) => {
      const share = {
        current: shareOf(now.get(segment), gmv.current),
        previous: shareOf(before.get(segment), gmv.previous),
      };
      const shift =
        share.current === null || share.previous === null ? 0 : share.current - share.previous;
      return { segment, share, shift };
    })
    .sort((a, b) => Math.abs(b.shift) - Math.abs(a.shift) || a.segment.localeCompare(b.segment));
  return { dimension, gmv, shifts };
}

/**
 * GMV from first-time buyers: the retention report's first-purchase cohorts of the range, their
 * GMV in the month they first bought (offset 0, the first order and any other that month). The
 * catalog has no metric for it; see docs-report-explain.md.
 */
async function computeFirstTimeRevenue(ctx: QueryContext): Promise<number | null> {
  const report = findReport('retention');
  if (!report) return null;
  const params = report.params.parse({
    cohortBy: 'first_purchase',
    period: 'month',
    periods: 0,
    value: 'revenue',
  });
  const result = cohortRevenueResult.parse(await report.run(ctx, params));
  return result.cohorts.reduce(
    (total, cohort) => total + (cohort.cells.find((cell) => cell.offset === 0)?.count ?? 0),
    0,
  );
}

/** The range before `range`: the month before when it is a local month, else as long. */
function getRangeBefore(range: { from: number; to: number }, zone: string) {
  const first = toLocalDate(range.from, zone);
  const isMonth =
    first.endsWith('-01') &&
    startOfLocalDate(first, zone) === range.from &&
    startOfLocalDate(addLocalMonths(first, 1), zone) === range.to;
  if (isMonth) return { from: startOfLocalDate(addLocalMonths(first, -1), zone), to: range.from };
  return { from: range.from - (range.to - range.from), to: range.from };
}

async function computePair(
  current: QueryContext,
  previous: QueryContext,
  compute: (ctx: QueryContext) => Promise<number | null>,
): Promise<ValuePair> {
  const [now, before] = await Promise.all([compute(current), compute(previous)]);
  return { current: now, previous: before };
}

/**
 * The monthly structure diagnosis, through the query layer: the order mix (GMV share by product
 * type and by channel, this month against last), GMV from first-time and returning buyers, and
 * cohort health (D7 retention of this month's sign-ups against last month's, D30 of last month's
 * against the month before), each with a next-month action item.
 */
export async function diagnoseMonth(
  ctx: QueryContext,
  params: DiagnoseMonthParams,
): Promise<ReportDiagnosis> {
  const { previous, locale } = parseParams(paramsSchema, params);
  const lastMonth = withRange(ctx, previous.from, previous.to);
  const before = getRangeBefore(previous, ctx.timeZone);
  const monthBefore = withRange(ctx, before.from, before.to);
  const mixes: MixFacts[] = [];
  for (const dimension of MIX_DIMENSIONS) mixes.push(await computeMix(ctx, lastMonth, dimension));
  const [gmv, firstTime] = await Promise.all([
    computePair(ctx, lastMonth, (at) => computeTotal(at, 'gmv')),
    computePair(ctx, lastMonth, computeFirstTimeRevenue),
  ]);
  const [d7, d30] = await Promise.all([
    computePair(ctx, lastMonth, (at) => computeTotal(at, 'retention_d7')),
    computePair(lastMonth, monthBefore, (at) => computeTotal(at, 'retention_d30')),
  ]);
  return describeDiagnosis({ mixes, revenue: { gmv, firstTime }, retention: { d7, d30 } }, locale);
}

import type { StoreRow } from '../../../store/index.ts';
import type { QueryContext } from '../../context/query-context.ts';
import { defineReport } from '../define-report.ts';
import { isBestAttemptInSql, tallyBestAttempts } from './best-attempt-sql.ts';
import { forEachPerson } from './for-each-person.ts';
import {
  checkFunnelParams,
  funnelParams,
  funnelResult,
  HISTOGRAM_LABELS,
  labelOf,
  type FunnelParams,
  type FunnelResult,
} from './funnel-params.ts';
import { buildFunnelQuery } from './funnel-sql.ts';
import {
  addAttempt,
  createTally,
  rankGroups,
  shapeSteps,
  type FunnelTallies,
  type FunnelTally,
} from './summarise-funnel.ts';
import { walkPerson, type FunnelEvent, type WalkOptions } from './walk-funnel.ts';

function toFunnelEvent(row: StoreRow): FunnelEvent {
  return {
    t: Number(row.t),
    steps: Number(row.steps),
    excl: Number(row.excl ?? 0),
    typed: row.typed === true,
    amount: Number(row.amount ?? 0),
    // The breakdown value is cast to text in SQL: anything else is no value.
    grp: typeof row.grp === 'string' ? row.grp : null,
  };
}

function walkOptionsOf(ctx: QueryContext, params: FunnelParams): WalkOptions {
  const last = params.steps.length;
  return {
    order: params.order,
    count: params.count,
    required: params.steps.map((step) => !step.optional),
    windowMs: params.windowSeconds * 1000,
    exclusions: params.exclusions.map((exclusion) => {
      const [from, to] = exclusion.between ?? [1, last];
      return { from: from - 1, to: to - 1 };
    }),
    from: ctx.from,
    to: ctx.to,
  };
}

/** Walks each person's events in TypeScript and tallies the attempts, overall and per group. */
async function walkAttempts(
  ctx: QueryContext,
  params: FunnelParams,
  options: WalkOptions,
): Promise<FunnelTallies> {
  const size = params.steps.length;
  const overall = createTally(size);
  const groups = new Map<string | null, FunnelTally>();
  await forEachPerson(ctx, buildFunnelQuery(ctx, params), (_person, rows) => {
    for (const attempt of walkPerson(rows.map(toFunnelEvent), options)) {
      addAttempt(overall, attempt);
      if (!params.breakdown) continue;
      let tally = groups.get(attempt.grp);
      if (!tally) groups.set(attempt.grp, (tally = createTally(size)));
      addAttempt(tally, attempt);
    }
  });
  return { overall, groups };
}

/**
 * How computeFunnel finds attempts: `auto` uses SQL where it can (per-person lists, the window
 * for the people they cannot settle), `window` the SQL that sorts every event, `walk` always
 * walks.
 */
export type FunnelEngine = 'auto' | 'window' | 'walk';

/**
 * Runs the funnel. Ordered funnels of required steps without exclusions, counted per person,
 * are tallied in SQL (best-attempt-sql.ts); the rest read the events that matter and walk each
 * person in TypeScript. Both give the same tallies.
 */
export async function computeFunnel(
  ctx: QueryContext,
  params: FunnelParams,
  engine: FunnelEngine = 'auto',
): Promise<FunnelResult> {
  checkFunnelParams(params);
  const options = walkOptionsOf(ctx, params);
  const { overall, groups } =
    engine !== 'walk' && isBestAttemptInSql(params)
      ? await tallyBestAttempts(ctx, params, engine === 'window' ? 'window' : undefined)
      : await walkAttempts(ctx, params, options);
  const labels = params.steps.map(labelOf);
  return {
    order: params.order,
    count: params.count,
    windowSeconds: params.windowSeconds,
    histogramBins: [...HISTOGRAM_LABELS],
    ...shapeSteps(overall, labels, options.required),
    groups: params.breakdown
      ? rankGroups(groups, params.breakdown.limit, params.steps.length).map(({ key, tally }) => ({
          key,
          ...shapeSteps(tally, labels, options.required),
        }))
      : null,
  };
}

export const funnelReport = defineReport({
  id: 'funnel',
  summary: 'Funnel: how many people (or attempts) go through steps, with times and revenue',
  description:
    'Steps are events (with conditions, or any of several events), done in order, strictly in ' +
    'order, or in any order within a conversion window that starts at the first step. The first ' +
    'step must fall in the range; later steps may fall up to one window after its end. People ' +
    'are identity-merged. Per step: count, conversion from the first and previous step, drop-off, ' +
    'median and average time to convert with a histogram, and the revenue (amount) of the ' +
    'matched events. Exclusions stop a conversion past them; optional steps may be skipped. ' +
    'Breakdown by a property of the first-step event keeps the top N and puts the rest in `$other`.',
  params: funnelParams,
  result: funnelResult,
  defaultGranularity: 'all',
  run: computeFunnel,
  toTable(result) {
    const columns = [
      'group',
      'step',
      'label',
      'count',
      'conversion_from_first',
      'conversion_from_previous',
      'drop_off',
      'median_seconds_to_convert',
      'avg_seconds_to_convert',
      'revenue',
    ];
    const sets = [{ key: null as string | null, steps: result.steps }, ...(result.groups ?? [])];
    const rows = sets.flatMap(({ key, steps }) =>
      steps.map((s) => [
        key,
        s.step,
        s.label,
        s.count,
        s.conversionFromFirst,
        s.conversionFromPrevious,
        s.dropOff,
        s.medianSecondsToConvert,
        s.avgSecondsToConvert,
        s.revenue,
      ]),
    );
    return { columns, rows };
  },
});

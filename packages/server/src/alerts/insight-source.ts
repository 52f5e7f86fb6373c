import { z } from 'zod';
import { createQueryContext, duckDbDialect } from '../queries/index.ts';
import type { EventStore } from '../store/index.ts';
import { FUNNEL_ENTRIES } from './alert-rule-schema.ts';
import { measureMetric, toGroupValues } from './measure-metric.ts';
import type { InsightWatch } from './resolve-insight-watch.ts';
import type { RuleSource } from './rule-source.ts';

/** Most groups a breakdown may keep: reference windows measure the current window's groups. */
const MAX_GROUPS = 50;

// The parts of the reports' results read here (queries/reports/trends, …/funnels).
const trendsAnswer = z.object({
  series: z
    .array(
      z.object({
        groups: z.array(z.object({ key: z.string().nullable(), total: z.number().nullable() })),
      }),
    )
    .min(1),
});
const funnelShape = z.object({
  steps: z.array(
    z.object({
      count: z.number(),
      conversionFromFirst: z.number().nullable(),
      conversionFromPrevious: z.number().nullable(),
    }),
  ),
  overallConversion: z.number().nullable(),
});
const funnelAnswer = funnelShape.extend({
  groups: z.array(funnelShape.extend({ key: z.string().nullable() })).nullable(),
});
type FunnelShape = z.infer<typeof funnelShape>;

/**
 * Measures a saved insight by running its own report through the query layer over each window
 * (range = the window, granularity all), so the value is the one the insight's report shows for
 * that period. A catalog metric for minVolume gets the same filters and grouping. Runs are kept
 * for the source's life: a preview asks for the same windows again (the previous window is the
 * last step's current one), and a funnel's entries come from the run that gave its conversion.
 */
export function openInsightSource(
  deps: { store: EventStore; project: { id: string; timeZone: string } },
  watch: InsightWatch,
): RuleSource {
  const grouped = watch.breakdown !== null;
  const runs = new Map<string, Promise<unknown>>();

  /** `wide`: keep up to MAX_GROUPS groups, for windows that must find given groups. */
  function run(from: number, to: number, wide: boolean): Promise<unknown> {
    const key = `${from}:${to}:${wide}`;
    const known = runs.get(key);
    if (known) return known;
    const ctx = createQueryContext({
      store: deps.store,
      dialect: duckDbDialect,
      projectId: deps.project.id,
      timeZone: deps.project.timeZone,
      from,
      to,
      now: to,
      granularity: 'all',
      filters: watch.filters,
      segmentId: watch.segmentId,
    });
    const breakdown = watch.breakdown
      ? { ...watch.breakdown, limit: wide ? MAX_GROUPS : watch.maxGroups }
      : undefined;
    const started = watch.report.run(
      ctx,
      watch.report.params.parse({ ...watch.params, breakdown }),
    );
    runs.set(key, started);
    return started;
  }

  function funnelValue(shape: FunnelShape, volume: boolean): number | null {
    if (volume) return shape.steps[0]?.count ?? 0;
    const step = watch.subject.step;
    if (!step) return shape.overallConversion;
    const reached = shape.steps[step.number - 1];
    if (!reached) return null;
    return step.from === 'first' ? reached.conversionFromFirst : reached.conversionFromPrevious;
  }

  return {
    subject: watch.subject,
    async measure(from, to, keep, metric) {
      const wide = grouped && keep !== null;
      if (metric !== undefined && metric !== FUNNEL_ENTRIES)
        return measureMetric(deps, {
          from,
          to,
          metric,
          filters: watch.filters,
          segmentId: watch.segmentId,
          breakdown: watch.breakdown ? { ...watch.breakdown, limit: watch.maxGroups } : null,
          keep,
        });
      const answer = await run(from, to, wide);
      let values: Map<string, number | null>;
      if (watch.kind === 'trends') {
        const series = trendsAnswer.parse(answer).series[0]?.groups ?? [];
        values = toGroupValues(
          series.map((group) => ({ key: group.key, value: group.total })),
          grouped,
        );
      } else {
        const funnel = funnelAnswer.parse(answer);
        const volume = metric === FUNNEL_ENTRIES;
        values = toGroupValues(
          grouped
            ? (funnel.groups ?? []).map((group) => ({
                key: group.key,
                value: funnelValue(group, volume),
              }))
            : [{ key: null, value: funnelValue(funnel, volume) }],
          grouped,
        );
      }
      if (!wide || !keep) return values;
      const wanted = new Set(keep);
      return new Map([...values].filter(([group]) => wanted.has(group)));
    },
  };
}

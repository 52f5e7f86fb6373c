import {
  breakdownSchema,
  ERR_QUERY_INVALID,
  filtersSchema,
  SightlineError,
} from '@sightline/shared';
import { z } from 'zod';

export const MAX_FUNNEL_STEPS = 30;
const DAY_SECONDS = 86_400;
/** Longest conversion window: events are read this far past the range end. */
export const MAX_WINDOW_SECONDS = 90 * DAY_SECONDS;

/** Which events stand for a step: an event name and conditions on that event. */
export const matcherSchema = z.object({
  event: z.string().min(1).max(200),
  filters: filtersSchema
    .optional()
    .describe('Conditions on this event only (a dimension or a property), ANDed'),
});
export type Matcher = z.infer<typeof matcherSchema>;

const stepOptions = {
  label: z.string().max(200).optional().describe('Shown instead of the event name'),
  optional: z
    .boolean()
    .default(false)
    .describe('People may skip it; they count at this step only if they did it'),
};

export const stepSchema = z.union([
  matcherSchema.extend(stepOptions),
  z.object({
    anyOf: z.array(matcherSchema).min(1).max(10).describe('Any of these events is the step'),
    ...stepOptions,
  }),
]);
export type FunnelStep = z.infer<typeof stepSchema>;

export const exclusionSchema = matcherSchema.extend({
  between: z
    .tuple([z.number().int().min(1), z.number().int().min(1)])
    .optional()
    .describe('Step numbers [from, to], 1-based; default the whole funnel'),
});

export const FUNNEL_ORDERS = ['ordered', 'strict', 'any'] as const;

export const funnelParams = z.object({
  steps: z.array(stepSchema).min(2).max(MAX_FUNNEL_STEPS),
  order: z
    .enum(FUNNEL_ORDERS)
    .default('ordered')
    .describe(
      'ordered: steps in order, other events between allowed; strict: no other event of the ' +
        "funnel's event names between two steps; any: all steps in any order within the window",
    ),
  windowSeconds: z
    .number()
    .int()
    .min(1)
    .max(MAX_WINDOW_SECONDS)
    .default(7 * DAY_SECONDS)
    .describe('Conversion window, from the first step of an attempt'),
  exclusions: z.array(exclusionSchema).max(10).default([]),
  count: z
    .enum(['unique', 'total'])
    .default('unique')
    .describe('unique: people; total: attempts (a person may convert repeatedly)'),
  breakdown: breakdownSchema
    .optional()
    .describe("Split by a dimension or property of each attempt's first-step event"),
});
export type FunnelParams = z.infer<typeof funnelParams>;

/** Upper bounds (seconds, exclusive) of the time-to-convert histogram bins; the last is open. */
export const HISTOGRAM_BOUNDS_SECONDS = [
  60, 300, 1_800, 3_600, 21_600, 86_400, 259_200, 604_800,
] as const;
export const HISTOGRAM_LABELS = [
  '<1m',
  '1m-5m',
  '5m-30m',
  '30m-1h',
  '1h-6h',
  '6h-1d',
  '1d-3d',
  '3d-7d',
  '>=7d',
] as const;

const stepResultSchema = z.object({
  step: z.number().describe('1-based'),
  label: z.string(),
  optional: z.boolean(),
  count: z.number().describe('People (unique) or attempts (total) that did this step'),
  conversionFromFirst: z.number().nullable(),
  conversionFromPrevious: z
    .number()
    .nullable()
    .describe('count / count of the previous required step; null for the first step'),
  dropOff: z
    .number()
    .nullable()
    .describe('Previous required step count minus this count; null for the first step'),
  medianSecondsToConvert: z.number().nullable(),
  avgSecondsToConvert: z.number().nullable(),
  timeToConvertHistogram: z
    .array(z.number())
    .nullable()
    .describe('Counts per bin of histogramBins; null for the first step'),
  revenue: z.number().describe('Sum of amount (minor units) of the events matched at this step'),
});
export type StepResult = z.infer<typeof stepResultSchema>;

const funnelShape = z.object({
  steps: z.array(stepResultSchema),
  overallConversion: z.number().nullable().describe('Last step count / first step count'),
});

export const funnelResult = z.object({
  order: z.enum(FUNNEL_ORDERS),
  count: z.enum(['unique', 'total']),
  windowSeconds: z.number(),
  histogramBins: z.array(z.string()),
  ...funnelShape.shape,
  groups: z
    .array(funnelShape.extend({ key: z.string().nullable() }))
    .nullable()
    .describe('Per breakdown value (top N, then $other); null without a breakdown'),
});
export type FunnelResult = z.infer<typeof funnelResult>;

function invalid(reason: string): SightlineError {
  return new SightlineError(ERR_QUERY_INVALID, { reason });
}

/** Cross-field rules zod cannot say per field; each failure names the parameter. */
export function checkFunnelParams(params: FunnelParams): void {
  const last = params.steps.length;
  if (params.steps[0]?.optional) throw invalid('the first step cannot be optional');
  if (params.steps[last - 1]?.optional) throw invalid('the last step cannot be optional');
  for (const exclusion of params.exclusions) {
    if (!exclusion.between) continue;
    const [from, to] = exclusion.between;
    if (params.order === 'any')
      throw invalid('exclusions of an any-order funnel apply to the whole funnel; omit between');
    if (!(from < to && to <= last))
      throw invalid(`exclusion between [${from}, ${to}] must name two steps, from < to <= ${last}`);
    if (params.steps[from - 1]?.optional || params.steps[to - 1]?.optional)
      throw invalid('exclusion between must name required steps');
  }
}

/** The label a step is shown with. */
export function labelOf(step: FunnelStep): string {
  if (step.label) return step.label;
  return 'anyOf' in step ? step.anyOf.map((m) => m.event).join(' or ') : step.event;
}

export function matchersOf(step: FunnelStep): Matcher[] {
  return 'anyOf' in step ? step.anyOf : [step];
}

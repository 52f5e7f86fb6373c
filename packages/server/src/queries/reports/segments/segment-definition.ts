import { FILTER_OPS, filterSchema } from '@sightline/shared';
import { z } from 'zod';

const PROPERTY_KEY = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/;
const scalar = z.union([z.string().max(500), z.number().finite(), z.boolean()]);

/** Longest window a rule may look back over, in days. */
export const MAX_SEGMENT_WINDOW_DAYS = 365;
/** Window of a property rule that names none, in days. */
export const DEFAULT_PROPERTY_WINDOW_DAYS = 90;
export const MAX_SEGMENT_RULES = 20;

const windowDays = z.number().int().min(1).max(MAX_SEGMENT_WINDOW_DAYS);
const eventName = z.string().min(1).max(200);
const ruleFilters = z.array(filterSchema).max(10);

/**
 * The person's latest value of a dimension or event property, taken from their most recent
 * event carrying it within the window, compared like a filter-bar condition.
 */
export const propertyRuleSchema = z
  .object({
    kind: z.literal('property'),
    dimension: z.string().max(64).optional(),
    property: z.string().regex(PROPERTY_KEY, 'a property name').optional(),
    op: z.enum(FILTER_OPS),
    value: z.union([scalar, z.array(scalar).max(200)]).optional(),
    withinDays: windowDays
      .default(DEFAULT_PROPERTY_WINDOW_DAYS)
      .describe(`days before now searched for the latest value (default 90, at most 365)`),
  })
  .refine((rule) => (rule.dimension === undefined) !== (rule.property === undefined), {
    message: 'give either dimension or property',
  })
  .refine(
    (rule) =>
      rule.op === 'is_set' || rule.op === 'not_set'
        ? rule.value === undefined
        : rule.op === 'in' || rule.op === 'not_in'
          ? Array.isArray(rule.value)
          : rule.value !== undefined && !Array.isArray(rule.value),
    { message: 'in/not_in take a list, is_set/not_set no value, the others one value' },
  );

/** "Did <event> at least / at most / exactly N times in the last D days". */
export const behaviorCountRuleSchema = z.object({
  kind: z.literal('behavior'),
  event: eventName,
  filters: ruleFilters.optional(),
  op: z.enum(['gte', 'lte', 'eq']),
  count: z.number().int().min(0).max(1_000_000),
  withinDays: windowDays,
});

/** "Did not do <event> in the last D days". */
export const behaviorAbsentRuleSchema = z.object({
  kind: z.literal('behavior'),
  event: eventName,
  filters: ruleFilters.optional(),
  did: z.literal(false),
  withinDays: windowDays,
});

export const segmentRuleSchema = z.union([
  propertyRuleSchema,
  behaviorAbsentRuleSchema,
  behaviorCountRuleSchema,
]);
export type SegmentRule = z.infer<typeof segmentRuleSchema>;
export type PropertyRule = z.infer<typeof propertyRuleSchema>;
export type BehaviorRule = z.infer<
  typeof behaviorCountRuleSchema | typeof behaviorAbsentRuleSchema
>;

/** Which people a segment holds: all rules must hold (`all`) or at least one (`any`). */
export const segmentMatchSchema = z.object({
  match: z.enum(['all', 'any']).default('all'),
  rules: z.array(segmentRuleSchema).min(1).max(MAX_SEGMENT_RULES),
});
export type SegmentMatch = z.infer<typeof segmentMatchSchema>;

export const segmentDefinitionSchema = segmentMatchSchema.extend({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2_000).optional(),
});
export type SegmentDefinition = z.infer<typeof segmentDefinitionSchema>;

import { z } from 'zod';

/** Bucket sizes of a time series; `all` is one bucket for the whole range. */
export const GRANULARITIES = ['minute', 'hour', 'day', 'week', 'month', 'all'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export const FILTER_OPS = [
  'eq',
  'neq',
  'in',
  'not_in',
  'contains',
  'gt',
  'gte',
  'lt',
  'lte',
  'is_set',
  'not_set',
] as const;

const scalar = z.union([z.string().max(500), z.number().finite(), z.boolean()]);
const PROPERTY_KEY = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/;

/**
 * One condition of the filter bar: on a dimension (`channel`, `province`, …) or on an event
 * property (`property: "plan"`). `in` / `not_in` take a list; `is_set` / `not_set` no value.
 */
export const filterSchema = z
  .object({
    dimension: z.string().max(64).optional(),
    property: z
      .string()
      .regex(PROPERTY_KEY, 'a property name: letters, digits, _ and $')
      .optional(),
    op: z.enum(FILTER_OPS),
    value: z.union([scalar, z.array(scalar).max(200)]).optional(),
  })
  .refine((filter) => (filter.dimension === undefined) !== (filter.property === undefined), {
    message: 'give either dimension or property',
  })
  .refine(
    (filter) =>
      filter.op === 'is_set' || filter.op === 'not_set'
        ? filter.value === undefined
        : filter.op === 'in' || filter.op === 'not_in'
          ? Array.isArray(filter.value)
          : filter.value !== undefined && !Array.isArray(filter.value),
    { message: 'in/not_in take a list, is_set/not_set no value, the others one value' },
  );
export type Filter = z.infer<typeof filterSchema>;

export const MAX_FILTERS = 20;
export const filtersSchema = z.array(filterSchema).max(MAX_FILTERS);

/** What a breakdown splits by: a dimension or an event property. */
export const breakdownSchema = z
  .object({
    dimension: z.string().max(64).optional(),
    property: z.string().regex(PROPERTY_KEY).optional(),
    /** Top N groups by value; the rest are summed up as `other`. */
    limit: z.number().int().min(1).max(50).default(10),
  })
  .refine((b) => (b.dimension === undefined) !== (b.property === undefined), {
    message: 'give either dimension or property',
  });
export type Breakdown = z.infer<typeof breakdownSchema>;

export const COMPARISONS = ['previous', 'year', 'control'] as const;
export type Comparison = (typeof COMPARISONS)[number];

/**
 * The control group of a `control` comparison: the same range, with these filters in place of
 * the filter bar's filters on the same dimensions or properties (the others still apply).
 */
export const controlSchema = z.object({ filters: z.array(filterSchema).min(1).max(MAX_FILTERS) });
export type Control = z.infer<typeof controlSchema>;

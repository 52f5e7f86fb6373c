import { z } from 'zod';
import { filtersSchema, GRANULARITIES } from './query-schema.ts';

/** Named ranges in the project's calendar; `to` is now for the ones that include today. */
export const RANGE_PRESETS = [
  'today',
  'yesterday',
  'last_7_days',
  'last_30_days',
  'last_90_days',
  'this_week',
  'last_week',
  'this_month',
  'last_month',
  'this_year',
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

const bound = z
  .string()
  .max(40)
  .describe('A local date YYYY-MM-DD in the project time zone, or an ISO-8601 instant');

/**
 * Fields every report request has: the range (a preset, or from/to), the granularity, the
 * filter bar and a segment. A local date `to` is inclusive (the whole day); an instant is
 * exclusive.
 */
export const queryRequestShape = {
  range: z.enum(RANGE_PRESETS).optional(),
  from: bound.optional(),
  to: bound.optional(),
  granularity: z.enum(GRANULARITIES).optional(),
  filters: filtersSchema.optional(),
  segmentId: z.string().max(64).nullable().optional(),
};
export const queryRequestSchema = z.object(queryRequestShape);
export type QueryRequest = z.infer<typeof queryRequestSchema>;

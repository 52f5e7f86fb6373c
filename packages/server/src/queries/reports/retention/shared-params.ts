import {
  ERR_QUERY_INVALID,
  filtersSchema,
  SightlineError,
  type Granularity,
} from '@sightline/shared';
import { z } from 'zod';
import type { PeriodUnit } from '../../analyses/cohort-sql.ts';

/** A named event, optionally narrowed by filters on its dimensions or properties. */
export const eventSelectorSchema = z.object({
  name: z.string().min(1).max(200).describe('Event name, e.g. order_completed'),
  filters: filtersSchema
    .optional()
    .describe('Conditions on this event only (dimensions or properties), ANDed'),
});

/** The calendar period of a cohort or interval. */
export const periodSchema = z.enum(['day', 'week', 'month']);

/** The period a report was given, else the request's granularity when it is a calendar one. */
export function resolvePeriod(
  given: PeriodUnit | undefined,
  granularity: Granularity,
  name: string,
): PeriodUnit {
  if (given) return given;
  if (granularity === 'day' || granularity === 'week' || granularity === 'month')
    return granularity;
  throw new SightlineError(ERR_QUERY_INVALID, {
    reason: `${name} is day, week or month (granularity ${granularity} does not apply)`,
  });
}

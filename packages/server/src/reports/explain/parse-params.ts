import { ERR_QUERY_INVALID, SightlineError } from '@sightline/shared';
import type { z } from 'zod';

/** The parameters as the schema reads them, or ERR_QUERY_INVALID naming every problem. */
export function parseParams<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new SightlineError(ERR_QUERY_INVALID, {
      reason: parsed.error.issues
        .map((issue) => `${issue.path.join('.') || 'params'}: ${issue.message}`)
        .join('; '),
    });
  return parsed.data;
}

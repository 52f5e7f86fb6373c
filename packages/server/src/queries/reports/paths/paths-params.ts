import { ERR_QUERY_INVALID, SightlineError } from '@sightline/shared';
import { z } from 'zod';
import { matcherSchema } from '../funnels/funnel-params.ts';

/** Session-scoped paths look at most this far from their anchor (a session left open all day). */
export const SESSION_LIMIT_MS = 86_400_000;
export const MAX_PATH_STEPS = 10;

export const pathsParams = z.object({
  start: matcherSchema.optional().describe('Paths after each occurrence of this event'),
  end: matcherSchema.optional().describe('Paths leading to each occurrence of this event'),
  steps: z
    .number()
    .int()
    .min(1)
    .max(MAX_PATH_STEPS)
    .default(5)
    .describe('Nodes after the start (or before the end)'),
  eventType: z
    .enum(['event', 'page'])
    .default('event')
    .describe(
      'event: event names of page views and custom events; page: the page of each page view',
    ),
  sessionScoped: z
    .boolean()
    .default(true)
    .describe("Stay within the anchor's session (else within windowSeconds)"),
  windowSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .default(1_800)
    .describe('How far from the anchor a path reaches when not session-scoped'),
  collapseRepeats: z
    .boolean()
    .default(true)
    .describe('A node equal to the one before it is not repeated'),
  limit: z.number().int().min(1).max(100).default(20).describe('Top paths returned'),
  dropOffLimit: z.number().int().min(1).max(50).default(10).describe('Drop-off nodes returned'),
  nodesPerDepth: z
    .number()
    .int()
    .min(1)
    .max(50)
    .default(10)
    .describe('Sankey nodes kept per depth; the rest are merged into $other'),
});
export type PathsParams = z.infer<typeof pathsParams>;

const nodeRef = {
  id: z.string().describe('"<depth>:<name>"'),
  name: z.string(),
  depth: z.number(),
};

export const pathsResult = z.object({
  direction: z.enum(['start', 'end']),
  steps: z.number(),
  totals: z.object({
    occurrences: z.number().describe('Anchor events in the range: one path each'),
    people: z.number(),
    personPaths: z.number().describe('Distinct paths per person, summed over people'),
  }),
  topPaths: z.array(
    z.object({
      nodes: z.array(z.string()).describe('In time order; the anchor first (start) or last (end)'),
      people: z.number(),
      occurrences: z.number(),
    }),
  ),
  dropOffs: z.array(
    z.object({
      ...nodeRef,
      paths: z.number().describe('Person-paths that end here, short of steps'),
      people: z.number(),
      through: z.number().describe('Person-paths through this node'),
      rate: z.number().describe('paths / through'),
    }),
  ),
  sankey: z.object({
    nodes: z.array(z.object({ ...nodeRef, value: z.number() })),
    links: z.array(z.object({ source: z.string(), target: z.string(), value: z.number() })),
  }),
});
export type PathsResult = z.infer<typeof pathsResult>;

export function checkPathsParams(params: PathsParams): void {
  if ((params.start === undefined) === (params.end === undefined))
    throw new SightlineError(ERR_QUERY_INVALID, { reason: 'give either start or end' });
}

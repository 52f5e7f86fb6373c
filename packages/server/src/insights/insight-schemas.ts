import { z } from 'zod';

/** Reports a saved insight can be: the ones the analysis page builds. */
export const INSIGHT_KINDS = ['trends', 'funnel', 'retention', 'paths'] as const;
export type InsightKind = (typeof INSIGHT_KINDS)[number];

export const MAX_TILES = 40;
/** Longest params JSON kept (a 30-step funnel with filters fits easily). */
export const MAX_PARAMS_CHARS = 32_000;

const name = z.string().trim().min(1).max(200);

/**
 * The filter bar's state as the dashboard's URL query (`range`, `from`, `to`, `compare`,
 * `channel`, …, `segment`): kept as text and handed back as is when the insight is opened.
 */
export const insightFiltersSchema = z
  .record(z.string().regex(/^[a-z][a-z0-9_]{0,31}$/), z.string().max(2_000))
  .refine((filters) => Object.keys(filters).length <= 20, { message: 'at most 20 parameters' })
  .describe('The filter bar as URL query parameters, e.g. { "range": "last_7_days" }');

export const insightParamsSchema = z
  .record(z.string(), z.unknown())
  .describe(
    "The report request: the report's own parameters (docs/api.md), optionally a granularity. " +
      'Checked against the report of its kind; nothing is run.',
  );

export const insightInputSchema = z.object({
  name,
  kind: z
    .string()
    .min(1)
    .max(64)
    .describe(`The report: ${INSIGHT_KINDS.join(', ')}; others are refused`),
  params: insightParamsSchema,
  filters: insightFiltersSchema.default({}),
});
export type InsightInput = z.infer<typeof insightInputSchema>;

export const insightPatchSchema = z
  .object({
    name: name.optional(),
    kind: insightInputSchema.shape.kind.optional(),
    params: insightParamsSchema.optional(),
    filters: insightFiltersSchema.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'nothing to change' });
export type InsightPatch = z.infer<typeof insightPatchSchema>;

export const insightSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  kind: z.enum(INSIGHT_KINDS),
  params: z.record(z.string(), z.unknown()),
  filters: z.record(z.string(), z.string()),
  owner: z.string().describe('user:<id> or token:<id> of whoever saved it'),
  createdAt: z.number().describe('epoch ms'),
  updatedAt: z.number().describe('epoch ms'),
  editable: z.boolean().describe('The caller may change or delete it (its owner, or an admin)'),
});
export type Insight = z.infer<typeof insightSchema>;

export const tileSchema = z.object({
  insightId: z.string().min(1).max(64),
  width: z
    .union([z.literal(1), z.literal(2)])
    .default(1)
    .describe('1: half the row, 2: all of it'),
});
export type Tile = z.infer<typeof tileSchema>;

export const layoutSchema = z
  .array(tileSchema)
  .max(MAX_TILES)
  .describe('Tiles in display order, left to right and top to bottom');

export const dashboardInputSchema = z.object({
  name,
  layout: layoutSchema.default([]),
  shared: z.boolean().default(false).describe('Visible to everyone on the project'),
});
export type DashboardInput = z.infer<typeof dashboardInputSchema>;

export const dashboardPatchSchema = z
  .object({
    name: name.optional(),
    layout: layoutSchema.optional(),
    shared: z.boolean().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'nothing to change' });
export type DashboardPatch = z.infer<typeof dashboardPatchSchema>;

export const dashboardSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  owner: z.string().describe('user:<id> or token:<id> of whoever created it'),
  layout: z.array(
    z.object({ insightId: z.string(), width: z.union([z.literal(1), z.literal(2)]) }),
  ),
  shared: z.boolean(),
  createdAt: z.number().describe('epoch ms'),
  updatedAt: z.number().describe('epoch ms'),
  editable: z.boolean().describe('The caller may change or delete it (its owner, or an admin)'),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

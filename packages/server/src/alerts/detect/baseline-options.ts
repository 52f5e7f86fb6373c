import { z } from 'zod';
import { isValidTimeZone } from '../../platform/index.ts';
import type { BaselineMethod, BaselineOptions } from './baseline-types.ts';

/** The options with every default filled in. */
export interface ResolvedBaselineOptions {
  method: BaselineMethod;
  sensitivity: number;
  direction: 'up' | 'down' | 'both';
  timeZone: string;
  seasons: number;
  alpha: number;
  varianceAlpha: number;
  warmup: number;
  minScaleRatio: number;
  minVolume: number;
}

export const BASELINE_DEFAULTS = Object.freeze({
  sensitivity: 3,
  direction: 'both',
  seasons: 4,
  alpha: 0.3,
  varianceAlpha: 0.05,
  warmup: 12,
  minScaleRatio: 0.05,
  minVolume: 0,
} as const);

/**
 * For callers that take options from outside (rule specs, preview requests): the functions here
 * trust their options, so validate them at the edge with this schema.
 */
export const baselineOptionsSchema = z
  .object({
    method: z.enum(['seasonal', 'ewma']),
    sensitivity: z.number().min(0.5).max(50).optional(),
    direction: z.enum(['up', 'down', 'both']).optional(),
    timeZone: z.string().min(1).max(64).refine(isValidTimeZone, 'an IANA time zone'),
    seasons: z.number().int().min(2).max(12).optional(),
    alpha: z.number().gt(0).max(1).optional(),
    varianceAlpha: z.number().gt(0).max(1).optional(),
    warmup: z.number().int().min(2).max(1_000).optional(),
    minScaleRatio: z.number().min(0).max(10).optional(),
    minVolume: z.number().min(0).max(1e12).optional(),
  })
  .strict() satisfies z.ZodType<BaselineOptions>;

export function resolveBaselineOptions(options: BaselineOptions): ResolvedBaselineOptions {
  return {
    method: options.method,
    timeZone: options.timeZone,
    sensitivity: options.sensitivity ?? BASELINE_DEFAULTS.sensitivity,
    direction: options.direction ?? BASELINE_DEFAULTS.direction,
    seasons: options.seasons ?? BASELINE_DEFAULTS.seasons,
    alpha: options.alpha ?? BASELINE_DEFAULTS.alpha,
    varianceAlpha: options.varianceAlpha ?? BASELINE_DEFAULTS.varianceAlpha,
    warmup: options.warmup ?? BASELINE_DEFAULTS.warmup,
    minScaleRatio: options.minScaleRatio ?? BASELINE_DEFAULTS.minScaleRatio,
    minVolume: options.minVolume ?? BASELINE_DEFAULTS.minVolume,
  };
}

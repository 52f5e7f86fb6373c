import type { Granularity } from '@sightline/shared';
import type { z } from 'zod';
import type { QueryContext } from '../context/query-context.ts';

/** A report result as rows, for CSV and XLSX export. */
export interface ResultTable {
  columns: string[];
  rows: Array<Array<string | number | boolean | null>>;
}

/**
 * One report: its parameters (beyond the common range, granularity, filters and segment), its
 * result shape (both documented in OpenAPI), how to run it inside a query context, and how to
 * lay its result out as a table. The HTTP API, the CLI and exports all go through this.
 */
export interface ReportDefinition<P extends z.ZodObject = z.ZodObject, R = unknown> {
  id: string;
  summary: string;
  description: string;
  params: P;
  result: z.ZodType<R>;
  /** Used when the request names none. */
  defaultGranularity: Granularity;
  /**
   * Lists raw rows that callers poll for what just arrived (the event explorer): never served
   * from the result cache, whose freshness window would hide new rows for seconds.
   */
  live?: boolean;
  run(ctx: QueryContext, params: z.infer<P>): Promise<R>;
  toTable(result: R, params: z.infer<P>): ResultTable;
}

export function defineReport<P extends z.ZodObject, R>(
  definition: ReportDefinition<P, R>,
): ReportDefinition<P, R> {
  return Object.freeze(definition);
}

export type AnyReport = ReportDefinition<z.ZodObject, unknown>;

import type { SqlValue } from '../../store/index.ts';

/**
 * Collects bound parameters while a query is assembled: `params.add(value)` returns the
 * placeholder to put in the SQL. Values never enter SQL text.
 */
export class SqlParams {
  readonly values: SqlValue[] = [];
  private readonly cache = new Map<string, string>();

  add(value: SqlValue): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** The same placeholder for the same string value (project id, time zone …). */
  shared(value: string): string {
    const known = this.cache.get(value);
    if (known) return known;
    const placeholder = this.add(value);
    this.cache.set(value, placeholder);
    return placeholder;
  }
}

const PLACEHOLDER = /\$(\d+)/g;

/**
 * Drops parameters the SQL does not use and renumbers the rest (DuckDB refuses unused ones;
 * builders add some, such as the time zone, before knowing whether they need them).
 */
export function compactParams(
  sql: string,
  values: readonly SqlValue[],
): { sql: string; params: SqlValue[] } {
  const renumbered = new Map<number, number>();
  const params: SqlValue[] = [];
  const text = sql.replace(PLACEHOLDER, (_, digits: string) => {
    const index = Number(digits);
    let next = renumbered.get(index);
    if (next === undefined) {
      params.push(values[index - 1] as SqlValue);
      next = params.length;
      renumbered.set(index, next);
    }
    return `$${next}`;
  });
  return { sql: text, params };
}

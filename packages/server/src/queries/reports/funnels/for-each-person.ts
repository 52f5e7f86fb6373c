import { rowsOf, type SqlValue, type StoreRow } from '../../../store/index.ts';
import type { QueryContext } from '../../context/query-context.ts';
import { runColumnsQuery, runQuery } from '../../sql/run-query.ts';
import type { SqlParams } from '../../sql/sql-params.ts';

/** About this many rows are held in memory per pass; one person's rows never span passes. */
export const ROWS_PER_PASS = 1_000_000;

export interface PersonRowsQuery {
  /** A SELECT with a `person` column, returning every row the walk needs (any order). */
  sql: string;
  values: readonly SqlValue[];
  /** Columns of `sql` handed to the walk (besides person): fewer columns read much faster. */
  columns: readonly string[];
  /** How one person's rows are ordered: columns of `sql`, e.g. `t, id`. */
  orderBy: string;
}

/**
 * The rows of a per-person SELECT that belong to the given people. A joined list of values, not
 * IN (…): that would compare every row with every person.
 */
export function onlyPeople(rows: string, people: readonly string[], sql: SqlParams): string {
  const values = people.map((p) => `(${sql.add(p)})`).join(', ');
  return (
    `SELECT * FROM (${rows}) r WHERE r.person IN ` +
    `(SELECT v.person FROM (VALUES ${values}) v(person))`
  );
}

/**
 * Hands a per-person query's rows to `visit`, one person at a time, in that person's order.
 * Reports that walk each person's events in TypeScript (funnels, paths) read through this: the
 * rows are split into passes by a hash of the person, so memory holds one pass, not the range.
 */
export async function forEachPerson(
  ctx: Pick<QueryContext, 'store' | 'dialect'>,
  query: PersonRowsQuery,
  visit: (person: string, rows: StoreRow[]) => void,
  rowsPerPass: number = ROWS_PER_PASS,
): Promise<void> {
  const counted = await runQuery(ctx, `SELECT count(*) AS n FROM (${query.sql}) q`, query.values);
  const total = Number(counted[0]?.n ?? 0);
  if (total === 0) return;
  const passes = Math.max(1, Math.ceil(total / rowsPerPass));
  for (let pass = 0; pass < passes; pass += 1) {
    const values: SqlValue[] = [...query.values];
    const where =
      passes === 1
        ? ''
        : ` WHERE ${ctx.dialect.hashBucket('q.person', `$${values.push(passes)}`)} = $${values.push(pass)}`;
    // By column: a pass is hundreds of thousands of rows, far cheaper to move this way.
    const read = await runColumnsQuery(
      ctx,
      `SELECT ${['person', ...query.columns].map((c) => `q.${c}`).join(', ')} FROM (${query.sql}) q` +
        `${where} ORDER BY q.person, ${query.orderBy}`,
      values,
    );
    const people = read.columns.person;
    if (people?.kind !== 'text') throw new Error('per-person rows need a text person column');
    let start = 0;
    for (let i = 1; i <= read.rowCount; i += 1) {
      if (i < read.rowCount && people.codes[i] === people.codes[start]) continue;
      visit(String(people.dictionary[people.codes[start] as number]), rowsOf(read, start, i));
      start = i;
    }
  }
}

import { personPeriodsSql } from '../../analyses/cohort-sql.ts';
import type { QueryContext } from '../../context/query-context.ts';
import { zoneArg } from '../../context/zone-arg.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import type { SqlValue } from '../../../store/index.ts';
import type { RetentionMatrixOptions } from './retention-matrix.ts';

/** Whether the matrix can be read in one scan of events (retention of event cohorts). */
export function isSingleScanRetention(options: RetentionMatrixOptions): boolean {
  return options.value === 'retention' && options.cohortBy !== 'first_purchase';
}

/**
 * The retention matrix (`cohort, k, n` as the joined query gives it) from one scan of events
 * reduced to a row per person and local period (personPeriodsSql), instead of a scan for the
 * cohort entries (a window over every event's full row) joined with a second scan for the
 * activity. The definitions are the joined query's: a person's cohort is the period of their
 * first entry event ever, kept when that event lies in the range and passes the scope; they
 * count at offset k when the period k after it holds activity at or after that event.
 */
export function buildSingleScanSql(
  ctx: QueryContext,
  options: RetentionMatrixOptions,
  activityEnd: number,
): { sql: string; params: SqlValue[] } {
  if (options.value !== 'retention' || options.cohortBy === 'first_purchase')
    throw new Error('single-scan retention needs value retention of event cohorts');
  const { dialect } = ctx;
  const params = new SqlParams();
  const zone = zoneArg(ctx, params);
  const periods = personPeriodsSql(ctx, params, {
    cohortBy: options.cohortBy,
    event: options.returnEvent,
    unit: options.period,
    zone,
    activityRange: { from: ctx.from, to: activityEnd },
  });
  const instant = (ms: number) => dialect.instant(params.add(new Date(ms).toISOString()));
  const entered = [
    `entered >= ${instant(ctx.from)}`,
    `entered < ${instant(ctx.to)}`,
    ...(periods.entryScoped ? ['ok'] : []),
  ];
  const ok = periods.entryScoped ? `, ${dialect.argMin('first_ok', 'first_t')} AS ok` : '';
  const cohort = dialect.epochMs(dialect.bucketStart(options.period, 'entered', zone));
  const sql =
    `WITH r AS (${periods.sql}), ` +
    `cs AS (SELECT who, min(first_t) AS entered, ${dialect.argMin('g', 'first_t')} AS cg${ok} ` +
    `FROM r WHERE first_t IS NOT NULL GROUP BY 1), ` +
    `c AS (SELECT who, entered, cg, ${cohort} AS cohort FROM cs WHERE ${entered.join(' AND ')}) ` +
    `SELECT cohort, -1 AS k, count(*) AS n FROM c GROUP BY 1 UNION ALL ` +
    // (who, g) is unique in r, so rows count people.
    `SELECT c.cohort, r.g - c.cg AS k, count(*) AS n FROM c JOIN r ON r.who = c.who ` +
    `AND r.last_t >= c.entered WHERE r.g - c.cg BETWEEN 0 AND ${params.add(options.periods)} ` +
    `GROUP BY 1, 2`;
  return { sql, params: params.values };
}

import { zoneOffsetMs } from '../../platform/index.ts';
import { FIXED_OFFSET_PREFIX } from '../sql/dialect.ts';
import type { SqlParams } from '../sql/sql-params.ts';
import type { QueryContext } from './query-context.ts';

const DAY_MS = 86_400_000;
/** Lookbacks (rolling windows, cohorts) reach this far before a range. */
const LOOKBACK_MS = 400 * DAY_MS;
const memo = new Map<string, number | null>();

/**
 * The zone argument for the dialect's calendar functions. When the zone's UTC offset is the
 * same over the whole range and its lookbacks (always for Asia/Shanghai; not across a DST
 * change), the dialect buckets with integer arithmetic on epoch ms, about ten times faster
 * than converting every row through the time zone database; otherwise it converts.
 */
export function zoneArg(
  ctx: Pick<QueryContext, 'timeZone' | 'from' | 'to' | 'now'>,
  params: SqlParams,
): string {
  // Reports may read past `to` (retention follows cohorts), but no data lies beyond now.
  const offset = fixedOffset(
    ctx.timeZone,
    ctx.from - LOOKBACK_MS,
    Math.max(ctx.to, ctx.now) + DAY_MS,
  );
  return offset === null ? params.shared(ctx.timeZone) : `${FIXED_OFFSET_PREFIX}${offset}`;
}

/** The zone's offset if it does not change between the two instants (checked daily), else null. */
export function fixedOffset(zone: string, from: number, to: number): number | null {
  const key = `${zone}|${Math.floor(from / DAY_MS)}|${Math.floor(to / DAY_MS)}`;
  if (memo.has(key)) return memo.get(key) ?? null;
  const first = zoneOffsetMs(from, zone);
  let fixed: number | null = first;
  // Offsets change at most a few times a year and hold for months: a daily sample finds any.
  for (let at = from + DAY_MS; at <= to + DAY_MS; at += DAY_MS) {
    if (zoneOffsetMs(at, zone) !== first) {
      fixed = null;
      break;
    }
  }
  if (memo.size > 1_000) memo.clear();
  memo.set(key, fixed);
  return fixed;
}

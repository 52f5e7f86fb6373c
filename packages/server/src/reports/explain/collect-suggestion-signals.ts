import {
  computeMetricSeries,
  OTHER_GROUP,
  requireMetric,
  withRange,
  type QueryContext,
} from '../../queries/index.ts';
import { chooseDrivers } from './choose-drivers.ts';
import type { ValuePair } from './decompose-change.ts';
import { computeContributions } from './compute-contributions.ts';
import { computeTotal } from './compute-total.ts';
import type { ChangeDriver, RouteSignal, SuggestionSignals } from './suggestion-signals.ts';

/** Routes looked at: the busiest N of the period. */
const ROUTES_LIMIT = 20;
/** A route's error rate or p95 is judged from at least this many requests. */
export const MIN_ROUTE_REQUESTS = 20;
/** Segments per dimension in the refund and new-user breakdowns. */
const BREAKDOWN_LIMIT = 20;

async function computePair(
  current: QueryContext,
  previous: QueryContext,
  metric: string,
): Promise<ValuePair> {
  const [now, before] = await Promise.all([
    computeTotal(current, metric),
    computeTotal(previous, metric),
  ]);
  return { current: now, previous: before };
}

/** The one segment of a dimension that explains a change, as explainChange would name it. */
async function findTopDriver(
  current: QueryContext,
  previous: QueryContext,
  params: { metric: string; dimension: string; total: ValuePair },
): Promise<ChangeDriver | null> {
  const { total } = params;
  if (total.current === null || total.previous === null || total.current === total.previous)
    return null;
  const analysed = await computeContributions(current, previous, {
    metric: requireMetric(params.metric),
    dimension: params.dimension,
    breakdownLimit: BREAKDOWN_LIMIT,
    total,
  });
  const driver = analysed ? chooseDrivers([analysed], { maxDrivers: 1 }).drivers[0] : undefined;
  if (!driver) return null;
  return {
    dimension: params.dimension,
    segment: driver.segment,
    share: driver.share,
    current: driver.current,
    previous: driver.previous,
  };
}

function valuesByKey(groups: ReadonlyArray<{ key: string | null; values: Array<number | null> }>) {
  return new Map(groups.map((group) => [group.key, group.values[0] ?? null]));
}

/** The worst route by error rate and by p95 among the busiest routes with enough requests. */
async function collectRouteSignals(
  ctx: QueryContext,
): Promise<Pick<SuggestionSignals['api'], 'worstErrorRoute' | 'slowestRoute'>> {
  const breakdown = { dimension: 'route', limit: ROUTES_LIMIT };
  const requests = await computeMetricSeries(ctx, 'api_requests', {
    granularity: 'all',
    breakdown,
  });
  const keep = requests.groups
    .map((group) => group.key)
    .filter((key): key is string => key !== null && key !== OTHER_GROUP);
  if (keep.length === 0) return { worstErrorRoute: null, slowestRoute: null };
  const valuesOf = async (metric: string) =>
    valuesByKey(
      (await computeMetricSeries(ctx, metric, { granularity: 'all', breakdown, keep })).groups,
    );
  const [errors, p95] = await Promise.all([valuesOf('api_errors'), valuesOf('api_latency_p95')]);
  const counts = valuesByKey(requests.groups);
  const routes: RouteSignal[] = keep
    .map((route) => {
      const total = counts.get(route) ?? 0;
      const failed = errors.get(route) ?? 0;
      return {
        route,
        requests: total,
        errorRate: total > 0 ? failed / total : null,
        p95Ms: p95.get(route) ?? null,
      };
    })
    .filter((route) => route.requests >= MIN_ROUTE_REQUESTS);
  const worstBy = (value: (route: RouteSignal) => number | null) =>
    routes
      .filter((route) => (value(route) ?? 0) > 0)
      .sort(
        (a, b) =>
          (value(b) ?? 0) - (value(a) ?? 0) ||
          b.requests - a.requests ||
          a.route.localeCompare(b.route),
      )[0] ?? null;
  return {
    worstErrorRoute: worstBy((route) => route.errorRate),
    slowestRoute: worstBy((route) => route.p95Ms),
  };
}

/** The error code of most failed tasks, with its part of all failed tasks. */
async function findTopErrorCode(
  ctx: QueryContext,
): Promise<SuggestionSignals['tasks']['topErrorCode']> {
  const [total, byCode] = await Promise.all([
    computeTotal(ctx, 'tasks_failed'),
    computeMetricSeries(ctx, 'tasks_failed', {
      granularity: 'all',
      breakdown: { dimension: 'error_code', limit: 1 },
    }),
  ]);
  const top = byCode.groups.find((group) => group.key !== null && group.key !== OTHER_GROUP);
  const failed = top?.values[0] ?? 0;
  if (!top?.key || !total || !failed) return null;
  return { code: top.key, failed, share: failed / total };
}

/**
 * Fills SuggestionSignals through the query layer for the context's range against `previous`:
 * headline values as the kpis report computes them, drivers from the same contribution
 * analysis as explainChange, routes and error codes from breakdowns.
 */
export async function collectSuggestionSignals(
  ctx: QueryContext,
  previous: { from: number; to: number },
): Promise<SuggestionSignals> {
  const before = withRange(ctx, previous.from, previous.to);
  const pair = (metric: string) => computePair(ctx, before, metric);
  // Groups run one after the other: each is several queries on a small machine.
  const [refundAmount, refundRate] = await Promise.all([
    pair('refund_amount'),
    pair('refund_rate_amount'),
  ]);
  const refundDriver = (dimension: string) =>
    findTopDriver(ctx, before, { metric: 'refund_amount', dimension, total: refundAmount });
  const [topProductType, topChannel] = await Promise.all([
    refundDriver('product_type'),
    refundDriver('channel'),
  ]);
  const [errorRate, rate5xx, routes] = await Promise.all([
    pair('api_error_rate'),
    pair('api_5xx_rate'),
    collectRouteSignals(ctx),
  ]);
  const [failureRate, topErrorCode] = await Promise.all([
    pair('task_failure_rate'),
    findTopErrorCode(ctx),
  ]);
  const newUsers = await pair('new_users');
  const newUsersChannel = await findTopDriver(ctx, before, {
    metric: 'new_users',
    dimension: 'channel',
    total: newUsers,
  });
  const [pay, registration, commission] = await Promise.all([
    pair('pay_conversion'),
    pair('registration_conversion'),
    pair('commission_ratio'),
  ]);
  return {
    refunds: { amount: refundAmount, rate: refundRate, topProductType, topChannel },
    api: { errorRate, rate5xx, ...routes },
    tasks: { failureRate, topErrorCode },
    newUsers: { count: newUsers, topChannel: newUsersChannel },
    conversion: { pay, registration },
    commission: { ratio: commission },
  };
}

import type { StockPoint, StockSeries } from './load-stock-series.ts';
import { DAY_MS, MAD_SCALE } from './order-facts-sql.ts';
import type {
  LateRestock,
  RestockAnomaliesParams,
  RestockOutlier,
  StockShrinkage,
} from './restock-anomaly-schemas.ts';

export interface FindRestockAnomaliesOptions {
  params: RestockAnomaliesParams;
  /** Epoch ms: findings are reported for counts taken in [from, to). */
  from: number;
  to: number;
  /** Epoch ms from which sales are known: a movement starting earlier cannot be explained. */
  salesFrom: number;
}

export interface RestockAnomalies {
  restockOutliers: RestockOutlier[];
  shrinkage: StockShrinkage[];
  lateRestocks: LateRestock[];
}

/** Two consecutive counts of a product and the paid units sold between them. */
interface Movement {
  before: StockPoint;
  after: StockPoint;
  sold: number;
  /** Sales are known over the whole interval. */
  known: boolean;
}

type Demand = Pick<RestockOutlier, 'unitsSoldBefore' | 'inStockDaysBefore' | 'avgDailyUnits'>;

const iso = (ms: number) => new Date(ms).toISOString();

/** Median of a non-empty list (the mean of the middle two for an even count). */
function getMedian(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}

function listMovements(points: readonly StockPoint[], salesFrom: number): Movement[] {
  const movements: Movement[] = [];
  for (let i = 1; i < points.length; i += 1) {
    const before = points[i - 1];
    const after = points[i];
    if (!before || !after) continue;
    movements.push({
      before,
      after,
      sold: after.soldCum - before.soldCum,
      known: before.t >= salesFrom,
    });
  }
  return movements;
}

/**
 * Demand before a count: paid units of the intervals that end in the salesDays before it, per day
 * the product was in stock in them (an interval starting at 0 without a sale does not count), so
 * a stockout does not make demand look low.
 */
function measureDemand(
  movements: readonly Movement[],
  at: number,
  params: RestockAnomaliesParams,
): Demand {
  const since = at - params.salesDays * DAY_MS;
  let units = 0;
  let inStockMs = 0;
  for (const m of movements) {
    if (!m.known || m.after.t > at || m.after.t <= since) continue;
    units += m.sold;
    if (m.before.onHand > 0 || m.sold > 0) inStockMs += m.after.t - m.before.t;
  }
  const days = inStockMs / DAY_MS;
  const known = days > 0 && days >= params.minSalesDays;
  return {
    unitsSoldBefore: units,
    inStockDaysBefore: days,
    avgDailyUnits: known ? units / days : null,
  };
}

function judgeRestock(
  series: StockSeries,
  m: Movement,
  earlier: ReadonlyArray<{ t: number; quantity: number }>,
  movements: readonly Movement[],
  params: RestockAnomaliesParams,
): RestockOutlier {
  const quantity = m.after.onHand - m.before.onHand + m.sold;
  const history = earlier
    .filter((r) => r.t > m.after.t - params.historyDays * DAY_MS)
    .map((r) => r.quantity);
  const enough = history.length >= params.minHistory;
  const median = enough ? getMedian(history) : null;
  const mad = median === null ? null : getMedian(history.map((q) => Math.abs(q - median)));
  const usualMax =
    median === null || mad === null
      ? null
      : Math.max(params.minMultiple * median, median + (params.zThreshold * mad) / MAD_SCALE);
  const demand = measureDemand(movements, m.before.t, params);
  const cover =
    demand.avgDailyUnits !== null && demand.avgDailyUnits > 0
      ? quantity / demand.avgDailyUnits
      : null;
  return {
    productId: series.productId,
    name: series.name,
    previousCountAt: iso(m.before.t),
    restockedAt: iso(m.after.t),
    onHandBefore: m.before.onHand,
    onHandAfter: m.after.onHand,
    inTransitBefore: m.before.inTransit,
    inTransitAfter: m.after.inTransit,
    unitsSold: m.sold,
    quantity,
    historyRestocks: history.length,
    usualQuantity: median,
    quantityMad: mad,
    usualMax,
    multipleOfUsual: median === null || median === 0 ? null : quantity / median,
    robustZ: median === null || !mad ? null : (MAD_SCALE * (quantity - median)) / mad,
    ...demand,
    coverDays: cover,
    aboveUsual: usualMax !== null && quantity > usualMax,
    // Known demand of zero: nothing sold in a week or more of stock, yet more arrived.
    overstock: cover === null ? demand.avgDailyUnits === 0 : cover > params.maxCoverDays,
  };
}

function judgeLoss(series: StockSeries, m: Movement, params: RestockAnomaliesParams) {
  const stockDecrease = m.before.onHand - m.after.onHand;
  const unexplainedUnits = stockDecrease - m.sold;
  const tolerance = Math.max(params.shrinkageMinUnits, params.shrinkageShare * m.sold);
  if (unexplainedUnits <= tolerance) return null;
  return {
    productId: series.productId,
    name: series.name,
    fromAt: iso(m.before.t),
    toAt: iso(m.after.t),
    onHandBefore: m.before.onHand,
    onHandAfter: m.after.onHand,
    unitsSold: m.sold,
    stockDecrease,
    unexplainedUnits,
    tolerance,
    unitCost: series.unitCost,
    unexplainedCost: series.unitCost === null ? null : unexplainedUnits * series.unitCost,
  } satisfies StockShrinkage;
}

/** Restocks after a stockout longer than maxStockoutDays of a product that had been selling. */
function findLateRestocks(
  series: StockSeries,
  movements: readonly Movement[],
  options: FindRestockAnomaliesOptions,
): LateRestock[] {
  const { params } = options;
  const found: LateRestock[] = [];
  let zeroIndex: number | null = null;
  series.points.forEach((point, index) => {
    if (point.onHand <= 0) {
      zeroIndex ??= index;
      return;
    }
    const zero = zeroIndex === null ? undefined : series.points[zeroIndex];
    const lastInStock = zeroIndex === null ? undefined : series.points[zeroIndex - 1];
    const move = movements[index - 1];
    zeroIndex = null;
    if (!zero || !move || point.t < options.from || point.t >= options.to) return;
    const stockoutDays = (point.t - zero.t) / DAY_MS;
    if (stockoutDays <= params.maxStockoutDays) return;
    const demand = measureDemand(movements, zero.t, params);
    if (demand.unitsSoldBefore <= 0) return;
    found.push({
      productId: series.productId,
      name: series.name,
      lastInStockAt: lastInStock ? iso(lastInStock.t) : null,
      outOfStockSince: iso(zero.t),
      restockedAt: iso(point.t),
      stockoutDays,
      quantity: point.onHand - move.before.onHand + (move.known ? move.sold : 0),
      onHandAfter: point.onHand,
      unitsSoldDuring: point.soldCum - zero.soldCum,
      ...demand,
      lostUnitsEstimate: demand.avgDailyUnits === null ? null : demand.avgDailyUnits * stockoutDays,
    });
  });
  return found;
}

/**
 * The movements between consecutive counts of each product that its sales do not explain:
 * restocks far above the product's usual ones or lasting far longer than its demand, stock lost
 * beyond what was sold, and restocks that came after a long stockout of a selling product.
 */
export function findRestockAnomalies(
  series: readonly StockSeries[],
  options: FindRestockAnomaliesOptions,
): RestockAnomalies {
  const { params, from, to } = options;
  const found: RestockAnomalies = { restockOutliers: [], shrinkage: [], lateRestocks: [] };
  for (const product of series) {
    const movements = listMovements(product.points, options.salesFrom);
    const earlier: Array<{ t: number; quantity: number }> = [];
    for (const m of movements) {
      if (!m.known) continue;
      const reported = m.after.t >= from && m.after.t < to;
      if (m.after.onHand > m.before.onHand) {
        const quantity = m.after.onHand - m.before.onHand + m.sold;
        if (quantity < params.minRestockUnits) continue;
        if (reported) {
          const judged = judgeRestock(product, m, earlier, movements, params);
          if (judged.aboveUsual || judged.overstock) found.restockOutliers.push(judged);
        }
        earlier.push({ t: m.after.t, quantity });
      } else if (reported && m.after.onHand < m.before.onHand) {
        const loss = judgeLoss(product, m, params);
        if (loss) found.shrinkage.push(loss);
      }
    }
    found.lateRestocks.push(...findLateRestocks(product, movements, options));
  }
  const newestFirst = (a: { at: string; id: string }, b: { at: string; id: string }) =>
    b.at.localeCompare(a.at) || a.id.localeCompare(b.id);
  const limit = params.limit;
  return {
    restockOutliers: found.restockOutliers
      .sort((a, b) =>
        newestFirst({ at: a.restockedAt, id: a.productId }, { at: b.restockedAt, id: b.productId }),
      )
      .slice(0, limit),
    shrinkage: found.shrinkage
      .sort((a, b) => newestFirst({ at: a.toAt, id: a.productId }, { at: b.toAt, id: b.productId }))
      .slice(0, limit),
    lateRestocks: found.lateRestocks
      .sort((a, b) =>
        newestFirst({ at: a.restockedAt, id: a.productId }, { at: b.restockedAt, id: b.productId }),
      )
      .slice(0, limit),
  };
}

import { z } from 'zod';

export const restockAnomaliesParams = z.object({
  historyDays: z
    .number()
    .int()
    .min(1)
    .max(730)
    .default(180)
    .describe('A restock is compared with the restocks of the product in these days before it'),
  minHistory: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(3)
    .describe('Earlier restocks needed before a quantity can be called unusual'),
  minMultiple: z
    .number()
    .min(1)
    .max(1000)
    .default(3)
    .describe('An unusual restock is more than this many times the usual (median) one …'),
  zThreshold: z
    .number()
    .min(0)
    .max(1000)
    .default(3.5)
    .describe('… and its robust z against the earlier restocks is above this'),
  minRestockUnits: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(3)
    .describe('Smaller stock increases (a returned unit or two) are not restocks'),
  salesDays: z
    .number()
    .int()
    .min(1)
    .max(366)
    .default(28)
    .describe('Daily demand is taken over the in-stock days of these days before a count'),
  minSalesDays: z
    .number()
    .min(0)
    .max(366)
    .default(7)
    .describe('In-stock days of sales history needed to judge how long a restock lasts'),
  maxCoverDays: z
    .number()
    .min(1)
    .max(3660)
    .default(90)
    .describe('A restock lasting longer than this at the recent daily demand is an overstock'),
  shrinkageMinUnits: z
    .number()
    .min(0)
    .max(1_000_000)
    .default(5)
    .describe('A stock loss beyond the units sold counts when it is more than this many units …'),
  shrinkageShare: z
    .number()
    .min(0)
    .max(100)
    .default(0.2)
    .describe('… and more than this share of the units sold in between'),
  maxStockoutDays: z
    .number()
    .min(0)
    .max(3660)
    .default(7)
    .describe('A product that sold before running out and stayed out longer than this'),
  limit: z.number().int().min(1).max(10_000).default(500),
});
export type RestockAnomaliesParams = z.infer<typeof restockAnomaliesParams>;

const productFields = {
  productId: z.string(),
  name: z.string().nullable(),
};
const demandFields = {
  unitsSoldBefore: z
    .number()
    .describe('Paid units in the counts’ intervals of the salesDays before (whole intervals)'),
  inStockDaysBefore: z.number().describe('Days of those intervals the product was in stock'),
  avgDailyUnits: z
    .number()
    .nullable()
    .describe('unitsSoldBefore / inStockDaysBefore; null with fewer than minSalesDays'),
};

export const restockOutlierSchema = z.object({
  ...productFields,
  previousCountAt: z.string().describe('The count before the restock'),
  restockedAt: z.string().describe('The first count that shows the restock'),
  onHandBefore: z.number(),
  onHandAfter: z.number(),
  inTransitBefore: z.number(),
  inTransitAfter: z.number(),
  unitsSold: z.number().describe('Paid units between the two counts'),
  quantity: z.number().describe('Units received: onHandAfter − onHandBefore + unitsSold'),
  historyRestocks: z.number().describe('Earlier restocks of the product in historyDays'),
  usualQuantity: z.number().nullable().describe('Median of the earlier restocks'),
  quantityMad: z.number().nullable().describe('Their median absolute deviation'),
  usualMax: z
    .number()
    .nullable()
    .describe(
      'Largest usual quantity: max(minMultiple × median, median + zThreshold × MAD / 0.6745)',
    ),
  multipleOfUsual: z.number().nullable().describe('quantity / usualQuantity'),
  robustZ: z.number().nullable().describe('0.6745 × (quantity − median) / MAD; null when MAD is 0'),
  ...demandFields,
  coverDays: z
    .number()
    .nullable()
    .describe('quantity / avgDailyUnits; null without the demand or when nothing sold'),
  aboveUsual: z
    .boolean()
    .describe('quantity > usualMax, with at least minHistory earlier restocks'),
  overstock: z
    .boolean()
    .describe('coverDays > maxCoverDays, or nothing sold in minSalesDays+ in-stock days'),
});
export type RestockOutlier = z.infer<typeof restockOutlierSchema>;

export const stockShrinkageSchema = z.object({
  ...productFields,
  fromAt: z.string().describe('The count before the loss'),
  toAt: z.string().describe('The count that shows it'),
  onHandBefore: z.number(),
  onHandAfter: z.number(),
  unitsSold: z.number().describe('Paid units between the two counts'),
  stockDecrease: z.number().describe('onHandBefore − onHandAfter'),
  unexplainedUnits: z.number().describe('stockDecrease − unitsSold'),
  tolerance: z.number().describe('max(shrinkageMinUnits, shrinkageShare × unitsSold)'),
  unitCost: z.number().nullable(),
  unexplainedCost: z.number().nullable().describe('unexplainedUnits × unitCost, when known'),
});
export type StockShrinkage = z.infer<typeof stockShrinkageSchema>;

export const lateRestockSchema = z.object({
  ...productFields,
  lastInStockAt: z.string().nullable().describe('The last count with stock before it ran out'),
  outOfStockSince: z.string().describe('The first count at 0'),
  restockedAt: z.string().describe('The first count with stock again'),
  stockoutDays: z.number().describe('restockedAt − outOfStockSince, in days (at least this long)'),
  quantity: z.number().describe('Units received with the restock'),
  onHandAfter: z.number(),
  unitsSoldDuring: z.number().describe('Paid units while the count was 0 (backorders)'),
  ...demandFields,
  lostUnitsEstimate: z
    .number()
    .nullable()
    .describe('avgDailyUnits × stockoutDays: what it would have sold'),
});
export type LateRestock = z.infer<typeof lateRestockSchema>;

export const restockAnomaliesResult = z.object({
  historyDays: z.number(),
  salesDays: z.number(),
  maxCoverDays: z.number(),
  maxStockoutDays: z.number(),
  restockOutliers: z.array(restockOutlierSchema).describe('aboveUsual or overstock'),
  shrinkage: z.array(stockShrinkageSchema).describe('unexplainedUnits > tolerance'),
  lateRestocks: z.array(lateRestockSchema).describe('stockoutDays > maxStockoutDays'),
});
export type RestockAnomaliesResult = z.infer<typeof restockAnomaliesResult>;

import { DEMO_CATEGORIES, DEMO_DIGITAL_PRODUCTS, type MembershipPlan } from './catalog-data.ts';
import { createPrng, deriveSeed } from './prng.ts';

export type ProductType = 'goods' | 'membership' | 'quota';

export interface DemoProduct {
  productId: string;
  sku: string;
  name: string;
  /** Category slug ('tea', 'membership', …). */
  category: string;
  brand: string | null;
  /** Minor units (fen). */
  price: number;
  cost: number;
  productType: ProductType;
  status: 'active' | 'inactive';
  /** Relative purchase weight among goods; 0 for slow movers that never sell. */
  popularity: number;
  /** Expected units sold per day at the requested scale. */
  expectedDailyUnits: number;
  /** A supplier problem: never restocked in the period, so it runs low or out. */
  restockBlocked: boolean;
  leadTimeDays: number;
  initialOnHand: number;
  reorderPoint: number;
  restockQuantity: number;
  plan?: MembershipPlan;
  periodDays?: number;
}

/** Units of goods sold per day at scale 1, to size stock so it neither never moves nor runs dry. */
const GOODS_UNITS_PER_DAY = 140;
const SLOW_MOVER_COUNT = 5;
const RESTOCK_BLOCKED_COUNT = 3;
const PRODUCT_ID_BASE = 101;

/** The demo catalog: 60 goods in 6 categories plus memberships and quota packs. */
export function createDemoProducts(seed: number, scale: number): DemoProduct[] {
  const rng = createPrng(deriveSeed(seed, 0xca7a));
  const goods: DemoProduct[] = [];
  for (const category of DEMO_CATEGORIES) {
    for (const name of category.names) {
      const number = PRODUCT_ID_BASE + goods.length;
      // Log-uniform prices: most items are cheap, a few are expensive, as in real catalogs.
      const priceYuan = Math.exp(
        rng.float(Math.log(category.minPriceYuan), Math.log(category.maxPriceYuan)),
      );
      const price = (Math.max(1, Math.round(priceYuan / 10)) * 10 - 1) * 100;
      goods.push({
        productId: `p${number}`,
        sku: `${category.skuPrefix}-${String(number).padStart(4, '0')}`,
        name,
        category: category.slug,
        brand: category.brand,
        price,
        cost: Math.round(price * rng.float(0.5, 0.7)),
        productType: 'goods',
        status: 'active',
        popularity: 0,
        expectedDailyUnits: 0,
        restockBlocked: false,
        leadTimeDays: rng.int(3, 10),
        initialOnHand: 0,
        reorderPoint: 0,
        restockQuantity: 0,
      });
    }
  }
  assignPopularity(goods, rng.int(0, 1_000_000));
  for (const product of goods) sizeStock(product, scale, rng.float(0.6, 1.4));

  const digital = DEMO_DIGITAL_PRODUCTS.map((data): DemoProduct => ({
    productId: data.productId,
    sku: data.sku,
    name: data.name,
    category: data.productType,
    brand: null,
    price: data.priceFen,
    cost: data.costFen,
    productType: data.productType,
    status: 'active',
    popularity: 0,
    expectedDailyUnits: 0,
    restockBlocked: false,
    leadTimeDays: 0,
    initialOnHand: 0,
    reorderPoint: 0,
    restockQuantity: 0,
    ...(data.plan ? { plan: data.plan } : {}),
    ...(data.periodDays ? { periodDays: data.periodDays } : {}),
  }));
  return [...goods, ...digital];
}

/** Zipf-like popularity over a seeded order; a few slow movers never sell, one is delisted. */
function assignPopularity(goods: DemoProduct[], shuffleSeed: number): void {
  const rng = createPrng(shuffleSeed);
  const order = goods.map((_, index) => index);
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = rng.int(0, i);
    const a = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = a;
  }
  order.forEach((productIndex, rank) => {
    const product = goods[productIndex];
    if (!product) return;
    const isSlowMover = rank >= order.length - SLOW_MOVER_COUNT;
    product.popularity = isSlowMover ? 0 : 1 / Math.pow(rank + 1, 0.8);
    // The last slow mover is delisted, so the catalog has an inactive product too.
    if (rank === order.length - 1) product.status = 'inactive';
    // Popular-enough items with a blocked supplier show up as low stock, not just dead stock.
    if (rank >= 4 && rank < 4 + RESTOCK_BLOCKED_COUNT) product.restockBlocked = true;
  });
  const total = goods.reduce((sum, product) => sum + product.popularity, 0);
  for (const product of goods) product.popularity = product.popularity / total;
}

function sizeStock(product: DemoProduct, scale: number, jitter: number): void {
  const daily = product.popularity * GOODS_UNITS_PER_DAY * scale;
  product.expectedDailyUnits = daily;
  const coverDays = product.restockBlocked ? 8 : 20;
  // Slow movers sit on a pile bought for demand that never came: dead stock to flag.
  product.initialOnHand =
    daily > 0 ? Math.round(daily * coverDays * jitter) + 12 : Math.round(90 * jitter * scale) + 10;
  product.reorderPoint = Math.ceil(daily * (product.leadTimeDays + 4)) + 5;
  product.restockQuantity = Math.max(24, Math.round(daily * 30));
}

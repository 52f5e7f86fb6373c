/**
 * Results of the commerce reports as the page reads them (docs/reports/tech-and-commerce.md; the
 * schemas are in packages/server/src/queries/reports/commerce/). Money is in minor units (fen).
 */

export type ProductsBy = 'product' | 'category';
export type ProductsSortBy = 'revenue' | 'quantity' | 'orders';

interface ProductFigures {
  revenue: number;
  quantity: number;
  orders: number;
  refundAmount: number;
}

export interface TopProductsResult {
  by: ProductsBy;
  sortBy: ProductsSortBy;
  totals: ProductFigures & { groups: number };
  rows: Array<
    ProductFigures & {
      rank: number;
      key: string | null;
      name: string | null;
      category: string | null;
      revenueShare: number | null;
    }
  >;
}

export type AgentsSortBy = 'gmv' | 'orders' | 'buyers' | 'commission';

export interface AgentLeaderboardResult {
  sortBy: AgentsSortBy;
  agentCount: number;
  totals: { gmv: number; orders: number; buyers: number; commission: number; refundAmount: number };
  agents: Array<{
    rank: number;
    ranks: Record<AgentsSortBy, number>;
    agentId: string;
    gmv: number;
    orders: number;
    buyers: number;
    commission: number;
    commissionRatio: number | null;
    aov: number | null;
    refundAmount: number;
  }>;
}

export const CUSTOMER_DIMENSIONS = [
  'customer_type',
  'source',
  'channel',
  'region',
  'industry',
  'size',
] as const;
export type CustomerDimension = (typeof CUSTOMER_DIMENSIONS)[number];
export const RECORD_DIMENSIONS = ['status', 'priority', 'assignee', 'service_type'] as const;
export type RecordDimension = (typeof RECORD_DIMENSIONS)[number];

export interface KeyCount {
  key: string | null;
  count: number;
  share: number;
}

export interface ServiceStatsResult {
  buckets: Array<{ start: string; label: string }>;
  /** `null` when the filters cannot apply to customer and service events. */
  customers: {
    total: number;
    new: number;
    active: number;
    activeDays: number;
    activeFrom: string;
    newByBucket: number[];
    totalByBucket: number[];
    breakdowns: Record<
      CustomerDimension,
      Array<{ key: string | null; total: number; new: number }>
    >;
  } | null;
  serviceRecords: { total: number; breakdowns: Record<RecordDimension, KeyCount[]> } | null;
  /** `null` when the filters cannot apply to orders (an industry filter, for example). */
  orders: {
    total: number;
    byStatus: KeyCount[];
    paidOrders: number;
    revenue: number;
    revenueByProductType: Array<{
      key: string | null;
      orders: number;
      revenue: number;
      share: number | null;
    }>;
    paidOrdersByBucket: number[];
    revenueByBucket: number[];
  } | null;
}

/**
 * Row shapes written to the event store. camelCase here, snake_case in SQL; `row-mapper.ts` is the
 * one place that converts. Times are epoch milliseconds (UTC); money is integer minor units.
 */
export interface EventRow {
  projectId: string;
  eventId: string;
  /** Client time corrected for clock skew (ts + received_at − sent_at). */
  eventTime: number;
  /** Client time as sent, before correction. */
  clientTime: number | null;
  receivedAt: number;
  type: string;
  name: string;
  eventVersion: number | null;
  userId: string | null;
  anonymousId: string | null;
  deviceId: string | null;
  sessionId: string | null;
  app: string | null;
  env: string | null;
  release: string | null;
  platform: string | null;
  appVersion: string | null;
  country: string | null;
  province: string | null;
  city: string | null;
  network: string | null;
  page: string | null;
  url: string | null;
  referrer: string | null;
  referrerHost: string | null;
  title: string | null;
  channel: string | null;
  campaign: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  utmTerm: string | null;
  utmContent: string | null;
  feature: string | null;
  abBucket: string | null;
  requestId: string | null;
  traceId: string | null;
  ipHash: string | null;
  uaBrowser: string | null;
  uaBrowserVersion: string | null;
  uaOs: string | null;
  uaOsVersion: string | null;
  uaDeviceType: string | null;
  uaDeviceVendor: string | null;
  uaDeviceModel: string | null;
  isBot: boolean;
  durationMs: number | null;
  status: number | null;
  amount: number | null;
  currency: string | null;
  /** JSON object text of the remaining properties (after privacy filtering). */
  props: string;
}

export interface OrderRow {
  projectId: string;
  orderId: string;
  userId: string | null;
  anonymousId: string | null;
  /** paid | pending | cancelled */
  status: string;
  orderTime: number;
  paidAt: number | null;
  currency: string;
  /** Sum of item amounts before discounts. */
  grossAmount: number;
  discountAmount: number;
  /** What the customer actually paid (GMV counts this, seed 001 §1.2). */
  payAmount: number;
  costAmount: number | null;
  commissionAmount: number | null;
  agentId: string | null;
  channel: string | null;
  platform: string | null;
  /** goods | membership | quota | service … */
  productType: string | null;
  couponId: string | null;
  ipHash: string | null;
  addressHash: string | null;
  deviceId: string | null;
  province: string | null;
  city: string | null;
  /** event | import */
  source: string;
  updatedAt: number;
}

export interface OrderItemRow {
  projectId: string;
  orderId: string;
  lineNo: number;
  productId: string;
  sku: string | null;
  category: string | null;
  quantity: number;
  unitPrice: number;
  amount: number;
  costAmount: number | null;
}

export interface RefundRow {
  projectId: string;
  refundId: string;
  orderId: string;
  userId: string | null;
  refundTime: number;
  amount: number;
  reason: string | null;
  source: string;
}

export interface ProductRow {
  projectId: string;
  productId: string;
  sku: string | null;
  name: string;
  category: string | null;
  brand: string | null;
  price: number;
  cost: number | null;
  /** active | inactive */
  status: string;
  updatedAt: number;
}

export interface InventoryRow {
  projectId: string;
  productId: string;
  warehouse: string;
  snapshotTime: number;
  onHand: number;
  reserved: number;
  inTransit: number;
  reorderPoint: number | null;
  leadTimeDays: number | null;
}

/** Ingest counters per project, hour and outcome; summed into ingest_stats on commit. */
export interface IngestStatRow {
  projectId: string;
  /** Start of the UTC hour, epoch ms. */
  hour: number;
  /** accepted | duplicate | dropped | rejected */
  outcome: string;
  /** Error code for rejected; '' otherwise. */
  code: string;
  count: number;
}

/** identify: an anonymous id belongs to a user from then on (first link wins). */
export interface IdentityRow {
  projectId: string;
  anonymousId: string;
  userId: string;
  linkedAt: number;
}

/** Everything one commit writes, atomically. */
export interface WriteBatch {
  events: EventRow[];
  identities: IdentityRow[];
  orders: OrderRow[];
  orderItems: OrderItemRow[];
  refunds: RefundRow[];
  products: ProductRow[];
  inventory: InventoryRow[];
  stats: IngestStatRow[];
}

export interface CommitResult {
  /**
   * Ids of the events this commit stored. An id of the batch that is not here was already stored;
   * where one id appears twice in the batch, its first occurrence is the one stored.
   */
  insertedEventIds: ReadonlySet<string>;
}

export function createWriteBatch(partial: Partial<WriteBatch> = {}): WriteBatch {
  return {
    events: partial.events ?? [],
    identities: partial.identities ?? [],
    orders: partial.orders ?? [],
    orderItems: partial.orderItems ?? [],
    refunds: partial.refunds ?? [],
    products: partial.products ?? [],
    inventory: partial.inventory ?? [],
    stats: partial.stats ?? [],
  };
}

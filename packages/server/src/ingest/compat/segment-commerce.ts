import {
  compactObject,
  isJsonObject,
  normalizeCurrency,
  readString,
  toMinorUnits,
  toSnakeCaseName,
  type JsonObject,
} from './compat-values.ts';

/**
 * Segment spec names with a Sightline name of their own (docs/events.md), keyed by the
 * snake_case form of the Segment name. Segment's e-commerce spec v2:
 * https://segment.com/docs/connections/spec/ecommerce/v2/ ; Signed Up / Signed In come from its
 * B2B SaaS spec: https://segment.com/docs/connections/spec/b2b-saas/
 */
export const SEGMENT_EVENT_NAMES: ReadonlyMap<string, string> = new Map([
  ['product_viewed', 'view_product'],
  ['product_added', 'add_to_cart'],
  ['checkout_started', 'checkout_started'],
  ['order_completed', 'order_completed'],
  ['order_refunded', 'order_refunded'],
  ['signed_up', 'sign_up'],
  ['signed_in', 'login'],
]);

/** Events of the e-commerce spec v2, whose money properties are in major units. */
const SEGMENT_COMMERCE_EVENTS: ReadonlySet<string> = new Set([
  'products_searched',
  'product_list_viewed',
  'product_list_filtered',
  'promotion_viewed',
  'promotion_clicked',
  'product_clicked',
  'product_viewed',
  'product_added',
  'product_removed',
  'cart_viewed',
  'checkout_started',
  'checkout_step_viewed',
  'checkout_step_completed',
  'payment_info_entered',
  'order_updated',
  'order_completed',
  'order_refunded',
  'order_cancelled',
  'coupon_entered',
  'coupon_applied',
  'coupon_denied',
  'coupon_removed',
  'product_added_to_wishlist',
  'product_removed_from_wishlist',
  'wishlist_product_added_to_cart',
  'product_shared',
  'cart_shared',
  'product_reviewed',
]);

/** Money properties of the spec (top level, and `price` of each product). */
const MONEY_KEYS = [
  'price',
  'value',
  'revenue',
  'total',
  'subtotal',
  'shipping',
  'tax',
  'discount',
];

export interface SegmentTrackMapping {
  name: string;
  props: JsonObject;
  amount?: unknown;
  currency?: string;
}

/**
 * A Segment track call's name and properties in our terms. Spec events get our names, money in
 * minor units, `products` as our `items`, `coupon` as `coupon_id`; any other event keeps its
 * properties untouched (their units are the app's own) and a snake_case name.
 */
export function mapSegmentTrack(event: string, properties: JsonObject): SegmentTrackMapping {
  const specName = toSnakeCaseName(event);
  const name = SEGMENT_EVENT_NAMES.get(specName) ?? specName;
  if (!SEGMENT_COMMERCE_EVENTS.has(specName)) return { name, props: properties };

  const currency = normalizeCurrency(properties.currency);
  const props: JsonObject = { ...properties };
  delete props.currency;
  for (const key of MONEY_KEYS) if (key in props) props[key] = toMinorUnits(props[key], currency);
  if (Array.isArray(properties.products)) {
    props.items = properties.products.map((product) => mapProduct(product, currency));
    delete props.products;
  }
  if (props.coupon !== undefined && props.coupon_id === undefined) {
    props.coupon_id = props.coupon;
    delete props.coupon;
  }
  const result: SegmentTrackMapping = { name, props };
  const amount = takeAmount(name, props);
  if (amount !== undefined) result.amount = amount;
  if (currency) result.currency = currency;
  return result;
}

/**
 * Our `amount` for the events that have one. Segment's `total` of an order is what was paid
 * (revenue − discount + shipping + tax); its `revenue` is the products before discount, which
 * is our `total`. Without Segment's `total`, the server computes total − discount + shipping.
 */
function takeAmount(name: string, props: JsonObject): unknown {
  switch (name) {
    case 'order_completed': {
      const paid = props.total;
      delete props.total;
      if (props.revenue !== undefined) props.total = props.revenue;
      delete props.revenue;
      return paid;
    }
    case 'order_refunded':
      return props.total ?? props.revenue ?? props.value ?? sumItems(props.items);
    case 'checkout_started': {
      const count = countItems(props.items);
      if (count !== undefined) props.item_count = count;
      return props.total ?? props.value ?? props.revenue;
    }
    default:
      return undefined;
  }
}

function mapProduct(product: unknown, currency: string | undefined): unknown {
  if (!isJsonObject(product)) return product;
  return compactObject({
    // `id` is spec v1's name for the product id.
    product_id: readString(product, 'product_id') ?? readString(product, 'id'),
    sku: readString(product, 'sku'),
    category: readString(product, 'category'),
    name: readString(product, 'name'),
    quantity: product.quantity,
    price: product.price === undefined ? undefined : toMinorUnits(product.price, currency),
  });
}

/** Σ price × quantity of mapped items, when every item has integer ones (a full refund). */
function sumItems(items: unknown): number | undefined {
  if (!Array.isArray(items) || items.length === 0) return undefined;
  let sum = 0;
  for (const item of items) {
    if (!isJsonObject(item) || !Number.isInteger(item.price)) return undefined;
    const quantity = item.quantity ?? 1;
    if (!Number.isInteger(quantity)) return undefined;
    sum += (item.price as number) * (quantity as number);
  }
  return sum;
}

function countItems(items: unknown): number | undefined {
  if (!Array.isArray(items) || items.length === 0) return undefined;
  let count = 0;
  for (const item of items) {
    const quantity = isJsonObject(item) ? (item.quantity ?? 1) : undefined;
    if (!Number.isInteger(quantity)) return undefined;
    count += quantity as number;
  }
  return count;
}

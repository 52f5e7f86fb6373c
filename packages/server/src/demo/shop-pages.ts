import type { DemoProduct } from './create-demo-products.ts';

/** Shown in page titles. */
export const SHOP_NAME = '优选商城';

export interface PageOptions {
  /** Query string without '?', kept in the url but not in `page`. */
  query?: string;
  /** The first page of a session carries referrer and utm_* fields. */
  isLanding?: boolean;
}

/** Opens a page in the current session: pause, then page_view. */
export type OpenPage = (path: string, title: string, options?: PageOptions) => void;

/** The product fields carried by view_product and add_to_cart. */
export function getProductProps(product: DemoProduct): Record<string, string | number> {
  return {
    product_id: product.productId,
    sku: product.sku,
    category: product.category,
    price: product.price,
  };
}

import type { Prng } from './prng.ts';

export interface JsErrorSample {
  message: string;
  stack: string;
  /** The error left the page unusable (a chunk that did not load). */
  fatal: boolean;
}

export interface ErrorSite {
  /** The page that was open, e.g. /product/p123. */
  page: string;
  isMiniProgram: boolean;
  /** A browser on the web release that shipped part-way through the period. */
  isNewRelease: boolean;
}

const STATIC = 'https://static.youxuan.example.com/js';
const frame = (fn: string, file: string, line: number, col: number): string =>
  `    at ${fn} (${STATIC}/${file}:${line}:${col})`;

/** A bug and where it bites: its chance per page view on the pages it lives on. */
interface Bug {
  chance: number;
  isOn(site: ErrorSite): boolean;
  draw(rng: Prng, site: ErrorSite): JsErrorSample;
}

const productIdOf = (page: string, rng: Prng): string =>
  page.startsWith('/product/') ? page.slice('/product/'.length) : `p${rng.int(101, 160)}`;

/**
 * The shop's front-end bugs: a few page-specific ones (the stack names the page's code), one that
 * only the new web release has (at checkout), and some that can happen anywhere. Each becomes one
 * error group, whatever ids and hashes vary between occurrences.
 */
const BUGS: readonly Bug[] = [
  {
    chance: 0.04,
    isOn: (site) => site.page === '/cart' && !site.isMiniProgram,
    draw: () => ({
      message: "TypeError: Cannot read properties of undefined (reading 'price')",
      stack: [
        "TypeError: Cannot read properties of undefined (reading 'price')",
        frame('renderCartItem', 'cart.8f3a2c1d.js', 1, 18342),
        '    at Array.map (<anonymous>)',
        frame('CartList.render', 'cart.8f3a2c1d.js', 1, 17921),
        frame('updateComponent', 'vendor.4b9e7a20.js', 2, 90311),
      ].join('\n'),
      fatal: false,
    }),
  },
  {
    chance: 0.004,
    isOn: (site) => site.page.startsWith('/product/') && !site.isMiniProgram,
    draw: (rng, site) => {
      const message = `Error: Product ${productIdOf(site.page, rng)} not found in store (sku map has ${rng.int(40, 60)} entries)`;
      return {
        message,
        stack: [
          message,
          frame('useProduct', 'product.2a9b8c7d.js', 1, 6120),
          frame('ProductPage.setup', 'product.2a9b8c7d.js', 1, 7044),
          frame('callWithErrorHandling', 'vendor.4b9e7a20.js', 2, 13002),
        ].join('\n'),
        fatal: false,
      };
    },
  },
  {
    chance: 0.012,
    isOn: (site) => site.page.startsWith('/product/') && site.isMiniProgram,
    draw: (rng, site) => {
      const message = `MiniProgramError: Cannot read property 'skuList' of null (page ${productIdOf(site.page, rng)})`;
      return {
        message,
        stack: [
          message,
          '    at Function.onLoad (pages/product/index.js:142:18)',
          '    at Object.onLoad (WAService.js:1:1121877)',
        ].join('\n'),
        fatal: false,
      };
    },
  },
  {
    // Shipped with web release 2.15.0: coupons with the new rule format break the checkout.
    chance: 0.1,
    isOn: (site) => site.page === '/checkout' && site.isNewRelease,
    draw: () => ({
      message: 'TypeError: coupon.rules is not iterable',
      stack: [
        'TypeError: coupon.rules is not iterable',
        frame('applyCoupon', 'checkout.9d8c7b6a.js', 1, 4410),
        frame('CheckoutSummary.computed.total', 'checkout.9d8c7b6a.js', 1, 5127),
        frame('ReactiveEffect.run', 'vendor.6c5d4e3f.js', 2, 11873),
      ].join('\n'),
      fatal: false,
    }),
  },
  {
    chance: 0.003,
    isOn: (site) => !site.isMiniProgram,
    draw: (rng) => {
      const chunk = rng.int(100, 999);
      const message = `ChunkLoadError: Loading chunk ${chunk} failed.\n(error: ${STATIC}/${chunk}.${rng.hex(8)}.js)`;
      return {
        message,
        stack: [
          message.split('\n')[0] ?? message,
          frame('__webpack_require__.f.j', 'runtime.1c2d3e4f.js', 1, 3417),
          frame('Array.reduce', 'runtime.1c2d3e4f.js', 1, 1288),
          frame('loadProductDetail', 'main.5e6f7a8b.js', 1, 40211),
        ].join('\n'),
        fatal: true,
      };
    },
  },
  {
    chance: 0.004,
    isOn: () => true,
    draw: (rng) => {
      const message = `Error: Timeout of 10000ms exceeded (req_${rng.hex(8)})`;
      return {
        message,
        stack: [
          message,
          frame('XMLHttpRequest.handleTimeout', 'vendor.4b9e7a20.js', 2, 51890),
          frame('request', 'main.5e6f7a8b.js', 1, 9981),
          frame('async fetchCart', 'cart.8f3a2c1d.js', 1, 2210),
        ].join('\n'),
        fatal: false,
      };
    },
  },
  {
    chance: 0.003,
    isOn: (site) => !site.isMiniProgram,
    draw: () => ({
      message: 'ResizeObserver loop completed with undelivered notifications.',
      stack: 'ResizeObserver loop completed with undelivered notifications.',
      fatal: false,
    }),
  },
];

/** The error one page view throws, if any (at most one per view). */
export function drawJsError(rng: Prng, site: ErrorSite): JsErrorSample | undefined {
  for (const bug of BUGS) {
    if (bug.isOn(site) && rng.chance(bug.chance)) return bug.draw(rng, site);
  }
  return undefined;
}

import { describe, expect, it } from 'vitest';
import { fingerprintError, normalizeMessage, splitType } from './fingerprint-error.ts';
import { isInAppFile, normalizeFramePath, parseStack } from './parse-stack.ts';

const CDN = 'https://static.youxuan.example.com/js';

const CHROME_CART = [
  "TypeError: Cannot read properties of undefined (reading 'price')",
  `    at renderCartItem (${CDN}/cart.8f3a2c1d.js:1:18342)`,
  '    at Array.map (<anonymous>)',
  `    at CartList.render (${CDN}/cart.8f3a2c1d.js:1:17921)`,
  `    at updateComponent (${CDN}/vendor.4b9e7a20.js:2:90311)`,
  `    at async loadCart (${CDN}/main.5e6f7a8b.js:1:4410)`,
].join('\n');

const FIREFOX_CART = [
  `renderCartItem@${CDN}/cart.8f3a2c1d.js:1:18342`,
  `CartList.render@${CDN}/cart.8f3a2c1d.js:1:17921`,
  `updateComponent@${CDN}/vendor.4b9e7a20.js:2:90311`,
  `loadCart/<@${CDN}/main.5e6f7a8b.js:1:4410`,
  `async*loadCart@${CDN}/main.5e6f7a8b.js:1:4410`,
].join('\n');

describe('parseStack', () => {
  it.each([
    {
      name: 'Chrome / V8 frames, skipping the message line',
      stack: CHROME_CART,
      frames: [
        ['renderCartItem', '/js/cart.<hash>.js', 1, 18342, true],
        ['Array.map', null, null, null, false],
        ['CartList.render', '/js/cart.<hash>.js', 1, 17921, true],
        ['updateComponent', '/js/vendor.<hash>.js', 2, 90311, false],
        ['loadCart', '/js/main.<hash>.js', 1, 4410, true],
      ],
    },
    {
      name: 'Firefox frames with /< and async* decorations',
      stack: FIREFOX_CART,
      frames: [
        ['renderCartItem', '/js/cart.<hash>.js', 1, 18342, true],
        ['CartList.render', '/js/cart.<hash>.js', 1, 17921, true],
        ['updateComponent', '/js/vendor.<hash>.js', 2, 90311, false],
        ['loadCart', '/js/main.<hash>.js', 1, 4410, true],
        ['loadCart', '/js/main.<hash>.js', 1, 4410, true],
      ],
    },
    {
      name: 'Safari: anonymous, global code and native frames',
      stack: [`@${CDN}/app.js:10:3`, 'forEach@[native code]', `global code@${CDN}/app.js:1:1`].join(
        '\n',
      ),
      frames: [
        [null, '/js/app.js', 10, 3, true],
        ['forEach', null, null, null, false],
        ['global code', '/js/app.js', 1, 1, true],
      ],
    },
    {
      name: 'V8 frames without function, with new, aliases, eval, extensions and node_modules',
      stack: [
        'Error: boom',
        `    at ${CDN}/app.js:3:9`,
        `    at new Cart (${CDN}/app.js:4:1)`,
        `    at Object.fn [as handler] (${CDN}/app.js:5:2)`,
        `    at eval (eval at load (${CDN}/app.js:6:7), <anonymous>:1:1)`,
        '    at inject (chrome-extension://abcdefghijklmnop/content.js:1:1)',
        '    at x (webpack:///./node_modules/vue/dist/vue.runtime.esm.js:1:1)',
        '    at async Promise.all (index 0)',
        '    at least one item was expected',
      ].join('\n'),
      frames: [
        [null, '/js/app.js', 3, 9, true],
        ['Cart', '/js/app.js', 4, 1, true],
        ['Object.fn', '/js/app.js', 5, 2, true],
        ['eval', '/js/app.js', 6, 7, true],
        ['inject', '/content.js', 1, 1, false],
        ['x', '/./node_modules/vue/dist/vue.runtime.esm.js', 1, 1, false],
        ['Promise.all', null, null, null, false],
      ],
    },
    {
      name: 'WeChat mini program: its base library is not in-app',
      stack: [
        "MiniProgramError: Cannot read property 'skuList' of null (page p123)",
        '    at Function.onLoad (pages/product/index.js:142:18)',
        '    at Object.onLoad (WAService.js:1:1121877)',
      ].join('\n'),
      frames: [
        ['Function.onLoad', 'pages/product/index.js', 142, 18, true],
        ['Object.onLoad', 'WAService.js', 1, 1121877, false],
      ],
    },
  ])('$name', ({ stack, frames }) => {
    expect(parseStack(stack).map((f) => [f.fn, f.path, f.line, f.column, f.inApp])).toEqual(frames);
  });

  it.each([
    ['https://cdn.example.com/assets/index-BkA3x9_f.js?v=3#x', '/assets/index-<hash>_f.js'],
    ['https://cdn.example.com/js/123.abcdef12.chunk.js', '/js/<n>.<hash>.chunk.js'],
    ['webpack-internal:///./src/views/Cart.vue', '/./src/views/Cart.vue'],
    ['/static/js/vendor-react.js', '/static/js/vendor-react.js'],
  ])('normalises frame path %s', (file, path) => {
    expect(normalizeFramePath(file)).toBe(path);
  });

  it.each([
    ['https://shop.example.com/js/app.js', true],
    ['https://shop.example.com/js/vendors~main.js', false],
    ['https://shop.example.com/js/chunk-vendors.1a2b3c4d.js', false],
    ['https://shop.example.com/vendor/jquery.js', false],
    ['moz-extension://1234/content.js', false],
    ['https://shop.example.com/js/vendorsettings.js', true],
  ])('in-app of %s is %s', (file, inApp) => {
    expect(isInAppFile(file)).toBe(inApp);
  });
});

describe('normalizeMessage', () => {
  it.each([
    [
      "Cannot read properties of undefined (reading 'price')",
      'Cannot read properties of undefined (reading <str>)',
    ],
    [
      'Loading chunk 123 failed.\n(error: https://Static.Example.com/js/123.8f3a2c1d.js?t=1)',
      'Loading chunk <n> failed. (error: https://static.example.com/js/<n>.<hex>.js)',
    ],
    ['Timeout of 10000ms exceeded (req_8f3a2c1d)', 'Timeout of <n>ms exceeded (req_<hex>)'],
    [
      'Product p123 not found in store (sku map has 47 entries)',
      'Product p<n> not found in store (sku map has <n> entries)',
    ],
    ['user 4f9c1e2a-0b1d-4c3e-9f8a-7b6c5d4e3f21 missing', 'user <uuid> missing'],
    ['no account for li.lei+shop@example.com', 'no account for <email>'],
    ['at 0x7ffee4b1c9a0 and deadbeef', 'at <hex> and deadbeef'],
    ['Can\'t find variable: "fooBar"', "Can't find variable: <str>"],
    ['price 12.50 of item 3', 'price <n> of item <n>'],
    [
      'see https://api.example.com/v2/orders/98765/items?page=2 now',
      'see https://api.example.com/v<n>/orders/<n>/items now',
    ],
  ])('%s', (message, normalised) => {
    expect(normalizeMessage(message)).toBe(normalised);
  });

  it.each([
    ['TypeError: x is undefined', 'TypeError', 'x is undefined'],
    ['Uncaught TypeError: x is undefined', 'TypeError', 'x is undefined'],
    [
      'Uncaught (in promise) ChunkLoadError: Loading chunk 7 failed.',
      'ChunkLoadError',
      'Loading chunk 7 failed.',
    ],
    ['Error', 'Error', ''],
    ['Script error.', null, 'Script error.'],
    ['Uncaught Script error.', null, 'Script error.'],
    ['DOMException: The operation was aborted.', 'DOMException', 'The operation was aborted.'],
  ])('splits the type of %s', (message, type, body) => {
    expect(splitType(message)).toEqual({ type, body });
  });
});

describe('fingerprintError', () => {
  const cart = fingerprintError({
    message: "TypeError: Cannot read properties of undefined (reading 'price')",
    stack: CHROME_CART,
  });

  it('titles by type and normalised message, fingerprints on the top 3 in-app frames', () => {
    expect(cart.type).toBe('TypeError');
    expect(cart.title).toBe('TypeError: Cannot read properties of undefined (reading <str>)');
    expect(cart.frames).toEqual([
      '/js/cart.<hash>.js:renderCartItem',
      '/js/cart.<hash>.js:CartList.render',
      '/js/main.<hash>.js:loadCart',
    ]);
    expect(cart.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is the same across releases, hosts, lines, columns and message variables', () => {
    const next = CHROME_CART.replaceAll('static.youxuan.example.com', 'cdn2.example.net')
      .replaceAll('8f3a2c1d', '0a1b2c3d')
      .replaceAll(':1:18342', ':1:20000')
      .replace("'price'", "'name'");
    expect(
      fingerprintError({
        message: "Uncaught TypeError: Cannot read properties of undefined (reading 'name')",
        stack: next,
      }).fingerprint,
    ).toBe(cart.fingerprint);
  });

  it('takes the type from the stack when the message lacks it', () => {
    const bare = fingerprintError({
      message: "Cannot read properties of undefined (reading 'price')",
      stack: CHROME_CART,
    });
    expect(bare.fingerprint).toBe(cart.fingerprint);
  });

  it('differs by function, file, type or message', () => {
    const variants = [
      CHROME_CART.replace('renderCartItem', 'renderCartRow'),
      CHROME_CART.replace('cart.8f3a2c1d.js:1:18342', 'checkout.8f3a2c1d.js:1:18342'),
    ].map((stack) => fingerprintError({ message: null, stack }).fingerprint);
    const typed = fingerprintError({
      message: "RangeError: Cannot read properties of undefined (reading 'price')",
      stack: CHROME_CART.replace('TypeError', 'RangeError'),
    }).fingerprint;
    const other = fingerprintError({
      message: 'TypeError: x is not a function',
      stack: CHROME_CART,
    });
    const all = [cart.fingerprint, ...variants, typed, other.fingerprint];
    expect(new Set(all).size).toBe(all.length);
  });

  it('matches Firefox and Chrome stacks of the same error', () => {
    // Firefox puts no message line in the stack; the same frames give the same fingerprint.
    const firefox = fingerprintError({
      message: "TypeError: Cannot read properties of undefined (reading 'price')",
      stack: FIREFOX_CART,
    });
    expect(firefox.frames).toEqual(cart.frames);
    expect(firefox.fingerprint).toBe(cart.fingerprint);
  });

  it('falls back to library frames when no frame is in-app, and to the message alone', () => {
    const vendorOnly = fingerprintError({
      message: 'Error: boom',
      stack: `Error: boom\n    at a (${CDN}/vendor.1a2b3c4d.js:1:1)\n    at Array.map (<anonymous>)`,
    });
    expect(vendorOnly.frames).toEqual(['/js/vendor.<hash>.js:a']);
    const none = fingerprintError({ message: 'ResizeObserver loop limit exceeded', stack: null });
    expect(none).toMatchObject({
      type: null,
      title: 'ResizeObserver loop limit exceeded',
      frames: [],
    });
    expect(fingerprintError({ message: null, stack: null }).title).toBe('(no message)');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import type { QueryContext } from '../../context/query-context.ts';
import { errorGroupsParams, errorGroupsReport } from './error-groups-report.ts';
import { jsError } from './error-event-fixture.ts';

// Shanghai is UTC+8: local day 2026-11-20 runs from 2026-11-19T16:00Z to 2026-11-20T16:00Z.
const D20 = Date.parse('2026-11-19T16:00:00Z');
const D21 = D20 + 86_400_000;
const HOUR = 3_600_000;
const CDN = 'https://static.example.com/js';

const chrome = (hash: string, col: number) =>
  [
    "TypeError: Cannot read properties of undefined (reading 'price')",
    `    at renderCartItem (${CDN}/cart.${hash}.js:1:${col})`,
    '    at Array.map (<anonymous>)',
    `    at CartList.render (${CDN}/cart.${hash}.js:1:17921)`,
    `    at updateComponent (${CDN}/vendor.4b9e7a20.js:2:90311)`,
  ].join('\n');
const FIREFOX = [
  `renderCartItem@${CDN}/cart.0a0b0c0d.js:1:18342`,
  `CartList.render@${CDN}/cart.0a0b0c0d.js:1:17921`,
  `updateComponent@${CDN}/vendor.4b9e7a20.js:2:90311`,
].join('\n');
const TIMEOUT_STACK = (req: string) =>
  `Error: Timeout of 10000ms exceeded (req_${req})\n    at request (${CDN}/main.5e6f7a8b.js:1:9981)`;
const LONG_STACK = [
  'Error: deep',
  `    at recurse (${CDN}/app.js:1:1)`,
  ...Array.from({ length: 300 }, (_, i) => `    at step${i} (${CDN}/vendor.4b9e7a20.js:1:${i})`),
].join('\n');

const CART_MESSAGE = "TypeError: Cannot read properties of undefined (reading 'price')";

async function runGroups(ctx: QueryContext, params: Record<string, unknown> = {}) {
  return errorGroupsReport.run(ctx, errorGroupsParams.parse(params));
}

describe('error_groups report', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load({
      events: [
        // The cart error four times: two builds, Chrome and Firefox, with and without "Uncaught".
        jsError({
          at: D20,
          message: CART_MESSAGE,
          stack: chrome('8f3a2c1d', 18342),
          user: 'u1',
          page: '/cart',
          release: 'web@2.15.0',
        }),
        jsError({
          at: D20 + 2 * HOUR,
          message: CART_MESSAGE.replace('price', 'name'),
          stack: chrome('1c2d3e4f', 18400),
          anon: 'anon-9',
          page: '/cart',
          release: 'web@2.16.0',
        }),
        jsError({
          at: D20 + 5 * HOUR,
          message: CART_MESSAGE,
          stack: chrome('8f3a2c1d', 18342),
          user: 'u2',
          page: '/checkout',
          release: 'web@2.15.0',
          receivedAt: D21 + HOUR,
        }),
        jsError({
          at: D20 + 6 * HOUR,
          message: `Uncaught ${CART_MESSAGE}`,
          stack: FIREFOX,
          user: 'u2',
          anon: 'anon-2',
          page: '/cart',
          release: 'web@2.16.0',
        }),
        // A timeout with a different request id each time.
        jsError({
          at: D20 + 4 * HOUR,
          message: 'Error: Timeout of 10000ms exceeded (req_99ff88ee)',
          stack: TIMEOUT_STACK('99ff88ee'),
          user: 'u3',
          page: '/home',
        }),
        jsError({
          at: D20 + 3 * HOUR,
          message: 'Error: Timeout of 10000ms exceeded (req_0a1b2c3d)',
          stack: TIMEOUT_STACK('0a1b2c3d'),
          user: 'u3',
          page: '/home',
        }),
        // No stack at all; and one whose stack is longer than the part read for fingerprints.
        jsError({
          at: D20 + HOUR,
          message: 'ResizeObserver loop limit exceeded',
          stack: null,
          anon: 'anon-7',
        }),
        jsError({ at: D20 + 7 * HOUR, message: 'Error: deep', stack: LONG_STACK, user: 'u4' }),
        // Left out: a bot, the local 19th, the local 21st, another event.
        jsError({
          at: D20 + HOUR,
          message: CART_MESSAGE,
          stack: chrome('8f3a2c1d', 1),
          user: 'bot',
          bot: true,
        }),
        jsError({ at: D20 - 1, message: CART_MESSAGE, stack: chrome('8f3a2c1d', 1), user: 'u9' }),
        jsError({ at: D21, message: CART_MESSAGE, stack: chrome('8f3a2c1d', 1), user: 'u9' }),
        makeEventRow({
          eventTime: D20 + HOUR,
          name: 'page_view',
          type: 'page',
          props: '{"message":"x"}',
        }),
      ],
      // anon-9 logged in as u1 later that day: one person.
      identities: [
        { projectId: 'p_test', anonymousId: 'anon-9', userId: 'u1', linkedAt: D20 + 8 * HOUR },
      ],
    });
  });
  afterAll(() => f.close());

  const day = () => f.ctx({ from: D20, to: D21 });

  it('groups by fingerprint with counts, merged users, releases and pages', async () => {
    const result = await runGroups(day());
    expect(result).toMatchObject({
      totalEvents: 8,
      totalGroups: 4,
      pairsTruncated: false,
      occurrences: null,
    });
    expect(result.groups.map((g) => [g.title, g.count, g.users])).toEqual([
      ['TypeError: Cannot read properties of undefined (reading <str>)', 4, 2],
      ['Error: Timeout of <n>ms exceeded (req_<hex>)', 2, 1],
      ['Error: deep', 1, 1], // ties on count: the most recent first
      ['ResizeObserver loop limit exceeded', 1, 1],
    ]);
    const [cart, timeout] = result.groups;
    expect(cart).toMatchObject({
      type: 'TypeError',
      frames: ['/js/cart.<hash>.js:renderCartItem', '/js/cart.<hash>.js:CartList.render'],
      firstSeen: new Date(D20).toISOString(),
      lastSeen: new Date(D20 + 6 * HOUR).toISOString(),
      sampleMessage: `Uncaught ${CART_MESSAGE}`,
      sampleStack: FIREFOX,
      releases: [
        { release: 'web@2.15.0', count: 2 },
        { release: 'web@2.16.0', count: 2 },
      ],
      topPages: [
        { page: '/cart', count: 3 },
        { page: '/checkout', count: 1 },
      ],
    });
    expect(timeout).toMatchObject({
      sampleMessage: 'Error: Timeout of 10000ms exceeded (req_99ff88ee)',
      firstSeen: new Date(D20 + 3 * HOUR).toISOString(),
      releases: [{ release: null, count: 2 }],
    });
    // The sample stack is the whole stack, not the part fingerprinted.
    expect(result.groups[2]?.sampleStack).toBe(LONG_STACK);
    expect(result.groups[2]?.frames).toEqual(['/js/app.js:recurse']);
  });

  it('limits the list, and answers empty ranges', async () => {
    const top = await runGroups(day(), { limit: 1 });
    expect(top.groups).toHaveLength(1);
    expect(top.totalGroups).toBe(4);
    const empty = await runGroups(f.ctx({ from: D21 + HOUR, to: D21 + 2 * HOUR }));
    expect(empty).toEqual({
      totalEvents: 0,
      totalGroups: 0,
      pairsTruncated: false,
      groups: [],
      occurrences: null,
    });
  });

  it('lists the latest occurrences of one group, with the merged person', async () => {
    const all = await runGroups(day());
    const fingerprint = all.groups[0]?.fingerprint as string;
    const detail = await runGroups(day(), { fingerprint });
    expect(detail.groups.map((g) => g.fingerprint)).toEqual([fingerprint]);
    expect(detail.occurrences?.map((o) => [o.time, o.user, o.page, o.release])).toEqual([
      [new Date(D20 + 6 * HOUR).toISOString(), 'u2', '/cart', 'web@2.16.0'],
      [new Date(D20 + 5 * HOUR).toISOString(), 'u2', '/checkout', 'web@2.15.0'],
      [new Date(D20 + 2 * HOUR).toISOString(), 'u1', '/cart', 'web@2.16.0'],
      [new Date(D20).toISOString(), 'u1', '/cart', 'web@2.15.0'],
    ]);
    expect(detail.occurrences?.[0]).toMatchObject({ browser: 'Chrome', os: 'Android' });
    const table = errorGroupsReport.toTable(detail, errorGroupsParams.parse({ fingerprint }));
    expect(table.rows).toHaveLength(4);
    const missing = await runGroups(day(), { fingerprint: '0000000000000000' });
    expect(missing).toMatchObject({ groups: [], occurrences: [] });
  });

  it('follows the filter bar', async () => {
    const result = await runGroups(
      f.ctx({
        from: D20,
        to: D21,
        filters: [{ dimension: 'release', op: 'eq', value: 'web@2.16.0' }],
      }),
    );
    expect(result.groups.map((g) => [g.count, g.users])).toEqual([[2, 2]]);
  });
});

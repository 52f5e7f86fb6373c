import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createStableEventId,
  getCurrencyDigits,
  getPlatformOfLibrary,
  toMinorUnits,
  toSnakeCaseName,
} from './compat-values.ts';

describe('toSnakeCaseName', () => {
  it.each([
    ['Order Completed', 'order_completed'],
    ['order_completed', 'order_completed'],
    ['orderCompleted', 'order_completed'],
    ['order-completed', 'order_completed'],
    ['  Video Played (HD)! ', 'video_played_hd'],
    ['HTTPRequestFailed', 'http_request_failed'],
    ['Step2Completed', 'step2_completed'],
    ['加入购物车', '加入购物车'],
    ['$pageview', '$pageview'],
    ['$feature_flag_called', '$feature_flag_called'],
    ['!!!', '!!!'],
  ])('%s → %s', (given, expected) => {
    expect(toSnakeCaseName(given)).toBe(expected);
  });
});

describe('toMinorUnits', () => {
  it.each([
    [12.9, 'CNY', 1290],
    [12.9, undefined, 1290],
    [0.1 + 0.2, 'USD', 30],
    [1.005, 'USD', 101],
    [19.99, 'EUR', 1999],
    [1500, 'JPY', 1500],
    [1500.5, 'JPY', 1501],
    [1.234, 'KWD', 1234],
    [33.333333, 'USD', 3333],
    [-2.5, 'USD', -250],
    [0, 'USD', 0],
    ['12.90', 'USD', 1290],
    [1e-7, 'USD', 0],
  ])('%s %s → %s', (value, currency, expected) => {
    expect(toMinorUnits(value, currency)).toBe(expected);
  });

  it('leaves what is not a number for validation to report', () => {
    expect(toMinorUnits('free', 'USD')).toBe('free');
    expect(toMinorUnits(null, 'USD')).toBe(null);
    expect(toMinorUnits(Number.NaN, 'USD')).toBeNaN();
  });

  it('gives back the cents of any price written with two decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (cents) => {
        const written = Number(
          `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
        );
        expect(toMinorUnits(written, 'CNY')).toBe(cents);
      }),
    );
  });

  it('knows the minor-unit digits of ISO 4217 currencies', () => {
    expect([getCurrencyDigits('CNY'), getCurrencyDigits('JPY'), getCurrencyDigits('KWD')]).toEqual([
      2, 0, 3,
    ]);
    expect(getCurrencyDigits('XXQ')).toBe(2);
  });
});

describe('createStableEventId', () => {
  it('is a version 5 UUID that depends on project, tracker and message id', () => {
    const id = createStableEventId('shop', 'segment', 'm-1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(createStableEventId('shop', 'segment', 'm-1')).toBe(id);
    expect(
      new Set([
        id,
        createStableEventId('shop2', 'segment', 'm-1'),
        createStableEventId('shop', 'posthog', 'm-1'),
        createStableEventId('shop', 'segment', 'm-2'),
      ]).size,
    ).toBe(4);
  });
});

describe('getPlatformOfLibrary', () => {
  it.each([
    ['@segment/analytics-node', 'server'],
    ['analytics.js', 'web'],
    ['analytics-ios', 'ios'],
    ['analytics-android', 'android'],
    ['analytics-python', 'server'],
    ['analytics-go', 'server'],
    ['web', 'web'],
    ['posthog-node', 'server'],
    ['posthog-ios', 'ios'],
    ['posthog-js-lite', 'web'],
    ['posthog-flutter', undefined],
    [undefined, undefined],
  ])('%s → %s', (library, expected) => {
    expect(getPlatformOfLibrary(library)).toBe(expected);
  });
});

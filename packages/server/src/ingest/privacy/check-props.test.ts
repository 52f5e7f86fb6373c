import { INGEST_LIMITS } from '@sightline/shared';
import { describe, expect, it } from 'vitest';
import { checkProps } from './check-props.ts';
import type { PropsLimits } from './check-props.ts';

/** Small limits so that each boundary is easy to write out by hand. */
const SMALL: PropsLimits = {
  maxProps: 3,
  maxPropKeyChars: 5,
  maxPropStringChars: 4,
  maxPropDepth: 2,
  maxPropArrayItems: 2,
};

class Point {
  x = 1;
}

const keysObject = (count: number): Record<string, number> =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i]));

describe('checkProps', () => {
  it.each<[string, unknown]>([
    ['empty object', {}],
    ['scalars at the limits', { a: 'abcd', bb: 1.5, ccccc: true }],
    ['null, zero, negative, empty string', { a: null, b: 0, c: -0.25 }],
    ['depth 2 object', { a: { b: { c: 'x' } } }],
    ['depth 2 arrays', { a: [[1, 2], []] }],
    ['array at item limit', { a: ['x', 'y'] }],
    ['empty key', { '': 1 }],
    ['null prototype', Object.assign(Object.create(null) as object, { a: 1 })],
  ])('accepts %s', (_label, value) => {
    expect(checkProps(value, SMALL)).toBeNull();
  });

  it.each<[string, unknown, string]>([
    ['null', null, 'props must be a plain object, got null'],
    ['an array', [1], 'props must be a plain object, got array'],
    ['a string', 'x', 'props must be a plain object, got string'],
    ['a Date', new Date(0), 'props must be a plain object, got Date'],
    ['a class instance', new Point(), 'props must be a plain object, got Point'],
    ['too many keys', keysObject(4), 'props has 4 keys (max 3)'],
    ['too many nested keys', { a: keysObject(4) }, 'props.a has 4 keys (max 3)'],
    ['long key', { abcdef: 1 }, 'props.abcdef…: key longer than 5 characters'],
    ['long nested key', { a: [{ abcdef: 1 }] }, 'props.a[0].abcdef…: key longer than 5 characters'],
    ['long string', { a: 'abcde' }, 'props.a: string longer than 4 characters'],
    ['long nested string', { a: { b: 'abcde' } }, 'props.a.b: string longer than 4 characters'],
    [
      'long string in an array',
      { a: ['ok', 'abcde'] },
      'props.a[1]: string longer than 4 characters',
    ],
    ['NaN', { k: Number.NaN }, 'props.k: non-finite number'],
    ['Infinity', { k: Number.POSITIVE_INFINITY }, 'props.k: non-finite number'],
    [
      '-Infinity in an array',
      { k: [1, Number.NEGATIVE_INFINITY] },
      'props.k[1]: non-finite number',
    ],
    ['object at depth 3', { a: { b: { c: {} } } }, 'props.a.b.c: nesting deeper than 2'],
    ['array at depth 3', { x: [[[]]] }, 'props.x[0][0]: nesting deeper than 2'],
    ['long array', { a: [1, 2, 3] }, 'props.a: array has 3 items (max 2)'],
    ['undefined', { u: undefined }, 'props.u: unsupported value (undefined)'],
    ['function', { f: () => 1 }, 'props.f: unsupported value (function)'],
    ['bigint', { n: 1n }, 'props.n: unsupported value (bigint)'],
    ['symbol', { s: Symbol('s') }, 'props.s: unsupported value (symbol)'],
    ['Date value', { d: new Date(0) }, 'props.d: unsupported value (Date)'],
    ['Map value', { m: new Map() }, 'props.m: unsupported value (Map)'],
    ['class instance value', { p: new Point() }, 'props.p: unsupported value (Point)'],
    [
      'first problem wins',
      { a: 'abcde', b: Number.NaN },
      'props.a: string longer than 4 characters',
    ],
  ])('rejects %s', (_label, value, reason) => {
    expect(checkProps(value, SMALL)).toBe(reason);
  });

  it('stops at the depth limit on a self-referencing object', () => {
    const loop: Record<string, unknown> = {};
    loop['self'] = loop;
    expect(checkProps(loop, SMALL)).toBe('props.self.self.self: nesting deeper than 2');
  });

  describe('with INGEST_LIMITS', () => {
    it.each<[string, unknown, string | null]>([
      ['own __proto__ key from JSON', JSON.parse('{"__proto__": {"x": 1}}'), null],
      ['100 keys', keysObject(100), null],
      ['101 keys', keysObject(101), 'props has 101 keys (max 100)'],
      ['128-char key', { ['k'.repeat(128)]: 1 }, null],
      [
        '129-char key',
        { ['k'.repeat(129)]: 1 },
        `props.${'k'.repeat(32)}…: key longer than 128 characters`,
      ],
      ['4,096-char string', { a: { b: 's'.repeat(4_096) } }, null],
      [
        '4,097-char string',
        { a: { b: 's'.repeat(4_097) } },
        'props.a.b: string longer than 4096 characters',
      ],
      ['depth 4', { x: { a: { b: { c: [] } } } }, null],
      ['depth 5', { x: { a: { b: { c: [{}] } } } }, 'props.x.a.b.c[0]: nesting deeper than 4'],
      ['100 items', { a: Array.from({ length: 100 }, () => 0) }, null],
      [
        '101 items',
        { a: Array.from({ length: 101 }, () => 0) },
        'props.a: array has 101 items (max 100)',
      ],
    ])('%s', (_label, value, reason) => {
      expect(checkProps(value, INGEST_LIMITS)).toBe(reason);
    });
  });
});

import { describe, expect, it } from 'vitest';
import { applyDenylist } from './apply-denylist.ts';

describe('applyDenylist', () => {
  const props = {
    Email: 'bob@shop.cn',
    sku: 'SKU-1',
    buyer: { name: 'Bob', Address: { street: 'Main St 1', city: 'Shenzhen' }, idCard: 'x' },
    items: [
      { sku: 'A', email: 'a@x.cn' },
      { sku: 'B', nested: [{ email: 'b@x.cn' }] },
    ],
    tags: ['email', 'sku'],
  };

  it.each<[string, string[], Record<string, unknown>, string[]]>([
    [
      'top-level name, any case',
      ['email'],
      {
        sku: 'SKU-1',
        buyer: props.buyer,
        items: [{ sku: 'A' }, { sku: 'B', nested: [{}] }],
        tags: ['email', 'sku'],
      },
      ['Email', 'items.0.email', 'items.1.nested.0.email'],
    ],
    [
      'upper-case entry',
      ['IDCARD'],
      {
        ...props,
        buyer: { name: 'Bob', Address: props.buyer.Address },
      },
      ['buyer.idCard'],
    ],
    [
      'dotted path',
      ['buyer.address.street'],
      {
        ...props,
        buyer: { name: 'Bob', Address: { city: 'Shenzhen' }, idCard: 'x' },
      },
      ['buyer.Address.street'],
    ],
    [
      'path to an object',
      ['buyer.address'],
      {
        ...props,
        buyer: { name: 'Bob', idCard: 'x' },
      },
      ['buyer.Address'],
    ],
    [
      'path through an array ignores the index',
      ['items.sku'],
      {
        ...props,
        items: [{ email: 'a@x.cn' }, { nested: [{ email: 'b@x.cn' }] }],
      },
      ['items.0.sku', 'items.1.sku'],
    ],
    [
      'path through nested arrays',
      ['items.nested.email'],
      {
        ...props,
        items: [props.items[0], { sku: 'B', nested: [{}] }],
      },
      ['items.1.nested.0.email'],
    ],
    ['a path only matches at its depth', ['address.street'], props, []],
    [
      'name and path together',
      [' sku ', 'buyer'],
      {
        Email: 'bob@shop.cn',
        items: [{ email: 'a@x.cn' }, { nested: [{ email: 'b@x.cn' }] }],
        tags: ['email', 'sku'],
      },
      ['sku', 'buyer', 'items.0.sku', 'items.1.sku'],
    ],
    ['array values are not keys', ['tags.email'], props, []],
    ['no match', ['password'], props, []],
  ])('%s', (_label, denied, expected, removed) => {
    const snapshot = structuredClone(props);
    const result = applyDenylist(props, new Set(denied));
    expect(result).toEqual({ props: expected, removed });
    expect(props).toEqual(snapshot);
    if (removed.length === 0) expect(result.props).toBe(props);
  });

  it('returns the input and no removals for an empty denylist', () => {
    const result = applyDenylist(props, new Set());
    expect(result.props).toBe(props);
    expect(result.removed).toEqual([]);
  });

  it('keeps untouched branches by reference', () => {
    const result = applyDenylist(props, new Set(['idcard']));
    expect(result.props['items']).toBe(props.items);
    expect((result.props['buyer'] as Record<string, unknown>)['Address']).toBe(props.buyer.Address);
  });

  it('keeps key order', () => {
    const result = applyDenylist(
      { a: 1, secret: 2, b: { c: 3, token: 4 }, d: 5 },
      new Set(['secret', 'token']),
    );
    expect(JSON.stringify(result.props)).toBe('{"a":1,"b":{"c":3},"d":5}');
  });

  it('removes an own __proto__ key from JSON', () => {
    const input = JSON.parse('{"__proto__": {"x": 1}, "ok": 1}') as Record<string, unknown>;
    const result = applyDenylist(input, new Set(['__proto__']));
    expect(Object.hasOwn(result.props, '__proto__')).toBe(false);
    expect(result.props).toEqual({ ok: 1 });
    expect(result.removed).toEqual(['__proto__']);
  });

  it('rebuilds its lower-case copy when the set grows', () => {
    const denied = new Set(['a']);
    expect(applyDenylist({ a: 1, b: 2 }, denied).props).toEqual({ b: 2 });
    denied.add('B');
    expect(applyDenylist({ a: 1, b: 2 }, denied).props).toEqual({});
  });
});

import { describe, expect, it } from 'vitest';
import { hashValue } from './hash-ip.ts';
import { scrubPii } from './scrub-pii.ts';

const SALT = 'test-salt';
const hashed = (normalised: string): string => `sha256:${hashValue(normalised, SALT)}`;

describe('scrubPii', () => {
  // [label, value, the normalised text that gets hashed]
  it.each([
    ['plain email', 'bob@shop.cn', 'bob@shop.cn'],
    ['email, upper-case and padded', '  Bob.Smith+vip@Example.COM ', 'bob.smith+vip@example.com'],
    ['email with subdomains', 'a_b-c%d@mail.corp.example.co.uk', 'a_b-c%d@mail.corp.example.co.uk'],
    ['email inside text', 'Contact: Alice@Shop.cn please', 'contact: alice@shop.cn please'],
    [
      'email in a URL with credentials',
      'https://user:pw@host.example.com/x',
      'https://user:pw@host.example.com/x',
    ],
    ['mainland mobile', '13800138000', '13800138000'],
    ['mobile 19x', '19912345678', '19912345678'],
    ['mobile with spaces', '138 0013 8000', '13800138000'],
    ['mobile with dashes', '138-0013-8000', '13800138000'],
    ['mobile with +86', '+8613800138000', '13800138000'],
    ['mobile with +86 and spaces', '+86 138 0013 8000', '13800138000'],
    ['mobile with 86-', '86-138-0013-8000', '13800138000'],
    ['mobile with 86 and no separator', '8613800138000', '13800138000'],
    ['mobile inside Chinese text', '手机13800138000请回电', '手机13800138000请回电'],
    ['mobile after a colon', 'tel:13800138000', 'tel:13800138000'],
    ['mobile in a query string', '/u?mobile=13800138000&x=1', '/u?mobile=13800138000&x=1'],
    ['mobile in a path', '/users/13800138000/orders', '/users/13800138000/orders'],
    [
      'two phones in text',
      'A 138-0013-8000 / B +86 139 0013 9000',
      'a 13800138000 / b 13900139000',
    ],
    ['E.164 compact', '+14155552671', '14155552671'],
    ['E.164 8 digits', '+12345678', '12345678'],
    ['E.164 15 digits', '+123456789012345', '123456789012345'],
    ['E.164 grouped with spaces', '+1 415 555 2671', '14155552671'],
    ['E.164 grouped with dashes', '+44-20-7946-0958', '442079460958'],
    ['E.164 UK grouped', 'call +44 20 7946 0958 now', 'call 442079460958 now'],
  ])('hashes %s', (_label, value, normalised) => {
    const result = scrubPii({ value }, SALT);
    expect(result).toEqual({ props: { value: hashed(normalised) }, hashedCount: 1 });
  });

  it.each([
    ['order id', 'ORD-20241121-000123'],
    ['order id with a mobile-like tail', 'ORD-13800138000'],
    ['long numeric order id', '202411211380013800012'],
    ['13-digit epoch ms', '1732147200000'],
    ['epoch ms as a number-like string in text', 'ts=1732147200000'],
    ['10-digit epoch seconds', '1732147200'],
    ['ISO timestamp', '2024-11-21T13:00:00.138+08:00'],
    ['signed ISO date', '+2024-11-21'],
    ['UUID', '550e8400-e29b-41d4-a716-446655440000'],
    ['UUID with a digit-only group', 'e29b41d4-a716-4466-8000-138001380001'],
    ['price', '138.00'],
    ['large price', '13800138000.00'],
    ['decimal fraction', '0.13800138000'],
    ['currency amount', '¥13,800,138,000'],
    ['product code', 'SKU13800138000'],
    ['product code with a suffix', '13800138000A'],
    ['underscored id', 'user_13800138000'],
    ['12-digit number', '138001380001'],
    ['10-digit mobile-like', '1380013800'],
    ['landline', '010-12345678'],
    ['mobile starting 12', '12800138000'],
    ['16-digit E.164-like', '+1234567890123456'],
    ['7-digit E.164-like', '+1234567'],
    ['plus inside an expression', '1+23456789'],
    ['timezone offset', '+08:00'],
    ['retina image', 'https://cdn.example.com/img/logo@2x.png'],
    ['npm package', '@sightline/sdk@1.2.3'],
    ['mention', '@alice'],
    ['at sign without domain', 'user@localhost'],
    ['bank-like groups', '6222 1380 0138 0001'],
    ['empty', ''],
    ['text', '双十一大促 满300减50'],
  ])('leaves %s alone', (_label, value) => {
    const props = { value };
    const result = scrubPii(props, SALT);
    expect(result.hashedCount).toBe(0);
    expect(result.props).toBe(props);
  });

  it('walks nested objects and arrays, copying only the changed path', () => {
    const untouched = { sku: 'SKU-1', qty: 2 };
    const props = {
      name: 'checkout',
      total: 138.5,
      paid: true,
      none: null,
      items: [untouched, { note: 'ship to bob@shop.cn' }],
      buyer: { contact: { phone: '13800138000', tags: ['vip', '+8613900139000'] } },
    };
    const snapshot = structuredClone(props);
    const result = scrubPii(props, SALT);
    expect(result).toEqual({
      props: {
        name: 'checkout',
        total: 138.5,
        paid: true,
        none: null,
        items: [untouched, { note: hashed('ship to bob@shop.cn') }],
        buyer: { contact: { phone: hashed('13800138000'), tags: ['vip', hashed('13900139000')] } },
      },
      hashedCount: 3,
    });
    expect(props).toEqual(snapshot);
    expect(result.props).not.toBe(props);
    expect((result.props['items'] as unknown[])[0]).toBe(untouched);
  });

  it('hashes the same person the same way across spellings', () => {
    const result = scrubPii(
      { a: '+86 138-0013-8000', b: '13800138000', c: 'Bob@Shop.CN', d: 'bob@shop.cn' },
      SALT,
    );
    expect(result.props['a']).toBe(result.props['b']);
    expect(result.props['c']).toBe(result.props['d']);
    expect(result.hashedCount).toBe(4);
  });

  it('depends on the salt', () => {
    const a = scrubPii({ v: 'bob@shop.cn' }, 'salt-a').props['v'];
    const b = scrubPii({ v: 'bob@shop.cn' }, 'salt-b').props['v'];
    expect(a).not.toBe(b);
  });

  it('replaces an own __proto__ key from JSON instead of setting the prototype', () => {
    const props = JSON.parse('{"__proto__": "bob@shop.cn", "ok": 1}') as Record<string, unknown>;
    const result = scrubPii(props, SALT);
    expect(Object.getOwnPropertyDescriptor(result.props, '__proto__')?.value).toBe(
      hashed('bob@shop.cn'),
    );
    expect(Object.getPrototypeOf(result.props)).toBe(Object.prototype);
    expect(result.hashedCount).toBe(1);
  });

  it('stays linear on long near-miss strings', () => {
    const nearMisses = [
      'a'.repeat(4_096),
      'a.'.repeat(2_048),
      `${'a'.repeat(4_000)}@`,
      '@a.'.repeat(1_365),
      '1'.repeat(4_096),
      '+1 '.repeat(1_365),
      '138 '.repeat(1_024),
    ];
    const startedAt = performance.now();
    for (const value of nearMisses) scrubPii({ value }, SALT);
    // Quadratic backtracking over 4,096 characters takes seconds; linear scans take well under 1 ms.
    expect(performance.now() - startedAt).toBeLessThan(250);
  });
});

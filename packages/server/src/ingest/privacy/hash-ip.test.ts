import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashIp, hashValue } from './hash-ip.ts';

describe('hashIp and hashValue', () => {
  it.each([
    // Expected values from `printf %s VALUE | openssl dgst -sha256 -hmac SALT`, first 32 chars.
    ['120.24.78.68', 'salt-1', '5438f598e448340e1bb7489f6fc1342f'],
    ['2400:3200:baba::1', 'salt-1', '1ac8bb087c0d1014a1daad6b82ce8119'],
    ['120.24.78.68', 'salt-2', '2576a1f1acc8e35372d4179a4b647e1d'],
    ['', 'salt-1', 'a51a0f5bb57dea9e3d7b35d409866234'],
  ])('hashIp(%j, %j) = %s', (ip, salt, expected) => {
    expect(hashIp(ip, salt)).toBe(expected);
  });

  it.each([
    ['13800138000', 'salt-1', '36e1b2c146d888376af85fbab092f5f2'],
    ['广东省深圳市南山区科技园', 'salt-1', '4ea002968ba489849b6f9251e79f5d94'],
  ])('hashValue(%j, %j) = %s', (value, salt, expected) => {
    expect(hashValue(value, salt)).toBe(expected);
  });

  it('is HMAC-SHA256 keyed by the salt, truncated to 32 hex characters', () => {
    for (const [value, salt] of [
      ['1.2.3.4', 's'],
      ['a@b.cn', 'another salt'],
    ] as const) {
      const full = createHmac('sha256', salt).update(value).digest('hex');
      expect(hashValue(value, salt)).toBe(full.slice(0, 32));
      expect(hashValue(value, salt)).toMatch(/^[0-9a-f]{32}$/);
    }
  });
});

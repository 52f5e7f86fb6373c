import { describe, expect, it } from 'vitest';
import { setOwnProperty } from './set-own-property.ts';

describe('setOwnProperty', () => {
  it.each([['name'], ['__proto__'], ['constructor'], ['']])('sets %j as an own property', (key) => {
    const target: Record<string, unknown> = {};
    setOwnProperty(target, key, 'value');
    expect(Object.getOwnPropertyDescriptor(target, key)).toEqual({
      value: 'value',
      writable: true,
      enumerable: true,
      configurable: true,
    });
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(JSON.stringify(target)).toBe(`{"${key}":"value"}`);
  });
});

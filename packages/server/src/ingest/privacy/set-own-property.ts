/**
 * Assigns `target[key] = value` as an own data property. A plain assignment to `__proto__` would
 * change the prototype instead (and silently keep the old value), and JSON.parse does produce own
 * `__proto__` keys, so copies of untrusted objects must not use `=` for that key.
 */
export function setOwnProperty(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

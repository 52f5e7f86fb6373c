import { hashValue } from './hash-ip.ts';
import { setOwnProperty } from './set-own-property.ts';

export interface ScrubPiiResult {
  /** The input itself when nothing was hashed, else a copy with hashed strings. */
  props: Record<string, unknown>;
  /** Strings replaced. */
  hashedCount: number;
}

export const PII_HASH_PREFIX = 'sha256:';

/**
 * The part of an email address after `@`. Scanning starts at each `@` (sticky flag) instead of
 * at every character, and the quantifiers are bounded (RFC 5321: 63-character labels), so a
 * 4,096-character value of near-misses costs microseconds, not the milliseconds a free-running
 * `local@domain` pattern spends re-reading the local part from every start. `@2x.` is excluded
 * because retina image names (logo@2x.png) would otherwise look like addresses.
 */
const EMAIL_DOMAIN_PATTERN = /(?!\d{1,2}x\.)(?:[a-z0-9-]{1,63}\.){1,8}[a-z]{2,24}(?![a-z0-9-])/iy;

/**
 * A mainland mobile (1[3-9] + 9 digits, optionally +86/86, optionally split by spaces or dashes)
 * or an E.164 number (+ then 8–15 digits, compact or grouped after a 1–3 digit country code).
 * The boundaries keep digits inside longer numbers out: no letter, digit, `_`, `-`, `+` or `.`
 * before, and no letter, digit or decimal part after, so order ids, 13-digit epoch milliseconds,
 * UUID groups, product codes and prices do not match. Grouping needs a separator after the
 * country code, so a signed date like +2024-11-21 is not a phone number.
 */
const PHONE_SOURCE =
  String.raw`(?<![\w.+-])(?:(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d){8}` +
  String.raw`|\+(?=(?:[ -]?\d){8,15}(?![ -]?\d))(?:\d{8,15}|\d{1,3}(?:[ -]\d{1,4}){2,5}))` +
  String.raw`(?!\w|\.\d)`;
const PHONE_PATTERN = new RegExp(PHONE_SOURCE);
const PHONE_PATTERN_GLOBAL = new RegExp(PHONE_SOURCE, 'g');
const NON_DIGITS_PATTERN = /\D/g;
const CHINA_MOBILE_WITH_COUNTRY_CODE_PATTERN = /^861[3-9]\d{9}$/;

/** The shortest strings that can hold a match: `a@b.cn` and `+12345678`. */
const MIN_EMAIL_CHARS = 6;
const MIN_PHONE_CHARS = 9;

interface ScrubState {
  salt: string;
  hashedCount: number;
}

/**
 * Replaces every string in `props` (at any depth, inside arrays too) that contains an email
 * address or a phone number with `sha256:` + {@link hashValue} of the normalised whole string:
 * trimmed, lower-case, and each phone number reduced to its digits (a mainland mobile without
 * +86). So "Bob@Shop.cn" and "bob@shop.cn", or "+86 138-0013-8000" and "13800138000", hash alike.
 * Keys are left as they are. The input is never mutated; it is returned as is when clean.
 */
export function scrubPii(props: Record<string, unknown>, salt: string): ScrubPiiResult {
  const state: ScrubState = { salt, hashedCount: 0 };
  return { props: scrubObject(props, state), hashedCount: state.hashedCount };
}

function scrubValue(value: unknown, state: ScrubState): unknown {
  if (typeof value === 'string') {
    if (!containsPii(value)) return value;
    state.hashedCount++;
    return PII_HASH_PREFIX + hashValue(normalizePii(value), state.salt);
  }
  if (Array.isArray(value)) return scrubArray(value, state);
  if (value !== null && typeof value === 'object') {
    return scrubObject(value as Record<string, unknown>, state);
  }
  return value;
}

function scrubObject(object: Record<string, unknown>, state: ScrubState): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  // for…in rather than Object.keys: no key array per object on the common, clean path.
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    const value = object[key];
    const scrubbed = scrubValue(value, state);
    if (scrubbed === value) continue;
    copy ??= { ...object };
    setOwnProperty(copy, key, scrubbed);
  }
  return copy ?? object;
}

function scrubArray(array: readonly unknown[], state: ScrubState): readonly unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < array.length; i++) {
    const value = array[i];
    const scrubbed = scrubValue(value, state);
    if (scrubbed === value) continue;
    copy ??= array.slice();
    copy[i] = scrubbed;
  }
  return copy ?? array;
}

function containsPii(value: string): boolean {
  if (value.length >= MIN_EMAIL_CHARS && containsEmail(value)) return true;
  return value.length >= MIN_PHONE_CHARS && PHONE_PATTERN.test(value);
}

function containsEmail(value: string): boolean {
  for (let at = value.indexOf('@', 1); at !== -1; at = value.indexOf('@', at + 1)) {
    if (!isEmailLocalChar(value.charCodeAt(at - 1))) continue;
    EMAIL_DOMAIN_PATTERN.lastIndex = at + 1;
    if (EMAIL_DOMAIN_PATTERN.test(value)) return true;
  }
  return false;
}

/** [A-Za-z0-9._%+-]: one such character before `@` is enough to call it a local part. */
function isEmailLocalChar(code: number): boolean {
  const lower = code | 0x20;
  return (
    (lower >= 0x61 && lower <= 0x7a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2e ||
    code === 0x5f ||
    code === 0x25 ||
    code === 0x2b ||
    code === 0x2d
  );
}

function normalizePii(value: string): string {
  return value.trim().toLowerCase().replace(PHONE_PATTERN_GLOBAL, toPhoneDigits);
}

function toPhoneDigits(phone: string): string {
  const digits = phone.replace(NON_DIGITS_PATTERN, '');
  return CHINA_MOBILE_WITH_COUNTRY_CODE_PATTERN.test(digits) ? digits.slice(2) : digits;
}

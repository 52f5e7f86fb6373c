import { createHmac } from 'node:crypto';

/** 128 bits of the HMAC: collisions stay negligible, and columns stay half the size. */
const HASH_HEX_CHARS = 32;

/**
 * Hashes a client IP address with a secret salt: HMAC-SHA256(salt, ip), hex, first 32 characters.
 * Keyed so that nobody without the salt can reverse the small IPv4 space by brute force.
 */
export function hashIp(ip: string, salt: string): string {
  return hashValue(ip, salt);
}

/** Hashes any identifying value (addresses, emails, phone numbers) the same way as {@link hashIp}. */
export function hashValue(value: string, salt: string): string {
  return createHmac('sha256', salt).update(value).digest('hex').slice(0, HASH_HEX_CHARS);
}

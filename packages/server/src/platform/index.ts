export { createFakeClock, systemClock, type Clock } from './clock.ts';
export {
  createId,
  createRandomToken,
  decryptWithSecret,
  encryptWithSecret,
  hmacSha256Hex,
  safeEqual,
  sha256Hex,
} from './secrets-crypto.ts';

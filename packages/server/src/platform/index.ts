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
export {
  createRateLimiter,
  type RateDecision,
  type RateLimiter,
  type RateLimiterOptions,
} from './rate-limiter.ts';
export {
  addLocalDays,
  addLocalMonths,
  isValidTimeZone,
  parseLocalDate,
  startOfLocalDate,
  startOfLocalWeek,
  toLocalDate,
  zoneOffsetMs,
} from './zoned-time.ts';

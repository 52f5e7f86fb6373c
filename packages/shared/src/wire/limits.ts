/**
 * Ingest limits on the wire. The server enforces them; SDKs size their batches by them.
 * Byte limits count UTF-8 bytes of the JSON text.
 */
export const INGEST_LIMITS = Object.freeze({
  /** Events per batch request. */
  maxBatchEvents: 500,
  /** Request body, after gzip decompression. */
  maxBodyBytes: 1_048_576,
  /** One event's JSON. */
  maxEventBytes: 32_768,
  /** Event names, ids, enums and other short strings. */
  maxShortStringChars: 200,
  /** URLs, referrers, titles, messages. */
  maxLongStringChars: 2_048,
  /** Error stacks. */
  maxStackChars: 16_384,
  /** Keys in `props` (and in `traits` for identify). */
  maxProps: 100,
  /** Property key length. */
  maxPropKeyChars: 128,
  /** String property value length (longer values are rejected, not truncated). */
  maxPropStringChars: 4_096,
  /** Nesting depth of objects and arrays inside `props`. */
  maxPropDepth: 4,
  /** Array length inside `props`. */
  maxPropArrayItems: 100,
  /** How far in the future (after clock-skew correction) an event time may be. */
  maxFutureSkewMs: 24 * 3_600_000,
});

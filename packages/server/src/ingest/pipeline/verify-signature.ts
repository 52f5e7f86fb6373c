import { hmacSha256Hex, safeEqual } from '../../platform/index.ts';

export interface VerifySignatureParams {
  /** `t=<unix seconds>,v1=<hex>` (several v1= allowed during key rotation on the sender side). */
  header: string;
  rawBody: Buffer;
  secrets: readonly string[];
  nowMs: number;
  toleranceSec: number;
}

/**
 * HMAC-SHA256 over `${t}.${rawBody}` with the project secret key. The timestamp bounds replays
 * of a captured request to the tolerance window; event_id dedupe makes a replay harmless anyway.
 * Returns null when valid, else the reason.
 */
export function verifySignature(params: VerifySignatureParams): string | null {
  const parts = params.header.split(',').map((part) => part.trim().split('='));
  const t = parts.find(([key]) => key === 't')?.[1];
  const signatures = parts.filter(([key]) => key === 'v1').map(([, value]) => value ?? '');
  if (!t || !/^\d{1,12}$/.test(t) || signatures.length === 0)
    return 'expected t=<unix seconds>,v1=<hex>';
  if (Math.abs(params.nowMs / 1000 - Number(t)) > params.toleranceSec)
    return 'timestamp outside tolerance';
  const payload = Buffer.concat([Buffer.from(`${t}.`), params.rawBody]);
  for (const secret of params.secrets) {
    const expected = hmacSha256Hex(secret, payload);
    if (signatures.some((signature) => safeEqual(signature, expected))) return null;
  }
  return 'no signature matches a current secret key';
}

/** What a server-side sender puts in X-Sightline-Signature (used by @sightline/node and tests). */
export function signBody(secret: string, rawBody: string | Buffer, unixSeconds: number): string {
  const payload = Buffer.concat([Buffer.from(`${unixSeconds}.`), Buffer.from(rawBody)]);
  return `t=${unixSeconds},v1=${hmacSha256Hex(secret, payload)}`;
}

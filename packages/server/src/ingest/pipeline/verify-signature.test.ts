import { describe, expect, it } from 'vitest';
import { signBody, verifySignature } from './verify-signature.ts';

const body = Buffer.from('{"batch":[]}');
const now = 1_763_700_000_000;
const t = Math.floor(now / 1000);

describe('verifySignature', () => {
  it('accepts a signature made with any current secret', () => {
    const header = signBody('sk_new', body, t);
    expect(
      verifySignature({
        header,
        rawBody: body,
        secrets: ['sk_old', 'sk_new'],
        nowMs: now,
        toleranceSec: 300,
      }),
    ).toBeNull();
  });

  it.each([
    ['malformed', 'v1=abc', 'expected t=<unix seconds>,v1=<hex>'],
    ['stale', signBody('sk', body, t - 301), 'timestamp outside tolerance'],
    ['wrong key', signBody('sk_other', body, t), 'no signature matches a current secret key'],
    [
      'tampered body',
      signBody('sk', Buffer.from('{"batch":[1]}'), t),
      'no signature matches a current secret key',
    ],
  ])('rejects a %s signature', (_name, header, reason) => {
    expect(
      verifySignature({ header, rawBody: body, secrets: ['sk'], nowMs: now, toleranceSec: 300 }),
    ).toBe(reason);
  });
});

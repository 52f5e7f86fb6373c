export { applyDenylist } from './apply-denylist.ts';
export type { ApplyDenylistResult } from './apply-denylist.ts';
export { checkProps } from './check-props.ts';
export type { PropsLimits } from './check-props.ts';
export { hashIp, hashValue } from './hash-ip.ts';
export { PII_HASH_PREFIX, scrubPii } from './scrub-pii.ts';
export type { ScrubPiiResult } from './scrub-pii.ts';

/**
 * M-of-N: true when at least `m` of the last `n` flags are true (fewer than n flags: of those
 * there are). So one noisy bucket does not page, while a lasting breach does.
 */
export function isMofN(flags: readonly boolean[], m: number, n: number): boolean {
  const window = Math.max(0, Math.floor(n));
  let breaches = 0;
  for (let i = Math.max(0, flags.length - window); i < flags.length; i += 1)
    if (flags[i]) breaches += 1;
  return breaches >= m;
}

/** The smallest scale ever used, so a score is always finite. */
export const MIN_SCALE = 1e-9;

/**
 * A spread measured on a flat history can be ~0, and then every wiggle would be "10 sigma":
 * the scale is never below `minScaleRatio` of the expected value's magnitude, nor MIN_SCALE.
 */
export function floorScale(spread: number, expected: number, minScaleRatio: number): number {
  const floor = Math.max(minScaleRatio * Math.abs(expected), MIN_SCALE);
  return Number.isFinite(spread) && spread > floor ? spread : floor;
}

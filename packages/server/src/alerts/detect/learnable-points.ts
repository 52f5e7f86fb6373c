import type { SeriesPoint } from './baseline-types.ts';
import type { LocalSlotReader } from './local-slot.ts';
import type { SeasonalPoint } from './seasonal-model.ts';
import { isLowVolume, isUsableValue } from './usable-point.ts';

export type LearnablePoint = SeriesPoint & { value: number };

/** The points a baseline may learn from (no gaps, no low volume), oldest first, ties in order. */
export function selectLearnablePoints(
  points: readonly SeriesPoint[],
  minVolume: number,
): LearnablePoint[] {
  return points
    .filter((p): p is LearnablePoint => isUsableValue(p.value) && !isLowVolume(p, minVolume))
    .sort((a, b) => a.at - b.at);
}

/** Places learnable points on the zone's local calendar for the seasonal model. */
export function toSeasonalPoints(
  points: readonly LearnablePoint[],
  readSlot: LocalSlotReader,
): SeasonalPoint[] {
  return points.map((p) => {
    const { at, day, weekday, msOfDay, weekKey } = readSlot(p.at);
    return { at, day, weekday, msOfDay, weekKey, value: p.value };
  });
}

import { resolveBaselineOptions } from './baseline-options.ts';
import type { BaselineOptions, BaselineResult, SeriesPoint } from './baseline-types.ts';
import { buildBaselineResult } from './build-baseline-result.ts';
import { createEwmaState } from './ewma-state.ts';
import { selectLearnablePoints, toSeasonalPoints } from './learnable-points.ts';
import { createLocalSlotReader } from './local-slot.ts';
import { createSeasonalModel } from './seasonal-model.ts';
import { isLowVolume } from './usable-point.ts';

/**
 * Scores the value at `point.at` against the history strictly before it (history may be
 * unsorted; nulls, non-finite values and low-volume points are ignored). Equal to the matching
 * element of `scoreSeries` over history + point.
 */
export function scoreAgainstBaseline(
  history: readonly SeriesPoint[],
  point: SeriesPoint,
  options: BaselineOptions,
): BaselineResult {
  const resolved = resolveBaselineOptions(options);
  const learnable = selectLearnablePoints(
    history.filter((p) => p.at < point.at),
    resolved.minVolume,
  );
  let baseline;
  if (resolved.method === 'seasonal') {
    const readSlot = createLocalSlotReader(resolved.timeZone);
    const model = createSeasonalModel(toSeasonalPoints(learnable, readSlot), resolved);
    baseline = model.baselineAt(readSlot(point.at));
  } else {
    const state = createEwmaState(resolved);
    for (const p of learnable) state.update(p.value);
    baseline = state.baseline();
  }
  return buildBaselineResult({
    value: point.value,
    baseline,
    lowVolume: isLowVolume(point, resolved.minVolume),
    options: resolved,
  });
}

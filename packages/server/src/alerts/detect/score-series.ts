import { resolveBaselineOptions, type ResolvedBaselineOptions } from './baseline-options.ts';
import type { BaselineOptions, BaselineResult, SeriesPoint } from './baseline-types.ts';
import { buildBaselineResult } from './build-baseline-result.ts';
import { createEwmaState } from './ewma-state.ts';
import { selectLearnablePoints, toSeasonalPoints } from './learnable-points.ts';
import { createLocalSlotReader } from './local-slot.ts';
import { createSeasonalModel } from './seasonal-model.ts';
import { isLowVolume, isUsableValue } from './usable-point.ts';

/**
 * Scores every point of a series against the points strictly before it (rule previews over the
 * last days). Results are in the order of `series`, which may be unsorted. Element i equals
 * `scoreAgainstBaseline(points before series[i], series[i], options)`, in one pass.
 */
export function scoreSeries(
  series: readonly SeriesPoint[],
  options: BaselineOptions,
): BaselineResult[] {
  const resolved = resolveBaselineOptions(options);
  return resolved.method === 'seasonal'
    ? scoreSeasonalSeries(series, resolved)
    : scoreEwmaSeries(series, resolved);
}

function scoreSeasonalSeries(
  series: readonly SeriesPoint[],
  options: ResolvedBaselineOptions,
): BaselineResult[] {
  const readSlot = createLocalSlotReader(options.timeZone);
  // The model holds the whole series; a slot only looks at earlier local days, which are earlier
  // instants, so each point sees exactly the points before it.
  const learnable = selectLearnablePoints(series, options.minVolume);
  const model = createSeasonalModel(toSeasonalPoints(learnable, readSlot), options);
  return series.map((point) =>
    buildBaselineResult({
      value: point.value,
      baseline: model.baselineAt(readSlot(point.at)),
      lowVolume: isLowVolume(point, options.minVolume),
      options,
    }),
  );
}

function scoreEwmaSeries(
  series: readonly SeriesPoint[],
  options: ResolvedBaselineOptions,
): BaselineResult[] {
  const state = createEwmaState(options);
  const order = series.map((_, i) => i).sort((a, b) => seriesAt(series, a) - seriesAt(series, b));
  const results: BaselineResult[] = new Array<BaselineResult>(series.length);
  let start = 0;
  while (start < order.length) {
    // Points sharing an instant are all scored before any of them is learned.
    const at = seriesAt(series, order[start] ?? 0);
    let end = start;
    while (end < order.length && seriesAt(series, order[end] ?? 0) === at) end += 1;
    const group = order.slice(start, end);
    const baseline = state.baseline();
    for (const i of group) {
      const point = series[i] as SeriesPoint;
      const lowVolume = isLowVolume(point, options.minVolume);
      results[i] = buildBaselineResult({ value: point.value, baseline, lowVolume, options });
    }
    for (const i of group) {
      const point = series[i] as SeriesPoint;
      if (isUsableValue(point.value) && !isLowVolume(point, options.minVolume))
        state.update(point.value);
    }
    start = end;
  }
  return results;
}

function seriesAt(series: readonly SeriesPoint[], index: number): number {
  return (series[index] as SeriesPoint).at;
}

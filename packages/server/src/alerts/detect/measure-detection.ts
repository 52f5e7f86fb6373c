import type { SeriesPoint } from './baseline-types.ts';

export interface DetectionQuality {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Share of flags that were planted anomalies (1 when nothing was flagged). */
  precision: number;
  /** Share of planted anomalies that were flagged (1 when nothing was planted). */
  recall: number;
  f1: number;
}

/** Precision and recall of flags against labels, over the indexes from `from` on. */
export function measureDetection(
  flags: readonly boolean[],
  labels: readonly boolean[],
  from = 0,
): DetectionQuality {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  for (let i = from; i < labels.length; i += 1) {
    if (flags[i] && labels[i]) truePositives += 1;
    else if (flags[i]) falsePositives += 1;
    else if (labels[i]) falseNegatives += 1;
  }
  return summarise(truePositives, falsePositives, falseNegatives);
}

/** Adds up counts of several series (so a figure is not one seed's luck). */
export function sumDetection(parts: readonly DetectionQuality[]): DetectionQuality {
  const total = (pick: (q: DetectionQuality) => number) => parts.reduce((s, q) => s + pick(q), 0);
  return summarise(
    total((q) => q.truePositives),
    total((q) => q.falsePositives),
    total((q) => q.falseNegatives),
  );
}

/**
 * The best a static threshold could do with hindsight: every value present in the range is
 * tried as a bound (flag values below it, or above it), and the one with the highest F1 wins.
 */
export function findBestStaticThreshold(options: {
  points: readonly SeriesPoint[];
  labels: readonly boolean[];
  from: number;
  side: 'below' | 'above';
}): { threshold: number; quality: DetectionQuality } {
  const { points, labels, from, side } = options;
  const candidates = new Set<number>();
  for (let i = from; i < points.length; i += 1) {
    const value = points[i]?.value;
    if (value != null) candidates.add(side === 'below' ? value + 1e-9 : value - 1e-9);
  }
  let best = { threshold: Number.NaN, quality: summarise(0, 0, labels.filter(Boolean).length) };
  for (const threshold of candidates) {
    const flags = points.map(
      (p) => p.value != null && (side === 'below' ? p.value < threshold : p.value > threshold),
    );
    const quality = measureDetection(flags, labels, from);
    if (quality.f1 > best.quality.f1) best = { threshold, quality };
  }
  return best;
}

/** "precision 0.95 recall 0.90 f1 0.92 (tp 90 fp 5 fn 10)": for test names. */
export function formatDetection(quality: DetectionQuality): string {
  const f = (x: number) => x.toFixed(2);
  const { truePositives: tp, falsePositives: fp, falseNegatives: fn } = quality;
  const rates = `precision ${f(quality.precision)} recall ${f(quality.recall)} f1 ${f(quality.f1)}`;
  return `${rates} (tp ${tp} fp ${fp} fn ${fn})`;
}

function summarise(tp: number, fp: number, fn: number): DetectionQuality {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision,
    recall,
    f1,
  };
}

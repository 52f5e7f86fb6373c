import type { SeriesPoint } from './baseline-types.ts';
import { createLocalSlotReader } from './local-slot.ts';

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 86_400_000;

/** Where anomalies go and how big they are; all placed by the seeded generator. */
export interface AnomalyPlan {
  /** Only buckets at this index or later get anomalies (default 0). */
  from?: number;
  /** Single buckets up / down by `sigmas` standard deviations of their noise. */
  spikes?: number;
  drops?: number;
  /** Runs of `shiftLength` buckets (default 4) all shifted up or down by the same `sigmas`. */
  shifts?: number;
  shiftLength?: number;
  /** Weekday business hours ([from, to) local hours, default [10, 16)) at the weekend's level. */
  weekdayDips?: number;
  dipHours?: readonly [number, number];
  /** Size range in standard deviations (default [6, 9]). */
  sigmas?: readonly [number, number];
  /** Runs of `gapLength` (default 5) missing buckets; not anomalies. */
  gaps?: number;
  gapLength?: number;
}

export interface SyntheticSeriesOptions {
  seed: number;
  timeZone: string;
  /** The first bucket's start, epoch ms. */
  start: number;
  bucketMs: number;
  buckets: number;
  /** count: a count with Poisson-like noise; rate: percent of `volume` trials that failed. */
  kind: 'count' | 'rate';
  /** count: the level at factor 1; rate: the failure probability at factor 1 (0.02 = 2%). */
  level: number;
  /** 24 multipliers by local hour (interpolated within the hour); default flat. */
  hourFactors?: readonly number[];
  /** 7 multipliers by local weekday, Sunday first; default flat. */
  weekdayFactors?: readonly number[];
  /** Relative growth per week (0.01 = +1%). */
  trendPerWeek?: number;
  /** Extra multiplicative noise (0.05 = 5% of the level). */
  relativeNoise?: number;
  /** rate: trials per bucket (default 2000); a `lowVolumeRatio` share has `lowVolume` (def. 5). */
  volume?: number;
  lowVolumeRatio?: number;
  lowVolume?: number;
  /** Share of buckets with no data. */
  missingRatio?: number;
  anomalies?: AnomalyPlan;
}

export interface SyntheticSeries {
  points: SeriesPoint[];
  /** True where an anomaly was planted. */
  labels: boolean[];
}

/**
 * A labelled series for detection tests and benchmarks: daily and weekly seasonality in local
 * time, noise, planted anomalies, missing data. The same options always give the same series.
 */
export function generateSyntheticSeries(options: SyntheticSeriesOptions): SyntheticSeries {
  const random = createRandom(options.seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const readSlot = createLocalSlotReader(options.timeZone);
  const hours = options.hourFactors ?? new Array<number>(24).fill(1);
  const weekdays = options.weekdayFactors ?? new Array<number>(7).fill(1);
  const weekendFactor = Math.min(...weekdays);

  const buckets = Array.from({ length: options.buckets }, (_, i) => {
    const at = options.start + i * options.bucketMs;
    const slot = readSlot(at);
    const hour = slot.msOfDay / HOUR_MS;
    const base = Math.floor(hour);
    const shape =
      (hours[base % 24] ?? 1) * (1 - (hour - base)) + (hours[(base + 1) % 24] ?? 1) * (hour - base);
    const growth = (1 + (options.trendPerWeek ?? 0)) ** ((at - options.start) / WEEK_MS);
    const weekday = weekdays[slot.weekday] ?? 1;
    const low = options.kind === 'rate' && random() < (options.lowVolumeRatio ?? 0);
    const volume =
      options.kind === 'rate' ? (low ? (options.lowVolume ?? 5) : (options.volume ?? 2000)) : null;
    return { at, slot, level: options.level * shape * growth, weekday, volume, low };
  });

  const noiseOf = (level: number, volume: number | null) => {
    const relative = (options.relativeNoise ?? 0) * level;
    const sampling = volume === null ? Math.sqrt(level) : Math.sqrt((level * (1 - level)) / volume);
    return Math.sqrt(sampling ** 2 + relative ** 2);
  };
  const draw = (level: number, volume: number | null, shift = 0): number => {
    if (volume === null)
      return Math.max(0, Math.round(level + (gaussian() + shift) * noiseOf(level, volume)));
    const rate = Math.min(1, Math.max(0, level + (gaussian() + shift) * noiseOf(level, volume)));
    return Math.round((10_000 * Math.round(rate * volume)) / volume) / 100;
  };

  const labels = new Array<boolean>(buckets.length).fill(false);
  const values = buckets.map((b) => draw(b.level * b.weekday, b.volume) as number | null);
  const plan = options.anomalies ?? {};
  const from = plan.from ?? 0;
  const [minSigma, maxSigma] = plan.sigmas ?? [6, 9];
  const size = () => minSigma + (maxSigma - minSigma) * random();
  const isFree = (i: number) => i >= from && i < buckets.length && !labels[i] && !buckets[i]?.low;
  const pickRun = (
    length: number,
    accept: (i: number) => boolean = () => true,
  ): number[] | null => {
    for (let attempt = 0; attempt < 1_000; attempt += 1) {
      const first = from + Math.floor(random() * (buckets.length - from - length + 1));
      const run = Array.from({ length }, (_, k) => first + k);
      if (run.every((i) => isFree(i) && accept(i))) return run;
    }
    return null;
  };
  const plantRuns = (count: number, length: number, sign: () => number) => {
    for (let k = 0; k < count; k += 1) {
      const run = pickRun(length);
      if (!run) continue;
      const shift = sign() * size();
      for (const i of run) {
        const b = buckets[i];
        if (!b) continue;
        values[i] = draw(b.level * b.weekday, b.volume, shift);
        labels[i] = true;
      }
    }
  };
  plantRuns(plan.spikes ?? 0, 1, () => 1);
  plantRuns(plan.drops ?? 0, 1, () => -1);
  plantRuns(plan.shifts ?? 0, plan.shiftLength ?? 4, () => (random() < 0.5 ? 1 : -1));

  const [dipFrom, dipTo] = plan.dipHours ?? [10, 16];
  const dipLength = Math.max(1, Math.round(((dipTo - dipFrom) * HOUR_MS) / options.bucketMs));
  const isDipStart = (i: number) => {
    const slot = buckets[i]?.slot;
    return !!slot && slot.weekday >= 1 && slot.weekday <= 5 && slot.msOfDay === dipFrom * HOUR_MS;
  };
  for (let k = 0; k < (plan.weekdayDips ?? 0); k += 1) {
    const start = pickRun(1, isDipStart)?.[0];
    if (start === undefined) continue;
    for (let i = start; i < Math.min(start + dipLength, buckets.length); i += 1) {
      const b = buckets[i];
      if (!b || labels[i]) continue;
      values[i] = draw(b.level * weekendFactor, b.volume);
      labels[i] = true;
    }
  }

  for (let k = 0; k < (plan.gaps ?? 0); k += 1) {
    const first = Math.floor(random() * buckets.length);
    for (let i = first; i < Math.min(first + (plan.gapLength ?? 5), buckets.length); i += 1)
      if (!labels[i]) values[i] = null;
  }
  for (let i = 0; i < buckets.length; i += 1)
    if (!labels[i] && random() < (options.missingRatio ?? 0)) values[i] = null;

  const points = buckets.map((b, i): SeriesPoint => ({
    at: b.at,
    value: values[i] ?? null,
    ...(b.volume === null ? {} : { volume: b.volume }),
  }));
  return { points, labels };
}

/** mulberry32: small, fast, and the same sequence on every platform. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

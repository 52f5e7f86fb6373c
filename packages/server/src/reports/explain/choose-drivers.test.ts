import { describe, expect, it } from 'vitest';
import { chooseDrivers, type DimensionContributions } from './choose-drivers.ts';

/** A segment with a share of a change of −100 and a weight (its part of the previous value). */
const seg = (segment: string, share: number, weight: number) => ({
  segment,
  current: 1,
  previous: 1,
  contribution: -100 * share,
  share,
  weight,
});

const dim = (dimension: string, ...items: ReturnType<typeof seg>[]): DimensionContributions => ({
  dimension,
  items,
});

describe('chooseDrivers', () => {
  const cases: Array<{
    name: string;
    dimensions: DimensionContributions[];
    maxDrivers?: number;
    want: { dimension: string | null; drivers: string[]; score: number };
  }> = [
    {
      name: 'the one concentrated segment wins over a change spread in proportion',
      dimensions: [
        dim('province', seg('zj', 0.36, 0.35), seg('gd', 0.34, 0.35), seg('bj', 0.3, 0.3)),
        dim('channel', seg('douyin', 0.9, 0.4), seg('web', 0.1, 0.3), seg('app', 0, 0.3)),
      ],
      want: { dimension: 'channel', drivers: ['douyin'], score: 0.9 },
    },
    {
      name: 'a dimension with one value explains nothing',
      dimensions: [
        dim('platform', seg('web', 1, 0)),
        dim('channel', seg('douyin', 0.6, 0.4), seg('web', 0.4, 0.6)),
      ],
      want: { dimension: 'channel', drivers: ['douyin'], score: 0.6 },
    },
    {
      name: 'a change in proportion everywhere has no driver',
      dimensions: [
        dim('channel', seg('a', 0.5, 0.5), seg('b', 0.5, 0.5)),
        dim('province', seg('x', 0.7, 0.68), seg('y', 0.3, 0.32)),
      ],
      want: { dimension: null, drivers: [], score: 0 },
    },
    {
      name: 'a second driver when it adds more than it costs (0.6 + 0.3 − 0.15)',
      dimensions: [dim('channel', seg('a', 0.6, 0.2), seg('b', 0.3, 0.1), seg('c', 0.1, 0.7))],
      want: { dimension: 'channel', drivers: ['a', 'b'], score: 0.75 },
    },
    {
      name: 'no second driver when it adds less (0.7 + 0.12 − 0.15 < 0.7)',
      dimensions: [dim('channel', seg('a', 0.7, 0.2), seg('b', 0.12, 0.05), seg('c', 0.18, 0.75))],
      want: { dimension: 'channel', drivers: ['a'], score: 0.7 },
    },
    {
      name: '"$other" is never named, and maxDrivers caps the list',
      dimensions: [dim('channel', seg('$other', 0.5, 0.1), seg('a', 0.3, 0.1), seg('b', 0.2, 0.8))],
      maxDrivers: 1,
      want: { dimension: 'channel', drivers: ['a'], score: 0.3 },
    },
    {
      name: 'on a tie, the more surprising dimension',
      dimensions: [
        dim('channel', seg('a', 0.8, 0.5), seg('b', 0.2, 0.5)),
        dim('province', seg('x', 0.8, 0.2), seg('y', 0.2, 0.8)),
      ],
      want: { dimension: 'province', drivers: ['x'], score: 0.8 },
    },
    {
      name: 'segments moving against the change are not drivers',
      dimensions: [dim('channel', seg('a', 1.4, 0.5), seg('b', -0.4, 0.5))],
      want: { dimension: 'channel', drivers: ['a'], score: 1 },
    },
  ];
  it.each(cases)('$name', ({ dimensions, maxDrivers, want }) => {
    const choice = chooseDrivers(dimensions, { maxDrivers: maxDrivers ?? 3 });
    expect({
      dimension: choice.dimension,
      drivers: choice.drivers.map((d) => d.segment),
      score: choice.score,
    }).toEqual({ ...want, score: expect.closeTo(want.score, 12) });
  });
});

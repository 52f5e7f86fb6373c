import { getDimension, getMetric, METRICS, type Formula } from '@sightline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryFixture, type QueryFixture } from '../../testing/query-fixture.ts';
import { openSource } from '../context/sources.ts';
import { duckDbDialect } from '../sql/dialect.ts';
import { SqlParams } from '../sql/sql-params.ts';
import { computeMetricSeries } from './metric-series.ts';

const SCOPE = { dialect: duckDbDialect, projectId: 'p', timeZone: 'UTC' };
const D0 = Date.parse('2026-11-01T16:00:00Z');

function sourcesOf(formula: Formula): string[] {
  if (formula.kind === 'ratio')
    return [formula.numerator, formula.denominator].flatMap((id) => {
      const metric = getMetric(id);
      return metric ? sourcesOf(metric.formula) : [`missing:${id}`];
    });
  if (formula.kind === 'analysis') return [];
  return [formula.source];
}

describe('metric catalog', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
  });
  afterAll(() => f.close());

  it('has unique ids, existing references, and fields every source can resolve', () => {
    expect(new Set(METRICS.map((m) => m.id)).size).toBe(METRICS.length);
    for (const metric of METRICS) {
      const sources = sourcesOf(metric.formula);
      expect(
        sources.filter((s) => s.startsWith('missing:')),
        metric.id,
      ).toEqual([]);
      for (const dimension of metric.dimensions) {
        const known = getDimension(dimension);
        expect(known, `${metric.id}: dimension ${dimension}`).toBeDefined();
        for (const source of sources) {
          const field = known?.fields[source as 'events'];
          expect(field, `${metric.id}: ${dimension} on ${source}`).toBeDefined();
          const query = openSource(source as 'events', SCOPE, new SqlParams());
          expect(query.field(field as string), `${metric.id}: ${source}.${field}`).not.toBeNull();
        }
      }
      const formula = metric.formula;
      if (formula.kind !== 'ratio' && formula.kind !== 'analysis') {
        const query = openSource(formula.source, SCOPE, new SqlParams());
        for (const condition of formula.where ?? [])
          expect(query.field(condition.field), `${metric.id}: ${condition.field}`).not.toBeNull();
        if ('field' in formula)
          expect(query.field(formula.field), `${metric.id}: ${formula.field}`).not.toBeNull();
      }
    }
  });

  it.each(METRICS.map((metric) => [metric.id]))('computes %s on an empty project', async (id) => {
    const ctx = f.ctx({ from: D0, to: D0 + 3 * 86_400_000 });
    for (const granularity of ['day', 'all'] as const) {
      const series = await computeMetricSeries(ctx, id, { granularity });
      expect(series.buckets.length).toBe(granularity === 'day' ? 3 : 1);
      for (const group of series.groups)
        for (const value of group.values) expect(value === null || value === 0).toBe(true);
    }
  });
});

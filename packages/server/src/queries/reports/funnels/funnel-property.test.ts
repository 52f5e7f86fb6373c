import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow } from '../../../store/index.ts';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import { isBestAttemptInSql } from './best-attempt-sql.ts';
import {
  FROM,
  genEvent,
  genParams,
  genSqlParams,
  genTiedEvent,
  SETTLED,
  TO,
  toRows,
} from './funnel-generators.ts';
import type { FunnelParams, FunnelResult } from './funnel-params.ts';
import { referenceFunnel } from './funnel-reference.ts';
import { computeFunnel } from './funnel-report.ts';

function expectReference(
  got: FunnelResult,
  rows: EventRow[],
  params: FunnelParams,
  dropChannel: string | null,
): void {
  const want = referenceFunnel(rows, params, dropChannel);
  expect(got.steps.map(({ step: _s, label: _l, optional: _o, ...rest }) => rest)).toEqual(
    want.steps,
  );
  expect(got.overallConversion).toEqual(want.overallConversion);
  expect(
    got.groups?.map((g) => ({
      key: g.key,
      overallConversion: g.overallConversion,
      steps: g.steps.map(({ step: _s, label: _l, optional: _o, ...rest }) => rest),
    })) ?? null,
  ).toEqual(want.groups);
}

describe('funnel report against a naive reference', () => {
  let f: QueryFixture;
  let run = 0;
  beforeAll(async () => {
    f = await createQueryFixture();
  });
  afterAll(() => f.close());

  /** Loads generated events into a project of their own; the context reads that project. */
  async function load(generated: Parameters<typeof toRows>[0], dropChannel: string | null) {
    run += 1;
    const projectId = `prop_${run}`;
    const { events: rows, identities } = toRows(generated, projectId);
    await f.load({ events: rows, identities });
    const filters = dropChannel
      ? [{ dimension: 'channel', op: 'neq' as const, value: dropChannel }]
      : [];
    return { rows, ctx: f.ctx({ from: FROM, to: TO, now: SETTLED, projectId, filters }) };
  }

  it('agrees on every step, group, time and amount', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(genEvent, { minLength: 50, maxLength: 250 }),
        genParams,
        fc.constantFrom(null, 'c2'),
        async (generated, params, dropChannel) => {
          const { rows, ctx } = await load(generated, dropChannel);
          expectReference(await computeFunnel(ctx, params), rows, params, dropChannel);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('finds in SQL, by lists or by the window, exactly what the walk finds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.array(genEvent, { minLength: 50, maxLength: 250 }),
          fc.array(genTiedEvent, { minLength: 50, maxLength: 250 }),
        ),
        genSqlParams,
        fc.constantFrom(null, 'c2'),
        async (generated, params, dropChannel) => {
          expect(isBestAttemptInSql(params)).toBe(true);
          const { rows, ctx } = await load(generated, dropChannel);
          const inSql = await computeFunnel(ctx, params);
          expect(inSql).toEqual(await computeFunnel(ctx, params, 'walk'));
          expect(await computeFunnel(ctx, params, 'window')).toEqual(inSql);
          expectReference(inSql, rows, params, dropChannel);
        },
      ),
      { numRuns: 40 },
    );
  });
});

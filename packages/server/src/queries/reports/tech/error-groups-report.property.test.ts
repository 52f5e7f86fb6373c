import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import { jsError } from './error-event-fixture.ts';
import { errorGroupsParams, errorGroupsReport } from './error-groups-report.ts';
import { fingerprintError } from './fingerprint-error.ts';

// Shanghai is UTC+8: local day 2026-11-20 runs from 2026-11-19T16:00Z to 2026-11-20T16:00Z.
const D20 = Date.parse('2026-11-19T16:00:00Z');
const D21 = D20 + 86_400_000;
const HOUR = 3_600_000;
const CDN = 'https://static.example.com/js';

describe('error_groups against a naive reference', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
  });
  afterAll(() => f.close());

  const messages = [
    'TypeError: a is undefined',
    'Uncaught TypeError: a is undefined',
    'Error: item 12 missing',
    'Error: item 13 missing',
    "Error: key 'x' missing",
  ];
  const stacks = [
    null,
    `    at f (${CDN}/a.1a2b3c4d.js:1:1)`,
    `    at f (${CDN}/a.9f9f9f9f.js:7:7)`,
    `f@${CDN}/a.1a2b3c4d.js:1:1`,
    `    at g (${CDN}/b.js:1:1)\n    at f (${CDN}/a.js:2:2)`,
  ];
  const eventArb = fc.record({
    at: fc.integer({ min: D20 - HOUR, max: D21 + HOUR }),
    message: fc.constantFrom(...messages),
    stack: fc.constantFrom(...stacks),
    user: fc.constantFrom(null, 'u1', 'u2'),
    anon: fc.constantFrom(null, 'a1', 'a2', 'a3'),
    release: fc.constantFrom(null, 'r1', 'r2'),
    page: fc.constantFrom(null, '/x', '/y'),
  });
  const linksArb = fc
    .subarray(['a1', 'a2', 'a3'])
    .chain((anons) =>
      fc.tuple(
        ...anons.map((anon) => fc.tuple(fc.constant(anon), fc.constantFrom('u1', 'u2', 'u3'))),
      ),
    );

  it('matches counts, people, first/last seen and releases per fingerprint', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { maxLength: 200 }), linksArb, async (events, links) => {
        const project = `p_prop_${run++}`;
        await f.load({
          events: events.map((e) => jsError({ ...e, project })),
          identities: links.map(([anonymousId, userId]) => ({
            projectId: project,
            anonymousId,
            userId,
            linkedAt: D20,
          })),
        });
        const result = await errorGroupsReport.run(
          f.ctx({ projectId: project, from: D20, to: D21 }),
          errorGroupsParams.parse({
            limit: 500,
          }),
        );
        const linked = new Map(links);
        const groups = new Map<
          string,
          {
            count: number;
            people: Set<string>;
            first: number;
            last: number;
            releases: Map<string | null, number>;
          }
        >();
        for (const e of events.filter((x) => x.at >= D20 && x.at < D21)) {
          const { fingerprint } = fingerprintError({ message: e.message, stack: e.stack });
          const g = groups.get(fingerprint) ?? {
            count: 0,
            people: new Set(),
            first: Infinity,
            last: -Infinity,
            releases: new Map(),
          };
          g.count += 1;
          const person = e.user ?? (e.anon ? (linked.get(e.anon) ?? e.anon) : null);
          if (person) g.people.add(person);
          g.first = Math.min(g.first, e.at);
          g.last = Math.max(g.last, e.at);
          g.releases.set(e.release, (g.releases.get(e.release) ?? 0) + 1);
          groups.set(fingerprint, g);
        }
        const expected = [...groups]
          .sort(([ka, a], [kb, b]) => b.count - a.count || b.last - a.last || (ka < kb ? -1 : 1))
          .map(([fingerprint, g]) => ({
            fingerprint,
            count: g.count,
            users: g.people.size,
            firstSeen: new Date(g.first).toISOString(),
            lastSeen: new Date(g.last).toISOString(),
            releases: [...g.releases]
              .map(([release, count]) => ({ release, count }))
              .sort(
                (a, b) =>
                  b.count - a.count ||
                  (a.release === b.release
                    ? 0
                    : a.release === null
                      ? 1
                      : b.release === null
                        ? -1
                        : a.release < b.release
                          ? -1
                          : 1),
              ),
          }));
        expect(
          result.groups.map(({ fingerprint, count, users, firstSeen, lastSeen, releases }) => ({
            fingerprint,
            count,
            users,
            firstSeen,
            lastSeen,
            releases,
          })),
        ).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  });
});

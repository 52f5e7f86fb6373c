import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow } from '../../../store/index.ts';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import { countPathsInSql, type InSqlMethod } from './count-paths.ts';
import { pathsParams, type PathsParams } from './paths-params.ts';
import { computePaths } from './paths-report.ts';
import { finishPaths } from './summarise-paths.ts';

// Local day 2026-11-20 in Shanghai; events on 5-minute marks from 3 h before it, over 20 or 30 h.
const FROM = Date.parse('2026-11-19T16:00:00Z');
const TO = FROM + 86_400_000;
const FIRST = FROM - 3 * 3_600_000;
const LINKS = new Map([['a0', 'u0']]);

const genEvent = fc.record({
  user: fc.constantFrom('u0', 'u1', 'u2', null),
  anon: fc.constantFrom('a0', 'a1', null),
  session: fc.constantFrom('s0', 's1', 's2', null),
  kind: fc.constantFrom('page', 'event', 'error'),
  what: fc.constantFrom('/a', '/b', '/c', 'x', 'y'),
  slot: fc.integer({ min: 0, max: 360 }),
  bot: fc.integer({ min: 0, max: 19 }).map((x) => x === 0),
});
const genParams = fc
  .record({
    anchor: fc.constantFrom(
      { event: 'page_view' },
      { event: 'page_view', filters: [{ dimension: 'page', op: 'eq' as const, value: '/a' }] },
      { event: 'x' },
    ),
    fromStart: fc.boolean(),
    steps: fc.integer({ min: 1, max: 4 }),
    eventType: fc.constantFrom('event' as const, 'page' as const),
    sessionScoped: fc.boolean(),
    windowSeconds: fc.constantFrom(600, 3_600),
    collapseRepeats: fc.boolean(),
    nodesPerDepth: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ anchor, fromStart, ...rest }) =>
    pathsParams.parse({
      ...rest,
      ...(fromStart ? { start: anchor } : { end: anchor }),
      limit: 5,
      dropOffLimit: 3,
    }),
  );

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const limitsOf = (p: PathsParams) => ({
  paths: p.limit,
  dropOffs: p.dropOffLimit,
  nodesPerDepth: p.nodesPerDepth,
});

/** The documented definitions, computed the slow way: every path, then plain counting. */
function referencePaths(rows: EventRow[], p: PathsParams) {
  const anchor = p.start ?? p.end!;
  const reach = p.sessionScoped ? 86_400_000 : p.windowSeconds * 1000;
  const isNode = (r: EventRow) =>
    p.eventType === 'page'
      ? r.type === 'page' && r.page !== null
      : ['page', 'event'].includes(r.type);
  const isAnchor = (r: EventRow) =>
    r.name === anchor.event && (anchor.filters ?? []).every((f) => r.page === f.value);
  const byPerson = new Map<string, EventRow[]>();
  for (const r of rows) {
    const person = r.userId ?? LINKS.get(r.anonymousId ?? '') ?? r.anonymousId;
    if (!person || r.isBot || (p.sessionScoped && r.sessionId === null)) continue;
    if (!isNode(r) && !isAnchor(r)) continue;
    byPerson.set(person, [...(byPerson.get(person) ?? []), r]);
  }
  const perPerson: string[][][] = [];
  for (const evs of byPerson.values()) {
    evs.sort((a, b) => a.eventTime - b.eventTime || cmp(a.eventId, b.eventId));
    const nameOf = (r: EventRow) =>
      isNode(r) ? (p.eventType === 'page' ? r.page! : r.name) : r.name;
    const mine: string[][] = [];
    evs.forEach((a, i) => {
      if (!isAnchor(a) || a.eventTime < FROM || a.eventTime >= TO) return;
      const side = p.start ? evs.slice(i + 1) : evs.slice(0, i).reverse();
      const near = [];
      for (const r of side) {
        if (Math.abs(r.eventTime - a.eventTime) >= reach) break;
        near.push(r);
      }
      const names = near
        .filter((r) => isNode(r) && (!p.sessionScoped || r.sessionId === a.sessionId))
        .map(nameOf);
      const path = [nameOf(a)];
      for (const n of names) if (!p.collapseRepeats || n !== path[path.length - 1]) path.push(n);
      const cut = path.slice(0, p.steps + 1);
      mine.push(p.start ? cut : cut.reverse());
    });
    if (mine.length) perPerson.push(mine);
  }
  const depth = (i: number, len: number) => (p.start ? i : i - len + 1);
  const pathStats = new Map<string, { nodes: string[]; people: number; occurrences: number }>();
  const through = new Map<string, number>();
  const ended = new Map<string, { paths: number; people: number }>();
  const links = new Map<string, number>();
  let personPaths = 0;
  for (const mine of perPerson) {
    const keys = new Set(mine.map((x) => JSON.stringify(x)));
    personPaths += keys.size;
    const endedHere = new Set<string>();
    for (const key of keys) {
      const nodes = JSON.parse(key) as string[];
      const stat = pathStats.get(key) ?? { nodes, people: 0, occurrences: 0 };
      stat.people += 1;
      stat.occurrences += mine.filter((x) => JSON.stringify(x) === key).length;
      pathStats.set(key, stat);
      nodes.forEach((n, i) => {
        const id = `${depth(i, nodes.length)}:${n}`;
        through.set(id, (through.get(id) ?? 0) + 1);
        if (i > 0) {
          const l = JSON.stringify([depth(i - 1, nodes.length), nodes[i - 1], n]);
          links.set(l, (links.get(l) ?? 0) + 1);
        }
      });
      if (nodes.length <= p.steps) {
        const far = p.start ? nodes.length - 1 : 0;
        const id = `${depth(far, nodes.length)}:${nodes[far]}`;
        const e = ended.get(id) ?? { paths: 0, people: 0 };
        e.paths += 1;
        if (!endedHere.has(id)) e.people += 1;
        endedHere.add(id);
        ended.set(id, e);
      }
    }
  }
  const split = (id: string) =>
    [Number(id.slice(0, id.indexOf(':'))), id.slice(id.indexOf(':') + 1)] as const;
  const kept = new Set<string>();
  const depths = [...new Set([...through.keys()].map((id) => split(id)[0]))].sort((a, b) => a - b);
  const sankeyNodes = [];
  for (const d of depths) {
    const here = [...through]
      .filter(([id]) => split(id)[0] === d)
      .sort((a, b) => b[1] - a[1] || cmp(split(a[0])[1], split(b[0])[1]));
    here.slice(0, p.nodesPerDepth).forEach(([id, value]) => {
      kept.add(id);
      sankeyNodes.push({ id, name: split(id)[1], depth: d, value });
    });
    const rest = here.slice(p.nodesPerDepth).reduce((sum, [, v]) => sum + v, 0);
    if (here.length > p.nodesPerDepth)
      sankeyNodes.push({ id: `${d}:$other`, name: '$other', depth: d, value: rest });
  }
  const shown = (d: number, n: string) => (kept.has(`${d}:${n}`) ? `${d}:${n}` : `${d}:$other`);
  const merged = new Map<string, number>();
  for (const [l, v] of links) {
    const [d, a, b] = JSON.parse(l) as [number, string, string];
    const key = JSON.stringify([shown(d, a), shown(d + 1, b)]);
    merged.set(key, (merged.get(key) ?? 0) + v);
  }
  return {
    direction: p.start ? 'start' : 'end',
    steps: p.steps,
    totals: { occurrences: perPerson.flat().length, people: perPerson.length, personPaths },
    topPaths: [...pathStats]
      .sort(
        ([ka, a], [kb, b]) => b.people - a.people || b.occurrences - a.occurrences || cmp(ka, kb),
      )
      .slice(0, 5)
      .map(([, v]) => v),
    dropOffs: [...ended]
      .map(([id, e]) => ({
        id,
        name: split(id)[1],
        depth: split(id)[0],
        ...e,
        through: through.get(id)!,
        rate: e.paths / through.get(id)!,
      }))
      .sort(
        (a, b) => b.paths - a.paths || Math.abs(a.depth) - Math.abs(b.depth) || cmp(a.name, b.name),
      )
      .slice(0, 3),
    sankey: {
      nodes: sankeyNodes,
      links: [...merged]
        .map(([k, value]) => {
          const [source, target] = JSON.parse(k) as [string, string];
          return { source, target, value };
        })
        .sort(
          (a, b) =>
            split(a.source)[0] - split(b.source)[0] ||
            b.value - a.value ||
            cmp(a.source, b.source) ||
            cmp(a.target, b.target),
        ),
    },
  };
}

describe('paths report against a naive reference', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
  });
  afterAll(() => f.close());

  // SQL alone (reading each event's time, or a partition's last) where it settles every path;
  // SQL reading no spare event, so that many people are lost, walked and merged; the walk.
  const SQL_TIMED: InSqlMethod = { spare: 40, timeEach: true, lostCap: 0 };
  const SQL_UNTIMED: InSqlMethod = { spare: 40, timeEach: false, lostCap: 0 };
  const MOSTLY_LOST: InSqlMethod = { spare: 0, timeEach: false, lostCap: 1_000_000 };

  it('agrees on totals, top paths, drop-offs and the sankey, by every counting method', async () => {
    let run = 0;
    const seen = { timed: 0, untimed: 0, lost: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(genEvent, { minLength: 50, maxLength: 300 }),
        genParams,
        // Visits within 20 hours (SQL settles them) or over 30 (a session-scoped path reaches a
        // day, so SQL hands such people to the walk).
        fc.constantFrom(240, 240, 361),
        async (generated, params, slots) => {
          run += 1;
          const projectId = `paths_${run}`;
          const rows = generated.map((g) => {
            const page = g.what.startsWith('/');
            const time = FIRST + (g.slot % slots) * 300_000;
            return makeEventRow({
              projectId,
              eventId: randomUUID(),
              userId: g.user,
              anonymousId: g.user === null && g.anon === null ? 'a2' : g.anon,
              sessionId: g.session,
              type: g.kind === 'page' ? 'page' : g.kind,
              name:
                g.kind === 'page'
                  ? 'page_view'
                  : g.kind === 'error'
                    ? 'js_error'
                    : page
                      ? 'x'
                      : g.what,
              page: g.kind === 'page' ? (page ? g.what : null) : null,
              eventTime: time,
              receivedAt: time,
              isBot: g.bot,
            });
          });
          await f.load({
            events: rows,
            identities: [{ projectId, anonymousId: 'a0', userId: 'u0', linkedAt: FROM }],
          });
          const ctx = f.ctx({ from: FROM, to: TO, projectId });
          const expected = referencePaths(rows, params);
          expect(await computePaths(ctx, params)).toEqual(expected);
          expect(await computePaths(ctx, params, ['walk'])).toEqual(expected);
          expect(await computePaths(ctx, params, [MOSTLY_LOST])).toEqual(expected);
          const anchor = params.start ?? params.end!;
          for (const [method, key] of [
            [SQL_TIMED, 'timed'],
            [SQL_UNTIMED, 'untimed'],
          ] as const) {
            const { counts, lost } = await countPathsInSql(ctx, params, anchor, method);
            if (lost?.length !== 0) continue;
            seen[key] += 1;
            const { direction, steps } = expected;
            expect({ direction, steps, ...finishPaths(counts, limitsOf(params)) }).toEqual(
              expected,
            );
          }
          const { lost } = await countPathsInSql(ctx, params, anchor, MOSTLY_LOST);
          if ((lost?.length ?? 0) > 0) seen.lost += 1;
        },
      ),
      { numRuns: 40 },
    );
    // The pure SQL answers and the merges of walked people were compared, many times.
    expect(seen.timed).toBeGreaterThan(25);
    expect(seen.untimed).toBeGreaterThan(15);
    expect(seen.lost).toBeGreaterThan(2);
  }, 180_000);
});

import { OTHER_GROUP } from '../../series/aggregate-sql.ts';
import type { PathsResult } from './paths-params.ts';

export interface PathTally {
  nodes: string[];
  people: number;
  occurrences: number;
}

export interface NodeTally {
  name: string;
  depth: number;
  /** Person-paths through the node. */
  through: number;
  /** Person-paths ending at it short of `steps`. */
  ended: number;
  /** People with such a path. */
  endedPeople: number;
}

/** What the report is made of, however it was counted (a walk per person, or SQL). */
export interface PathCounts {
  totals: { occurrences: number; people: number; personPaths: number };
  /** By JSON.stringify(nodes). */
  paths: Map<string, PathTally>;
  /** By `idOf(depth, name)`. */
  nodes: Map<string, NodeTally>;
  /** Person-paths by JSON.stringify([source depth, source name, target name]). */
  links: Map<string, number>;
}

export interface PathLimits {
  paths: number;
  dropOffs: number;
  nodesPerDepth: number;
}

export const idOf = (depth: number, name: string) => `${depth}:${name}`;
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Accumulates paths person by person, for finishPaths. Top paths count people and occurrences;
 * drop-offs and the sankey count person-paths (a person's distinct paths), so one very active
 * person weighs as much as the different routes they took, not as their number of visits.
 */
export function createPathsTally(direction: 'start' | 'end', steps: number) {
  const counts: PathCounts = {
    totals: { occurrences: 0, people: 0, personPaths: 0 },
    paths: new Map(),
    nodes: new Map(),
    links: new Map(),
  };
  const { totals, paths, nodes, links } = counts;
  const depthOf = (index: number, length: number) =>
    direction === 'start' ? index : index - (length - 1);
  const node = (depth: number, name: string) => {
    const id = idOf(depth, name);
    let found = nodes.get(id);
    if (!found) nodes.set(id, (found = { name, depth, through: 0, ended: 0, endedPeople: 0 }));
    return found;
  };

  function addPerson(personPaths: readonly string[][]): void {
    if (personPaths.length === 0) return;
    totals.people += 1;
    totals.occurrences += personPaths.length;
    const distinct = new Map<string, { nodes: readonly string[]; count: number }>();
    for (const path of personPaths) {
      const key = JSON.stringify(path);
      const seen = distinct.get(key);
      if (seen) seen.count += 1;
      else distinct.set(key, { nodes: path, count: 1 });
    }
    const endedAt = new Set<NodeTally>();
    for (const [key, { nodes: names, count }] of distinct) {
      totals.personPaths += 1;
      let tally = paths.get(key);
      if (!tally) paths.set(key, (tally = { nodes: [...names], people: 0, occurrences: 0 }));
      tally.people += 1;
      tally.occurrences += count;
      names.forEach((name, i) => {
        node(depthOf(i, names.length), name).through += 1;
        if (i > 0) {
          const link = JSON.stringify([depthOf(i - 1, names.length), names[i - 1], name]);
          links.set(link, (links.get(link) ?? 0) + 1);
        }
      });
      if (names.length <= steps) {
        const far = direction === 'start' ? names.length - 1 : 0;
        const last = node(depthOf(far, names.length), names[far] as string);
        last.ended += 1;
        endedAt.add(last);
      }
    }
    for (const last of endedAt) last.endedPeople += 1;
  }

  return { addPerson, counts };
}

/**
 * Adds the counts of other people to `into` (none of them counted there yet), or with `sign` -1
 * takes out the counts of people counted there. What drops to nothing is removed.
 */
export function addPathCounts(into: PathCounts, more: PathCounts, sign: 1 | -1 = 1): void {
  into.totals.occurrences += sign * more.totals.occurrences;
  into.totals.people += sign * more.totals.people;
  into.totals.personPaths += sign * more.totals.personPaths;
  for (const [key, path] of more.paths) {
    const found = into.paths.get(key) ?? { nodes: [...path.nodes], people: 0, occurrences: 0 };
    found.people += sign * path.people;
    found.occurrences += sign * path.occurrences;
    if (found.people > 0) into.paths.set(key, found);
    else into.paths.delete(key);
  }
  for (const [id, node] of more.nodes) {
    const found = into.nodes.get(id) ?? { ...node, through: 0, ended: 0, endedPeople: 0 };
    found.through += sign * node.through;
    found.ended += sign * node.ended;
    found.endedPeople += sign * node.endedPeople;
    if (found.through > 0) into.nodes.set(id, found);
    else into.nodes.delete(id);
  }
  for (const [key, value] of more.links) {
    const sum = (into.links.get(key) ?? 0) + sign * value;
    if (sum > 0) into.links.set(key, sum);
    else into.links.delete(key);
  }
}

/** Top paths, drop-offs and the sankey from complete counts. */
export function finishPaths({ totals, paths, nodes, links }: PathCounts, limits: PathLimits) {
  const topPaths = [...paths.entries()]
    .sort(
      ([ka, a], [kb, b]) => b.people - a.people || b.occurrences - a.occurrences || byText(ka, kb),
    )
    .slice(0, limits.paths)
    .map(([, tally]) => tally);
  const dropOffs = [...nodes.values()]
    .filter((n) => n.ended > 0)
    .sort(
      (a, b) =>
        b.ended - a.ended || Math.abs(a.depth) - Math.abs(b.depth) || byText(a.name, b.name),
    )
    .slice(0, limits.dropOffs)
    .map((n) => ({
      id: idOf(n.depth, n.name),
      name: n.name,
      depth: n.depth,
      paths: n.ended,
      people: n.endedPeople,
      through: n.through,
      rate: n.ended / n.through,
    }));
  return { totals, topPaths, dropOffs, sankey: shapeSankey(nodes, links, limits.nodesPerDepth) };
}

/** Top nodes per depth by person-paths through them; the rest of a depth become `$other`. */
function shapeSankey(
  nodes: ReadonlyMap<string, NodeTally>,
  links: ReadonlyMap<string, number>,
  perDepth: number,
): PathsResult['sankey'] {
  const ranked = [...nodes.values()].sort(
    (a, b) => a.depth - b.depth || b.through - a.through || byText(a.name, b.name),
  );
  const kept = new Set<string>();
  const perDepthCount = new Map<number, number>();
  for (const n of ranked) {
    const count = perDepthCount.get(n.depth) ?? 0;
    if (count < perDepth) kept.add(idOf(n.depth, n.name));
    perDepthCount.set(n.depth, count + 1);
  }
  const shown = (depth: number, name: string) =>
    kept.has(idOf(depth, name)) ? idOf(depth, name) : idOf(depth, OTHER_GROUP);
  const out = new Map<string, { id: string; name: string; depth: number; value: number }>();
  for (const n of ranked) {
    const id = shown(n.depth, n.name);
    const name = kept.has(id) ? n.name : OTHER_GROUP;
    const entry = out.get(id) ?? { id, name, depth: n.depth, value: 0 };
    entry.value += n.through;
    out.set(id, entry);
  }
  const merged = new Map<string, number>();
  for (const [key, value] of links) {
    const [depth, from, to] = JSON.parse(key) as [number, string, string];
    const link = JSON.stringify([shown(depth, from), shown(depth + 1, to)]);
    merged.set(link, (merged.get(link) ?? 0) + value);
  }
  const depthOfId = (id: string) => Number(id.slice(0, id.indexOf(':')));
  return {
    nodes: [...out.values()],
    links: [...merged]
      .map(([key, value]) => {
        const [source, target] = JSON.parse(key) as [string, string];
        return { source, target, value };
      })
      .sort(
        (a, b) =>
          depthOfId(a.source) - depthOfId(b.source) ||
          b.value - a.value ||
          byText(a.source, b.source) ||
          byText(a.target, b.target),
      ),
  };
}

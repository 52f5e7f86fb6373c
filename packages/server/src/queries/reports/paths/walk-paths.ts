/** One event of a person as paths see it (see buildPathsQuery). */
export interface PathEvent {
  /** Epoch ms. */
  t: number;
  session: string | null;
  node: string;
  isNode: boolean;
  isAnchor: boolean;
}

export interface WalkPathsOptions {
  direction: 'start' | 'end';
  /** Nodes after the start (or before the end), besides the anchor. */
  steps: number;
  sessionScoped: boolean;
  /** Events at least this far from the anchor are not on its path. */
  reachMs: number;
  collapseRepeats: boolean;
  /** Anchors must fall in [from, to), epoch ms. */
  from: number;
  to: number;
}

/**
 * The path of every anchor of one person (events sorted by time, then id), each in time order:
 * the anchor then up to `steps` nodes after it, or up to `steps` nodes before it then the anchor.
 */
export function walkPaths(events: readonly PathEvent[], o: WalkPathsOptions): string[][] {
  const paths: string[][] = [];
  const way = o.direction === 'start' ? 1 : -1;
  events.forEach((anchor, i) => {
    if (!anchor.isAnchor || anchor.t < o.from || anchor.t >= o.to) return;
    const nodes = [anchor.node];
    for (let j = i + way; j >= 0 && j < events.length && nodes.length <= o.steps; j += way) {
      const event = events[j] as PathEvent;
      if (Math.abs(event.t - anchor.t) >= o.reachMs) break;
      if (!event.isNode || (o.sessionScoped && event.session !== anchor.session)) continue;
      if (o.collapseRepeats && event.node === nodes[nodes.length - 1]) continue;
      nodes.push(event.node);
    }
    paths.push(way === 1 ? nodes : nodes.reverse());
  });
  return paths;
}

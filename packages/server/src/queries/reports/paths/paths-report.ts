import type { StoreRow } from '../../../store/index.ts';
import type { QueryContext } from '../../context/query-context.ts';
import { defineReport } from '../define-report.ts';
import { forEachPerson } from '../funnels/for-each-person.ts';
import {
  checkPathsParams,
  pathsParams,
  pathsResult,
  type PathsParams,
  type PathsResult,
} from './paths-params.ts';
import { buildPathsQuery, pathReachMs } from './paths-sql.ts';
import { createPathsTally } from './summarise-paths.ts';
import { walkPaths, type PathEvent } from './walk-paths.ts';

function toPathEvent(row: StoreRow): PathEvent {
  return {
    t: Number(row.t),
    session: typeof row.session === 'string' ? row.session : null,
    node: typeof row.node === 'string' ? row.node : '',
    isNode: row.is_node === true,
    isAnchor: row.is_anchor === true,
  };
}

/** Runs the paths report: one query for nodes and anchors, then a walk per person. */
export async function computePaths(ctx: QueryContext, params: PathsParams): Promise<PathsResult> {
  checkPathsParams(params);
  const direction = params.start ? 'start' : 'end';
  const anchor = params.start ?? params.end;
  const tally = createPathsTally(direction, params.steps);
  if (anchor) {
    const options = {
      direction,
      steps: params.steps,
      sessionScoped: params.sessionScoped,
      reachMs: pathReachMs(params),
      collapseRepeats: params.collapseRepeats,
      from: ctx.from,
      to: ctx.to,
    } as const;
    await forEachPerson(ctx, buildPathsQuery(ctx, params, anchor), (_person, rows) =>
      tally.addPerson(walkPaths(rows.map(toPathEvent), options)),
    );
  }
  return {
    direction,
    steps: params.steps,
    ...tally.finish({
      paths: params.limit,
      dropOffs: params.dropOffLimit,
      nodesPerDepth: params.nodesPerDepth,
    }),
  };
}

export const pathsReport = defineReport({
  id: 'paths',
  summary: 'Paths: what people do after an event, or before it, with drop-off nodes and a sankey',
  description:
    'From each occurrence of a start event in the range, the next nodes (event names, or pages of ' +
    'page views) within the session or a time window; or the nodes leading to an end event. ' +
    'Immediate repeats are collapsed. Returns the top paths (people and occurrences), the nodes ' +
    'where most paths end before the asked depth, and sankey nodes and links counted in ' +
    'person-paths, with the smaller nodes of each depth merged into `$other`.',
  params: pathsParams,
  result: pathsResult,
  defaultGranularity: 'all',
  run: computePaths,
  toTable(result) {
    const columns = ['kind', 'path', 'depth', 'people', 'count', 'drop_off_rate'];
    const rows: Array<Array<string | number | null>> = [
      ...result.topPaths.map((p) => [
        'path',
        p.nodes.join(' > '),
        p.nodes.length - 1,
        p.people,
        p.occurrences,
        null,
      ]),
      ...result.dropOffs.map((d) => ['drop_off', d.name, d.depth, d.people, d.paths, d.rate]),
      ...result.sankey.links.map((l) => [
        'link',
        `${l.source} > ${l.target}`,
        Number(l.source.slice(0, l.source.indexOf(':'))),
        null,
        l.value,
        null,
      ]),
    ];
    return { columns, rows };
  },
});

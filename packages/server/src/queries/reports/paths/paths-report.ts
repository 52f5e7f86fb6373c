import type { QueryContext } from '../../context/query-context.ts';
import { defineReport } from '../define-report.ts';
import { countPaths, PATHS_METHODS, type PathsMethod } from './count-paths.ts';
import {
  checkPathsParams,
  pathsParams,
  pathsResult,
  type PathsParams,
  type PathsResult,
} from './paths-params.ts';
import { createPathsTally, finishPaths } from './summarise-paths.ts';

/**
 * Runs the paths report: the path of every anchor (walk-paths.ts defines them), counted in SQL
 * where it can settle them (count-paths.ts), then the top paths, drop-offs and sankey.
 * `methods` overrides how paths are counted (tests compare the methods).
 */
export async function computePaths(
  ctx: QueryContext,
  params: PathsParams,
  methods: readonly PathsMethod[] = PATHS_METHODS,
): Promise<PathsResult> {
  checkPathsParams(params);
  const direction = params.start ? 'start' : 'end';
  const anchor = params.start ?? params.end;
  const counts = anchor
    ? await countPaths(ctx, params, anchor, methods)
    : createPathsTally(direction, params.steps).counts;
  if (!counts) throw new Error('paths: none of the counting methods settled every path');
  return {
    direction,
    steps: params.steps,
    ...finishPaths(counts, {
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

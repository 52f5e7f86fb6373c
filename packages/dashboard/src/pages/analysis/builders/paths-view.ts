import type { Locale } from '../../../i18n/index.ts';
import type { ChartOption, ChartTable } from '../../../lib/charts.ts';
import { formatValue } from '../../../lib/format.ts';
import type { PathsResult } from './types.ts';

/**
 * The paths report's sankey: one column per depth (the anchor first for paths after an event,
 * last for paths before one), nodes named by the report and links of person-paths. The table
 * lists the links.
 */
export function pathsSankey(
  result: PathsResult,
  words: { other: string; from: string; to: string; paths: string },
  locale: Locale,
): { option: ChartOption; table: ChartTable; height: number } {
  const { nodes, links } = result.sankey;
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const shown = (id: string) => {
    const name = byId.get(id)?.name ?? id;
    return name === '$other' ? words.other : name;
  };
  const depths = nodes.map((node) => node.depth);
  const low = Math.min(0, ...depths);
  const columns = Math.max(0, ...depths) - low;
  const widest = Math.max(
    1,
    ...Object.values(
      nodes.reduce<Record<number, number>>((per, node) => {
        per[node.depth] = (per[node.depth] ?? 0) + 1;
        return per;
      }, {}),
    ),
  );
  const count = (value: number) => formatValue(value, 'count', locale);
  const option: ChartOption = {
    tooltip: {
      trigger: 'item',
      formatter: (params: unknown) => {
        const item = params as {
          dataType: 'node' | 'edge';
          name: string;
          value: number;
          data: { source?: string; target?: string };
        };
        if (item.dataType === 'edge')
          return `${shown(item.data.source ?? '')} → ${shown(item.data.target ?? '')}<br/>${words.paths}: ${count(item.value)}`;
        return `${shown(item.name)}<br/>${words.paths}: ${count(item.value)}`;
      },
    },
    series: [
      {
        type: 'sankey',
        left: 8,
        right: 8,
        top: 8,
        bottom: 8,
        nodeWidth: 14,
        nodeGap: 10,
        nodeAlign: 'justify',
        draggable: false,
        emphasis: { focus: 'adjacency' },
        data: nodes.map((node) => ({ name: node.id, value: node.value, depth: node.depth - low })),
        links: links.map((link) => ({ ...link })),
        label: {
          fontSize: 11,
          formatter: (params: unknown) => shown((params as { name: string }).name),
        },
        levels: [{ depth: columns, label: { position: 'left' } }],
        lineStyle: { color: 'gradient', opacity: 0.35, curveness: 0.5 },
      },
    ],
  };
  const table: ChartTable = {
    columns: [words.from, words.to, words.paths],
    rows: links.map((link) => [shown(link.source), shown(link.target), link.value]),
  };
  return { option, table, height: Math.min(640, Math.max(320, widest * 40)) };
}

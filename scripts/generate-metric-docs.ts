// Writes docs/metrics.md from the metric catalog; `--check` fails when the file is stale.
import { writeGeneratedDoc } from './write-generated-doc.ts';
import {
  DIMENSIONS,
  getDimension,
  METRIC_GROUPS,
  METRICS,
  type Formula,
  type MetricDefinition,
} from '@sightline/shared';

const PATH = 'docs/metrics.md';
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function describeFormula(formula: Formula): string {
  const where =
    'where' in formula && formula.where?.length
      ? ` where ${formula.where.map((c) => `${c.field} ${c.op}${c.value === undefined ? '' : ` ${JSON.stringify(c.value)}`}`).join(' and ')}`
      : '';
  switch (formula.kind) {
    case 'count':
      return `count of ${formula.source}${where}`;
    case 'distinct':
      return `distinct ${formula.of} in ${formula.source}${where}${formula.window ? ` (window: ${formula.window})` : ''}`;
    case 'sum':
    case 'avg':
    case 'min':
    case 'max':
      return `${formula.kind}(${formula.field}) of ${formula.source}${where}`;
    case 'quantile':
      return `p${Math.round(formula.q * 100)}(${formula.field}) of ${formula.source}${where}`;
    case 'rate':
      return `${formula.peak ? 'peak' : 'average'} per second of ${formula.source}${where}`;
    case 'ratio':
      return `\`${formula.numerator}\` / \`${formula.denominator}\`${formula.denominatorOverall ? ' (denominator not broken down)' : ''}`;
    case 'analysis':
      return `analysis \`${formula.analysis}\`${formula.params ? ` ${JSON.stringify(formula.params)}` : ''}`;
  }
}

function renderMetric(m: MetricDefinition): string[] {
  const dims = m.dimensions.map((id) => getDimension(id)?.name.en ?? id).join(', ') || '—';
  return [
    `### \`${m.id}\` — ${m.name.en} / ${m.name['zh-CN']}`,
    '',
    `- **Definition (口径):** ${m.definition['zh-CN']}`,
    `- **Definition (en):** ${m.definition.en}`,
    `- **Unit:** ${m.unit}${m.higherIsBetter === false ? ' (lower is better)' : ''} · **Version:** ${m.version} · **Combines:** ${m.aggregation === 'sum' ? 'sums across buckets' : 'recomputed per bucket (not summed)'}`,
    `- **Computation:** ${describeFormula(m.formula)}`,
    `- **Dimensions:** ${dims}`,
    ...(m.seed ? [`- **Source:** ${m.seed}`] : []),
    '',
  ];
}

export function renderMetricDocs(): string {
  const lines = [
    '# Metrics',
    '',
    '<!-- Generated from packages/shared/src/metrics by `npm run docs:metrics`. Do not edit. -->',
    '',
    'Every number Sightline shows comes from this catalog: the dashboard, alerts, reports and exports',
    'ask the query engine for a metric by id, and the engine computes it from its definition. Money is',
    'in minor units (fen, cents) of the order currency; ratios are 0..1. Days, weeks (Monday first) and',
    'months are those of the project time zone. "People" are merged across an anonymous id and the',
    'user id an `identify` linked it to. Bots are excluded from every event-based metric.',
    '',
    'Ask for any metric with `POST /api/v1/projects/{id}/reports/trends` (`series: [{ metric }]`) or',
    '`reports/kpis`, or `sightline query trends --metric <id>`; `GET /api/v1/metrics` lists this catalog.',
    '',
  ];
  for (const [group, name] of Object.entries(METRIC_GROUPS)) {
    const metrics = METRICS.filter((m) => m.group === group);
    if (metrics.length === 0) continue;
    lines.push(`## ${name.en} / ${name['zh-CN']}`, '');
    for (const m of metrics) lines.push(...renderMetric(m).map(cell));
  }
  lines.push('## Dimensions', '', '| Id | Name | Field per source |', '| --- | --- | --- |');
  for (const d of DIMENSIONS)
    lines.push(
      `| \`${d.id}\` | ${d.name.en} / ${d.name['zh-CN']} | ${Object.entries(d.fields)
        .map(([source, field]) => `${source}: \`${field}\``)
        .join(', ')} |`,
    );
  lines.push('');
  return lines.join('\n');
}

writeGeneratedDoc(PATH, renderMetricDocs(), 'docs:metrics');

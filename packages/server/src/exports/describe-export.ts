import type { Filter } from '@sightline/shared';
import { toLocalDate } from '../platform/index.ts';
import type { ExportFormat, StoredExportSource } from './export-schema.ts';

/** Keeps the CSV watermark one comment line a spreadsheet shows in its first cell. */
const MAX_WATERMARK_CHARS = 600;
const MAX_FILTER_TEXT_CHARS = 200;

export interface ExportDescription {
  /** What was exported, for people: `events rows 2026-11-20 … 2026-11-21; channel eq wechat`. */
  summary: string;
  /** `Sightline export · <project> · <who> · <when> · <summary>`, one line without , " or breaks. */
  watermark: string;
  /** The name the file downloads under. */
  fileName: string;
}

export interface DescribeExportParams {
  project: { id: string; name: string; timeZone: string };
  actor: string;
  actorLabel: string;
  /** Epoch ms of the request. */
  at: number;
  source: StoredExportSource;
  rowScope: readonly Filter[];
  format: ExportFormat;
}

function describeFilter(filter: Filter): string {
  const field = filter.dimension ?? `props.${filter.property ?? ''}`;
  const value =
    filter.value === undefined
      ? ''
      : ` ${Array.isArray(filter.value) ? filter.value.join('|') : String(filter.value)}`;
  return `${field} ${filter.op}${value}`;
}

function describeFilters(label: string, filters: readonly Filter[] | undefined): string[] {
  if (!filters || filters.length === 0) return [];
  const text = filters.map(describeFilter).join(' and ');
  const capped =
    text.length > MAX_FILTER_TEXT_CHARS ? `${text.slice(0, MAX_FILTER_TEXT_CHARS)}…` : text;
  return [`${label} ${capped}`];
}

/** Commas, quotes and line breaks would split or end the CSV comment line. */
const flatten = (text: string) => text.replace(/[,"\r\n\t]+/g, ' ').replace(/\s{2,}/g, ' ');

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40) || 'export';

/** The summary, watermark and file name of an export; all derived from the request alone. */
export function describeExport(params: DescribeExportParams): ExportDescription {
  const { project, source } = params;
  const zone = project.timeZone;
  const from = Date.parse(source.resolved.from);
  const to = Date.parse(source.resolved.to);
  const firstDay = toLocalDate(from, zone);
  // `to` is exclusive: the last day is the one before it.
  const lastDay = toLocalDate(Math.max(from, to - 1), zone);
  const what = source.kind === 'rows' ? `${source.source} rows` : `report ${source.report}`;
  const parts = [
    `${what} ${source.resolved.from} … ${source.resolved.to} (${zone})`,
    ...describeFilters('filters:', source.kind === 'rows' ? source.filters : filtersOf(source)),
    ...(source.kind === 'rows' && source.eventTypes
      ? [`types: ${source.eventTypes.join('|')}`]
      : []),
    ...describeFilters('row scope:', params.rowScope),
  ];
  const summary = flatten(parts.join('; '));
  const watermark = flatten(
    [
      'Sightline export',
      `${project.name} (${project.id})`,
      `${params.actorLabel} (${params.actor})`,
      new Date(params.at).toISOString(),
      summary,
    ].join(' · '),
  ).slice(0, MAX_WATERMARK_CHARS);
  const subject = source.kind === 'rows' ? source.source : source.report;
  const days = firstDay === lastDay ? firstDay : `${firstDay}_${lastDay}`;
  return {
    summary,
    watermark,
    fileName: `${slug(project.id)}-${slug(subject)}-${days}.${params.format}`,
  };
}

function filtersOf(source: StoredExportSource): Filter[] | undefined {
  if (source.kind !== 'report') return undefined;
  const filters = source.request.filters;
  return Array.isArray(filters) ? (filters as Filter[]) : undefined;
}

import { zoneOffsetMs } from '../../../platform/index.ts';
import type { ReportSection } from '../../report-document.ts';
import type { AlertHistoryRow, SectionContext } from '../content-types.ts';

/** Most transitions listed; the summary still counts them all. */
export const MAX_ALERT_ROWS = 500;
const NO_SEVERITY = '—';
/** Labels with their own columns. */
const SHOWN_LABELS = new Set(['alertname', 'severity']);

/** "2026-11-20 13:05:07" on the project's wall clock. */
function formatLocalTime(at: number, zone: string): string {
  return new Date(at + zoneOffsetMs(at, zone)).toISOString().slice(0, 19).replace('T', ' ');
}

function describeLabels(labels: Record<string, string>): string {
  return Object.keys(labels)
    .filter((name) => !SHOWN_LABELS.has(name))
    .sort()
    .map((name) => `${name}=${labels[name] ?? ''}`)
    .join(', ');
}

/**
 * The alerts' state changes in the period (the alert center's history; acknowledgements and
 * comments left out), oldest first, at local time in the project's zone; the summary counts
 * them by severity.
 */
export async function buildAlertsSection(ctx: SectionContext): Promise<ReportSection> {
  const { texts, params } = ctx;
  const { period, project } = params;
  const history = await ctx.alertHistory(project.id, { from: period.from, to: period.to });
  const transitions = history
    .filter((row) => row.kind === 'transition' && row.at >= period.from && row.at < period.to)
    .sort((a, b) => a.at - b.at || a.id - b.id);
  const severityOf = (row: AlertHistoryRow) => row.labels?.severity ?? NO_SEVERITY;
  const bySeverity = new Map<string, number>();
  for (const row of transitions)
    bySeverity.set(severityOf(row), (bySeverity.get(severityOf(row)) ?? 0) + 1);
  const shown = transitions.slice(-MAX_ALERT_ROWS);
  return {
    id: 'alerts',
    title: texts.titles.alerts,
    summary:
      transitions.length === 0
        ? texts.summaries.noAlerts
        : texts.summaries.alerts({
            count: transitions.length,
            bySeverity: [...bySeverity].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
            shown: shown.length,
          }),
    table: {
      columns: [
        { key: 'time', label: texts.columns.time, unit: 'text' },
        { key: 'rule', label: texts.columns.rule, unit: 'text' },
        { key: 'severity', label: texts.columns.severity, unit: 'text' },
        { key: 'state', label: texts.columns.state, unit: 'text' },
        { key: 'labels', label: texts.columns.labels, unit: 'text' },
      ],
      rows: shown.map((row) => [
        formatLocalTime(row.at, project.timeZone),
        row.labels?.alertname ?? row.alertId,
        severityOf(row),
        row.toState === null ? null : (texts.alertStates[row.toState] ?? row.toState),
        describeLabels(row.labels ?? {}),
      ]),
    },
  };
}

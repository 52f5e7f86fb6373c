import {
  ERR_REPORT_CHAT_BUDGET_TOO_SMALL,
  ERR_REPORT_LINK_INVALID,
  SightlineError,
} from '@sightline/shared';
import type { ReportDocument, ReportSuggestion } from '../report-document.ts';
import { getSafeHttpUrl } from './escape-html.ts';
import { formatChange, formatPeriod, formatValue } from './format-value.ts';
import { getReportTexts } from './report-texts.ts';

export interface RenderReportMarkdownOptions {
  /** The platform's limit on the message, in UTF-8 bytes (WeCom: 4096, DingTalk: 20000). */
  maxBytes: number;
  /** Where the full report is: the archive page or the dashboard. */
  url: string;
}

export interface RenderReportMarkdownResult {
  /** Plain text: the message's title (DingTalk shows it in the conversation list). */
  title: string;
  markdown: string;
}

/** Lines of each kind in a chat summary: it points to the report, it does not replace it. */
export const MAX_CHAT_EXPLANATIONS = 3;
export const MAX_CHAT_SUGGESTIONS = 3;
const ELLIPSIS = '…';
const SEVERITY_ORDER: Record<ReportSuggestion['severity'], number> = {
  critical: 0,
  warning: 1,
  info: 2,
};

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * Text from the document (project names, segments, rule texts) made inert for the markdown
 * subsets of DingTalk, Feishu and WeCom: they disagree on backslash escapes, so markup characters
 * become their full-width forms, and a line break cannot start a heading or a list.
 */
function toInertText(text: string): string {
  const FULL_WIDTH: Record<string, string> = {
    '*': '＊',
    '[': '［',
    ']': '］',
    '<': '＜',
    '>': '＞',
    '`': '｀',
    '#': '＃',
    '|': '｜',
  };
  return text.replace(/[*[\]<>`#|]/g, (c) => FULL_WIDTH[c] ?? c).replace(/\s*[\r\n]+\s*/g, ' ');
}

/** The longest prefix of `text` within `maxBytes` UTF-8 bytes, never splitting a character. */
function clipToBytes(text: string, maxBytes: number): string {
  let result = '';
  let bytes = 0;
  for (const char of text) {
    const size = byteLength(char);
    if (bytes + size > maxBytes) break;
    result += char;
    bytes += size;
  }
  return result;
}

function toLinkTarget(url: string): string {
  const safe = getSafeHttpUrl(url);
  if (safe === null) throw new SightlineError(ERR_REPORT_LINK_INVALID, { url: url.slice(0, 200) });
  // Parentheses and spaces would end a markdown link target early.
  return safe.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/ /g, '%20');
}

/** Blocks of lines in order of importance; a block's heading only goes out with its first item. */
function buildBlocks(doc: ReportDocument): Array<{ heading: string | null; items: string[] }> {
  const texts = getReportTexts(doc.locale);
  const { locale } = doc;
  const kpis = doc.headline.map((k) => {
    const change = formatChange(k.value, k.previous, k.unit, locale);
    const yoy = formatChange(k.value, k.lastYear, k.unit, locale);
    return (
      `- **${toInertText(k.name)}** ${formatValue(k.value, k.unit, locale)}` +
      ` ${texts.change} ${change} · ${texts.yoy} ${yoy}`
    );
  });
  const explanations = doc.explanations
    .slice(0, MAX_CHAT_EXPLANATIONS)
    .map((e) => `- ${toInertText(e.text)}`);
  const suggestions = [...doc.suggestions]
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])
    .slice(0, MAX_CHAT_SUGGESTIONS)
    .map((s) => `- **${texts.severity[s.severity]}** ${toInertText(s.text)}`);
  return [
    {
      heading: null,
      items: [
        `${texts.kindName[doc.kind]} · ${toInertText(doc.project.name)} · ${formatPeriod(doc.period, doc.kind, locale)}`,
      ],
    },
    { heading: `**${texts.headline}**`, items: kpis },
    { heading: `**${texts.explanations}**`, items: explanations },
    { heading: `**${texts.suggestions}**`, items: suggestions },
  ];
}

/**
 * A short summary of the report for DingTalk / Feishu / WeCom markdown (headings, bold, lists,
 * links; no tables or pictures): headline KPIs with 环比 and 同比, the first explanations and the
 * most severe suggestions, then a link to the full report. Lines are dropped whole from the end
 * to stay within `maxBytes`; the link is always kept, and the title is clipped if it must be.
 */
export function renderReportMarkdown(
  doc: ReportDocument,
  options: RenderReportMarkdownOptions,
): RenderReportMarkdownResult {
  const texts = getReportTexts(doc.locale);
  const link = `[${texts.viewFullReport}](${toLinkTarget(options.url)})`;
  const linkBytes = byteLength(link);
  if (linkBytes > options.maxBytes) {
    throw new SightlineError(ERR_REPORT_CHAT_BUDGET_TOO_SMALL, {
      maxBytes: options.maxBytes,
      linkBytes,
    });
  }
  const lines: string[] = [];
  // Every line is followed by "\n" and the link closes the message.
  let used = linkBytes;
  const fits = (line: string) => used + byteLength(line) + 1 <= options.maxBytes;
  const push = (line: string) => {
    lines.push(line);
    used += byteLength(line) + 1;
  };

  const heading = `### ${toInertText(doc.title)}`;
  if (fits(heading)) push(heading);
  else {
    const room = options.maxBytes - used - 1 - byteLength(`### ${ELLIPSIS}`);
    if (room > 0) push(`### ${clipToBytes(toInertText(doc.title), room)}${ELLIPSIS}`);
  }
  let truncated = lines.length === 0;
  outer: for (const block of buildBlocks(doc)) {
    if (truncated) break;
    for (const [i, item] of block.items.entries()) {
      const withHeading = i === 0 && block.heading !== null;
      // A blank line and the heading go out only together with the block's first item.
      const needed = withHeading ? ['', block.heading ?? '', item] : [item];
      const bytes = needed.reduce((sum, line) => sum + byteLength(line) + 1, 0);
      if (used + bytes > options.maxBytes) {
        truncated = true;
        break outer;
      }
      for (const line of needed) push(line);
    }
  }
  if (truncated && lines.length > 0 && fits(ELLIPSIS)) push(ELLIPSIS);
  else if (!truncated && fits('')) push('');
  return {
    title: doc.title,
    markdown: `${lines.join('\n')}${lines.length > 0 ? '\n' : ''}${link}`,
  };
}

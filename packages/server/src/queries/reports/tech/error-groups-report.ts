import { z } from 'zod';
import type { QueryContext } from '../../context/query-context.ts';
import { defineReport } from '../define-report.ts';
import {
  compareText,
  fetchErrorPairs,
  fetchGroupFacts,
  fetchOccurrences,
  fetchPairTexts,
  MAX_ERROR_PAIRS,
  type ErrorPair,
} from './error-groups-sql.ts';
import { fingerprintError, type ErrorFingerprint } from './fingerprint-error.ts';

const TOP_PAGES = 5;

export const errorGroupsParams = z.object({
  limit: z.number().int().min(1).max(500).default(50).describe('Groups listed, most events first'),
  fingerprint: z
    .string()
    .regex(/^[0-9a-f]{16}$/, 'a fingerprint: 16 lowercase hex characters')
    .optional()
    .describe('Only this group, with its latest 50 occurrences'),
});
export type ErrorGroupsParams = z.infer<typeof errorGroupsParams>;

const groupSchema = z.object({
  fingerprint: z.string(),
  type: z.string().nullable().describe('Error type (TypeError …) from the message or stack'),
  title: z.string().describe('The normalised message'),
  frames: z.array(z.string()).describe('The frames in the fingerprint, as path:function'),
  sampleMessage: z.string().describe('Message of the most recent occurrence, as sent'),
  sampleStack: z.string().describe('Stack of the most recent occurrence, as sent'),
  count: z.number(),
  users: z.number().describe('Distinct people (identity-merged) with an occurrence'),
  firstSeen: z.string(),
  lastSeen: z.string(),
  releases: z.array(z.object({ release: z.string().nullable(), count: z.number() })),
  topPages: z.array(z.object({ page: z.string().nullable(), count: z.number() })),
});
const occurrenceSchema = z.object({
  time: z.string(),
  user: z.string().nullable(),
  page: z.string().nullable(),
  release: z.string().nullable(),
  browser: z.string().nullable(),
  os: z.string().nullable(),
  message: z.string().nullable(),
});
const errorGroupsResult = z.object({
  totalEvents: z.number().describe('js_error events in the range'),
  totalGroups: z.number(),
  pairsTruncated: z
    .boolean()
    .describe(`More than ${MAX_ERROR_PAIRS} distinct (message, stack) pairs: the rarest left out`),
  groups: z.array(groupSchema),
  occurrences: z
    .array(occurrenceSchema)
    .nullable()
    .describe('With fingerprint: the latest 50 occurrences, newest first; else null'),
});
export type ErrorGroupsResult = z.infer<typeof errorGroupsResult>;
type ErrorGroup = z.infer<typeof groupSchema>;

interface MergedGroup {
  fp: ErrorFingerprint;
  pairs: ErrorPair[];
  count: number;
  firstSeen: number;
  lastSeen: number;
  /** The pair of the most recent occurrence. */
  sample: ErrorPair;
}

/** Fingerprints each pair and merges pairs with the same fingerprint, most events first. */
export function mergeErrorPairs(pairs: readonly ErrorPair[]): MergedGroup[] {
  const groups = new Map<string, MergedGroup>();
  for (const pair of pairs) {
    const fp = fingerprintError({ message: pair.message, stack: pair.stack });
    const group = groups.get(fp.fingerprint);
    if (!group) {
      groups.set(fp.fingerprint, {
        fp,
        pairs: [pair],
        count: pair.count,
        firstSeen: pair.firstSeen,
        lastSeen: pair.lastSeen,
        sample: pair,
      });
      continue;
    }
    group.pairs.push(pair);
    group.count += pair.count;
    group.firstSeen = Math.min(group.firstSeen, pair.firstSeen);
    group.lastSeen = Math.max(group.lastSeen, pair.lastSeen);
    if (isNewerSample(pair, group.sample)) group.sample = pair;
  }
  return [...groups.values()].sort(
    (a, b) =>
      b.count - a.count ||
      b.lastSeen - a.lastSeen ||
      compareText(a.fp.fingerprint, b.fp.fingerprint),
  );
}

/** Latest last occurrence; ties go to the more frequent pair, then the smaller key. */
function isNewerSample(pair: ErrorPair, current: ErrorPair): boolean {
  if (pair.lastSeen !== current.lastSeen) return pair.lastSeen > current.lastSeen;
  if (pair.count !== current.count) return pair.count > current.count;
  return pair.pair < current.pair;
}

async function describeGroups(ctx: QueryContext, groups: MergedGroup[]): Promise<ErrorGroup[]> {
  const facts = await fetchGroupFacts(
    ctx,
    groups.map((group) => group.pairs.map((pair) => pair.pair)),
    TOP_PAGES,
  );
  const cut = groups.filter((g) => g.sample.stackCut);
  const texts = await fetchPairTexts(
    ctx,
    cut.map((g) => g.sample.pair),
  );
  return groups.map((group, index) => {
    const full = texts.get(group.sample.pair);
    const fact = facts[index];
    return {
      fingerprint: group.fp.fingerprint,
      type: group.fp.type,
      title: group.fp.title,
      frames: group.fp.frames,
      sampleMessage: full?.message ?? group.sample.message,
      sampleStack: full?.stack ?? group.sample.stack,
      count: group.count,
      users: fact?.users ?? 0,
      firstSeen: new Date(group.firstSeen).toISOString(),
      lastSeen: new Date(group.lastSeen).toISOString(),
      releases: fact?.releases ?? [],
      topPages: fact?.pages ?? [],
    };
  });
}

export const errorGroupsReport = defineReport({
  id: 'error_groups',
  summary: 'Front-end errors grouped by fingerprint, with users, releases and pages',
  description:
    'js_error events grouped by a fingerprint of the error type, the normalised message (numbers, ' +
    'ids, UUIDs, emails, quoted strings masked; URLs without query) and the top 3 in-app stack ' +
    'frames (file path and function; not line or column). Each group has its event count, ' +
    'affected people (identity-merged, exact), first and last seen, releases and top pages. ' +
    'With `fingerprint`: that group alone and its latest 50 occurrences.',
  params: errorGroupsParams,
  result: errorGroupsResult,
  defaultGranularity: 'all',
  async run(ctx, params): Promise<ErrorGroupsResult> {
    const fetched = await fetchErrorPairs(ctx);
    const pairsTruncated = fetched.length > MAX_ERROR_PAIRS;
    const pairs = fetched.slice(0, MAX_ERROR_PAIRS);
    const merged = mergeErrorPairs(pairs);
    const totalEvents = pairs.reduce((sum, pair) => sum + pair.count, 0);
    const base = { totalEvents, totalGroups: merged.length, pairsTruncated };
    if (params.fingerprint === undefined) {
      const groups = await describeGroups(ctx, merged.slice(0, params.limit));
      return { ...base, groups, occurrences: null };
    }
    const one = merged.find((group) => group.fp.fingerprint === params.fingerprint);
    if (!one) return { ...base, groups: [], occurrences: [] };
    const [groups, occurrences] = await Promise.all([
      describeGroups(ctx, [one]),
      fetchOccurrences(
        ctx,
        one.pairs.map((pair) => pair.pair),
      ),
    ]);
    return { ...base, groups, occurrences };
  },
  toTable(result) {
    if (result.occurrences !== null) {
      return {
        columns: ['time', 'user', 'page', 'release', 'browser', 'os', 'message'],
        rows: result.occurrences.map((o) => [
          o.time,
          o.user,
          o.page,
          o.release,
          o.browser,
          o.os,
          o.message,
        ]),
      };
    }
    return {
      columns: [
        'fingerprint',
        'type',
        'title',
        'count',
        'users',
        'first_seen',
        'last_seen',
        'releases',
        'top_pages',
      ],
      rows: result.groups.map((g) => [
        g.fingerprint,
        g.type,
        g.title,
        g.count,
        g.users,
        g.firstSeen,
        g.lastSeen,
        g.releases.map((r) => `${r.release ?? '(none)'}: ${r.count}`).join('; '),
        g.topPages.map((p) => `${p.page ?? '(none)'}: ${p.count}`).join('; '),
      ]),
    };
  },
});

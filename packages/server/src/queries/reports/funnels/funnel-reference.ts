import type { EventRow } from '../../../store/index.ts';
import { FROM, LINKS, TO } from './funnel-generators.ts';
import type { FunnelParams, Matcher } from './funnel-params.ts';

// Events fall on 10-minute marks around the local day 2026-11-20 (funnel-generators.ts).
const BOUNDS = [60, 300, 1_800, 3_600, 21_600, 86_400, 259_200, 604_800];

interface RefEvent {
  person: string;
  id: string;
  t: number;
  row: EventRow;
  steps: boolean[];
  excl: boolean;
  typed: boolean;
  rank: number;
}

function matches(m: Matcher, row: EventRow): boolean {
  const props = JSON.parse(row.props) as Record<string, string>;
  return (
    row.name === m.event &&
    (m.filters ?? []).every((f) =>
      f.property ? props[f.property] === f.value : row.channel !== f.value,
    )
  );
}

/** The documented rules, transcribed with plain loops over one person's sorted events. */
function walkReference(evs: RefEvent[], p: FunnelParams) {
  const n = p.steps.length;
  const W = p.windowSeconds * 1000;
  const req = p.steps.map((s) => !s.optional);
  const nextReq = (k: number) => req.findIndex((r, i) => i >= k && r);
  const scan = (k: number, after: number, deadline: number, before = Infinity) => {
    for (let i = after + 1; i < evs.length && i < before; i += 1)
      if (evs[i]!.t >= deadline) return -1;
      else if (evs[i]!.steps[k]) return i;
    return -1;
  };
  const evaluate = (a: number) => {
    const deadline = evs[a]!.t + W;
    const m = new Array<number>(n).fill(-1);
    let cut = -1;
    if (p.order === 'any') {
      let x = -1;
      for (let i = a + 1; i < evs.length && evs[i]!.t < deadline; i += 1)
        if (evs[i]!.excl) {
          x = i;
          break;
        }
      const used: number[] = [];
      for (let k = 0; k < n; k += 1) {
        for (let i = a; i < evs.length && evs[i]!.t < deadline && (x < 0 || i < x); i += 1)
          if (evs[i]!.steps[k] && !used.includes(i)) {
            m[k] = i;
            used.push(i);
            break;
          }
        if (m[k]! < 0 && req[k]) break;
      }
      return used.includes(a) ? { m, deadline, cut: x } : null;
    }
    m[0] = a;
    let pos = a;
    if (p.order === 'ordered') {
      for (let k = 1; k < n; k += 1) {
        const q = scan(k, pos, deadline);
        if (req[k] && q < 0) break;
        if (!req[k]) {
          const r = scan(nextReq(k), pos, deadline);
          if (q < 0 || (r >= 0 && r <= q)) continue;
        }
        m[k] = q;
        pos = q;
      }
    } else {
      for (let k = 1; k < n;) {
        let q = pos + 1;
        while (q < evs.length && !evs[q]!.typed) q += 1;
        if (q >= evs.length || evs[q]!.t >= deadline) break;
        let j = k;
        while (j <= nextReq(k) && !evs[q]!.steps[j]) j += 1;
        if (j > nextReq(k)) {
          cut = q;
          break;
        }
        m[j] = q;
        pos = q;
        k = j + 1;
      }
    }
    for (const e of p.exclusions) {
      const [from, to] = (e.between ?? [1, n]).map((s) => s - 1) as [number, number];
      if (m[from]! < 0) continue;
      let x = -1;
      for (let i = m[from]! + 1; i < evs.length && evs[i]!.t < deadline; i += 1)
        if (evs[i]!.excl) {
          x = i;
          break;
        }
      if (x < 0 || (m[to]! >= 0 && m[to]! <= x)) continue;
      for (let k = 0; k < n; k += 1) if (m[k]! >= x) m[k] = -1;
      cut = cut < 0 ? x : Math.min(cut, x);
    }
    return { m, deadline, cut };
  };
  const level = (m: number[]) => Math.max(-1, ...m.map((q, k) => (q >= 0 && req[k] ? k : -1)));
  const anchors = evs
    .map((_e, i) => i)
    .filter((i) => {
      const e = evs[i]!;
      const eligible = p.order === 'any' ? e.steps.some(Boolean) : e.steps[0];
      return eligible && e.t >= FROM && e.t < TO;
    });
  const out: number[][] = [];
  if (p.count === 'unique') {
    let best: number[] | null = null;
    for (const a of anchors) {
      const r = evaluate(a);
      if (r && (!best || level(r.m) > level(best))) best = r.m;
    }
    if (best) out.push(best);
  } else {
    let free = (_: number) => true;
    for (const a of anchors) {
      if (!free(a)) continue;
      const r = evaluate(a);
      if (!r) continue;
      out.push(r.m);
      const last = Math.max(...r.m);
      free =
        r.m[n - 1]! >= 0
          ? (q) => q > last
          : r.cut >= 0
            ? (q) => q >= r.cut
            : (q) => evs[q]!.t >= r.deadline;
    }
  }
  return out.map((m) => ({
    grp: (m[0]! >= 0 ? evs[m[0]!]!.row.channel : null) ?? null,
    steps: m.map((q) => (q < 0 ? null : evs[q]!)),
  }));
}

type RefAttempt = ReturnType<typeof walkReference>[number];

function shapeReference(attempts: RefAttempt[], p: FunnelParams) {
  const n = p.steps.length;
  const counts = new Array<number>(n).fill(0);
  const revenue = new Array<number>(n).fill(0);
  const secs: number[][] = Array.from({ length: n }, () => []);
  for (const a of attempts) {
    let done = -1;
    a.steps.forEach((e, k) => {
      if (!e) return;
      counts[k] = counts[k]! + 1;
      revenue[k] = revenue[k]! + (e.row.amount ?? 0);
      if (done >= 0) secs[k]!.push((Math.max(done, e.t) - done) / 1000);
      done = Math.max(done, e.t);
    });
  }
  let prev = counts[0] ?? 0;
  const steps = counts.map((count, k) => {
    const xs = [...secs[k]!].sort((x, y) => x - y);
    const h = xs.length;
    const row = {
      count,
      conversionFromFirst: counts[0] ? count / counts[0] : null,
      conversionFromPrevious: k === 0 || !prev ? null : count / prev,
      dropOff: k === 0 ? null : prev - count,
      medianSecondsToConvert:
        k === 0 || h === 0 ? null : h % 2 ? xs[(h - 1) / 2] : (xs[h / 2 - 1]! + xs[h / 2]!) / 2,
      avgSecondsToConvert: k === 0 || h === 0 ? null : xs.reduce((x, y) => x + y, 0) / h,
      timeToConvertHistogram:
        k === 0
          ? null
          : BOUNDS.concat(Infinity).map(
              (b, i) => xs.filter((x) => x < b && x >= (BOUNDS[i - 1] ?? 0)).length,
            ),
      revenue: revenue[k],
    };
    if (!p.steps[k]!.optional) prev = count;
    return row;
  });
  return { steps, overallConversion: counts[0] ? counts[n - 1]! / counts[0] : null };
}

/** The funnel of generated rows by the documented rules, as computeFunnel answers it. */
export function referenceFunnel(rows: EventRow[], p: FunnelParams, dropChannel: string | null) {
  const stepNames = new Set(
    p.steps.flatMap((s) => ('anyOf' in s ? s.anyOf : [s]).map((m) => m.event)),
  );
  const byPerson = new Map<string, RefEvent[]>();
  for (const row of rows) {
    const person = row.userId ?? LINKS.get(row.anonymousId ?? '') ?? row.anonymousId;
    const inScope = row.eventTime >= FROM && row.eventTime < TO + p.windowSeconds * 1000;
    if (!person || row.isBot || !inScope || (dropChannel && row.channel === dropChannel)) continue;
    const steps = p.steps.map((s) => ('anyOf' in s ? s.anyOf : [s]).some((m) => matches(m, row)));
    const excl = p.exclusions.some((m) => matches(m, row));
    const typed = stepNames.has(row.name);
    if (!steps.some(Boolean) && !excl && !(p.order === 'strict' && typed)) continue;
    const rank = steps.indexOf(true) < 0 ? 99 : steps.indexOf(true);
    const list = byPerson.get(person) ?? [];
    list.push({ person, id: row.eventId, t: row.eventTime, row, steps, excl, typed, rank });
    byPerson.set(person, list);
  }
  const attempts = [...byPerson.values()].flatMap((evs) =>
    walkReference(
      evs.sort((a, b) => a.t - b.t || a.rank - b.rank || (a.id < b.id ? -1 : 1)),
      p,
    ),
  );
  let groups = null;
  if (p.breakdown) {
    const starts = new Map<string, number>();
    for (const a of attempts) if (a.grp) starts.set(a.grp, (starts.get(a.grp) ?? 0) + 1);
    const top = [...starts]
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
      .slice(0, p.breakdown.limit)
      .map(([key]) => key);
    const rest = attempts.filter((a) => !a.grp || !top.includes(a.grp));
    groups = [
      ...top.map((key) => ({
        key,
        ...shapeReference(
          attempts.filter((a) => a.grp === key),
          p,
        ),
      })),
      ...(rest.length ? [{ key: '$other', ...shapeReference(rest, p) }] : []),
    ];
  }
  return { ...shapeReference(attempts, p), groups };
}

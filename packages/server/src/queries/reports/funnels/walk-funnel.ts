/** One event of a person as the funnel sees it (see buildFunnelQuery). */
export interface FunnelEvent {
  /** Epoch ms. */
  t: number;
  /** Bit i set: the event qualifies for step i. */
  steps: number;
  /** Bit j set: the event is excluded event j. */
  excl: number;
  /** Its name is one of the steps' event names (strict funnels look at these). */
  typed: boolean;
  amount: number;
  grp: string | null;
}

export interface WalkOptions {
  order: 'ordered' | 'strict' | 'any';
  count: 'unique' | 'total';
  /** Per step: false when optional. */
  required: readonly boolean[];
  windowMs: number;
  /** 0-based steps an exclusion applies between (any order: always the whole funnel). */
  exclusions: ReadonlyArray<{ from: number; to: number }>;
  /** The range an attempt's first event must fall in, epoch ms, [from, to). */
  from: number;
  to: number;
}

/** One attempt: per step the matched event (null when not done), and the breakdown value. */
export interface Attempt {
  steps: Array<{ t: number; amount: number } | null>;
  grp: string | null;
}

interface Evaluated {
  matched: number[];
  deadline: number;
  /** Where a strict run broke or an exclusion cut the attempt; null when neither. */
  cut: number | null;
}

/** Index of the first element of an ascending list greater than pos (or >= when inclusive). */
function firstIndexAfter(list: readonly number[], pos: number, inclusive = false): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const value = list[mid] as number;
    if (value > pos || (inclusive && value === pos)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function firstAfter(list: readonly number[], pos: number): number {
  return list[firstIndexAfter(list, pos)] ?? -1;
}

function listsOf(events: readonly FunnelEvent[], size: number, bits: (e: FunnelEvent) => number) {
  const lists: number[][] = Array.from({ length: size }, () => []);
  events.forEach((event, index) => {
    const mask = bits(event);
    if (mask !== 0) for (let i = 0; i < size; i += 1) if (mask & (1 << i)) lists[i]?.push(index);
  });
  return lists;
}

/**
 * Walks one person's events (sorted by time, then step, then id) into attempts: every attempt
 * for `total`, the person's furthest-reaching one (the earliest among equals) for `unique`.
 */
export function walkPerson(events: readonly FunnelEvent[], o: WalkOptions): Attempt[] {
  const n = o.required.length;
  const stepLists = listsOf(events, n, (e) => e.steps);
  const exclLists = listsOf(events, o.exclusions.length, (e) => e.excl);
  const typed = events.flatMap((e, i) => (e.typed ? [i] : []));
  // The next required step at or after each step (the last step is always required).
  const requiredAtOrAfter = o.required.map((_, k) => {
    let r = k;
    while (r < n - 1 && !o.required[r]) r += 1;
    return r;
  });
  const at = (i: number) => events[i] as FunnelEvent;

  function cutByExclusions(matched: number[], deadline: number): number | null {
    let cut: number | null = null;
    o.exclusions.forEach(({ from, to }, j) => {
      const start = matched[from] ?? -1;
      if (start < 0) return;
      const x = firstAfter(exclLists[j] ?? [], start);
      if (x < 0 || at(x).t >= deadline) return;
      const end = matched[to] ?? -1;
      if (end >= 0 && end <= x) return;
      cut = cut === null ? x : Math.min(cut, x);
    });
    return cut;
  }

  function evaluateInOrder(a: number): Evaluated {
    const deadline = at(a).t + o.windowMs;
    const next = (list: readonly number[], pos: number) => {
      const q = firstAfter(list, pos);
      return q >= 0 && at(q).t < deadline ? q : -1;
    };
    const matched = new Array<number>(n).fill(-1);
    matched[0] = a;
    let pos = a;
    let broken: number | null = null;
    if (o.order === 'ordered') {
      for (let k = 1; k < n; k += 1) {
        const q = next(stepLists[k] ?? [], pos);
        if (o.required[k]) {
          if (q < 0) break;
        } else {
          // An optional step is taken only when that does not pass over the next required one.
          const r = next(stepLists[requiredAtOrAfter[k] as number] ?? [], pos);
          if (q < 0 || (r >= 0 && r <= q)) continue;
        }
        matched[k] = q;
        pos = q;
      }
    } else {
      let k = 1;
      while (k < n) {
        const q = next(typed, pos);
        if (q < 0) break;
        let j = k;
        const last = requiredAtOrAfter[k] as number;
        while (j <= last && !(at(q).steps & (1 << j))) j += 1;
        if (j > last) {
          broken = q;
          break;
        }
        matched[j] = q;
        pos = q;
        k = j + 1;
      }
    }
    const excluded = cutByExclusions(matched, deadline);
    if (excluded !== null)
      for (let k = 1; k < n; k += 1) if ((matched[k] as number) >= excluded) matched[k] = -1;
    const cut =
      excluded === null ? broken : broken === null ? excluded : Math.min(broken, excluded);
    return { matched, deadline, cut };
  }

  function evaluateAnyOrder(a: number): Evaluated | null {
    const deadline = at(a).t + o.windowMs;
    let cut: number | null = null;
    for (const list of exclLists) {
      const x = firstAfter(list, a);
      if (x >= 0 && at(x).t < deadline) cut = cut === null ? x : Math.min(cut, x);
    }
    const matched = new Array<number>(n).fill(-1);
    const used = new Set<number>();
    for (let k = 0; k < n; k += 1) {
      const list = stepLists[k] ?? [];
      for (let i = firstIndexAfter(list, a, true); i < list.length; i += 1) {
        const q = list[i] as number;
        if (at(q).t >= deadline || (cut !== null && q >= cut)) break;
        if (used.has(q)) continue;
        matched[k] = q;
        used.add(q);
        break;
      }
      if (matched[k] === -1 && o.required[k]) break;
    }
    // The attempt is anchored at its first event: one that no step took starts none.
    return used.has(a) ? { matched, deadline, cut } : null;
  }

  const evaluate = o.order === 'any' ? evaluateAnyOrder : evaluateInOrder;
  const anchorBits = o.order === 'any' ? -1 : 1;
  const anchors = events.flatMap((e, i) =>
    e.t >= o.from && e.t < o.to && e.steps & anchorBits ? [i] : [],
  );
  const toAttempt = ({ matched }: Evaluated): Attempt => {
    const steps = matched.map((q) => (q < 0 ? null : { t: at(q).t, amount: at(q).amount }));
    const first = matched[0] ?? -1;
    return { steps, grp: first < 0 ? null : at(first).grp };
  };
  const reached = (matched: readonly number[]) => {
    let level = -1;
    matched.forEach((q, k) => {
      if (q >= 0 && o.required[k]) level = k;
    });
    return level;
  };

  if (o.count === 'unique') {
    let best: Evaluated | null = null;
    let bestLevel = -1;
    for (const a of anchors) {
      const evaluated = evaluate(a);
      if (!evaluated) continue;
      const level = reached(evaluated.matched);
      if (level > bestLevel) {
        best = evaluated;
        bestLevel = level;
      }
      if (level === n - 1) break;
    }
    return best ? [toAttempt(best)] : [];
  }

  // Total: attempts follow one another; the next starts with the first anchor after this one
  // completed (its last step), was cut (at the breaking or excluded event) or expired.
  const attempts: Attempt[] = [];
  let i = 0;
  while (i < anchors.length) {
    const a = anchors[i] as number;
    const evaluated = evaluate(a);
    if (!evaluated) {
      i += 1;
      continue;
    }
    attempts.push(toAttempt(evaluated));
    const { matched, cut, deadline } = evaluated;
    const done = (matched[n - 1] as number) >= 0;
    const isFree = done
      ? (q: number) => q > Math.max(...matched)
      : cut !== null
        ? (q: number) => q >= cut
        : (q: number) => at(q).t >= deadline;
    i += 1;
    while (i < anchors.length && !isFree(anchors[i] as number)) i += 1;
  }
  return attempts;
}

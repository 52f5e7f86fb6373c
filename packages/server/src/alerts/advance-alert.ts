export const ALERT_STATES = ['inactive', 'pending', 'firing', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** What the lifecycle needs to remember of one alert between evaluations. */
export interface AlertLifecycle {
  state: AlertState;
  /** Recent evaluations, oldest first: '1' breached, '0' not. */
  breaches: string;
  pendingSince: number | null;
  firingSince: number | null;
  resolvedAt: number | null;
  ackAt: number | null;
  ackBy: string | null;
  ackComment: string | null;
}

export interface AdvanceParams {
  breached: boolean;
  now: number;
  forSeconds: number;
  /** Fire when at least m of the last n evaluations breached; resolve when fewer do. */
  m: number;
  n: number;
}

export interface AdvanceResult {
  next: AlertLifecycle;
  /** State changes in order (inactive → firing directly when `for` is 0). */
  transitions: Array<{ from: AlertState; to: AlertState }>;
}

export const NEW_LIFECYCLE: AlertLifecycle = Object.freeze({
  state: 'inactive',
  breaches: '',
  pendingSince: null,
  firingSince: null,
  resolvedAt: null,
  ackAt: null,
  ackBy: null,
  ackComment: null,
});

/**
 * One evaluation's step of an alert's lifecycle (Prometheus semantics plus M-of-N):
 * inactive/resolved → pending when the condition holds, pending → firing once it has held for
 * `for`, pending → inactive when it stops holding, firing → resolved when it stops holding.
 * Acknowledgement belongs to a firing episode and is cleared on resolve.
 */
export function advanceAlert(prev: AlertLifecycle, params: AdvanceParams): AdvanceResult {
  const breaches = (prev.breaches + (params.breached ? '1' : '0')).slice(-params.n);
  const held = countBreaches(breaches) >= params.m;
  const next: AlertLifecycle = { ...prev, breaches };
  const transitions: AdvanceResult['transitions'] = [];
  const move = (to: AlertState) => {
    transitions.push({ from: next.state, to });
    next.state = to;
  };
  const fire = () => {
    move('firing');
    next.firingSince = params.now;
    next.resolvedAt = null;
  };

  if (held) {
    if (next.state === 'inactive' || next.state === 'resolved') {
      if (params.forSeconds === 0) {
        next.pendingSince = null;
        fire();
      } else {
        move('pending');
        next.pendingSince = params.now;
      }
    } else if (
      next.state === 'pending' &&
      params.now - (next.pendingSince ?? params.now) >= params.forSeconds * 1000
    ) {
      fire();
    }
  } else if (next.state === 'pending') {
    move('inactive');
    next.pendingSince = null;
  } else if (next.state === 'firing') {
    move('resolved');
    next.resolvedAt = params.now;
    next.pendingSince = null;
    next.ackAt = null;
    next.ackBy = null;
    next.ackComment = null;
  }
  return { next, transitions };
}

function countBreaches(breaches: string): number {
  let count = 0;
  for (const flag of breaches) if (flag === '1') count += 1;
  return count;
}

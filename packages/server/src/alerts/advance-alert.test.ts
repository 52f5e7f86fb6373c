import { describe, expect, it } from 'vitest';
import { advanceAlert, NEW_LIFECYCLE, type AlertLifecycle } from './advance-alert.ts';

const MIN = 60_000;

/** Runs a sequence of evaluations one minute apart; returns the states after each. */
function run(
  flags: readonly boolean[],
  rule: { forSeconds: number; m: number; n: number },
  start: AlertLifecycle = NEW_LIFECYCLE,
): string[] {
  let current = start;
  return flags.map((breached, i) => {
    current = advanceAlert(current, { breached, now: i * MIN, ...rule }).next;
    return current.state;
  });
}

describe('advanceAlert', () => {
  it('fires at once without `for`, and resolves when the condition stops', () => {
    expect(run([false, true, true, false, false], { forSeconds: 0, m: 1, n: 1 })).toEqual([
      'inactive',
      'firing',
      'firing',
      'resolved',
      'resolved',
    ]);
  });

  it('waits `for` in pending, and goes back to inactive when the condition stops early', () => {
    expect(
      run([true, true, false, true, true, true, true], { forSeconds: 120, m: 1, n: 1 }),
    ).toEqual(['pending', 'pending', 'inactive', 'pending', 'pending', 'firing', 'firing']);
  });

  it('needs m of the last n breaches to fire and to stay firing (jitter suppression)', () => {
    // Isolated spikes, then a real incident of two evaluations.
    const spiky = [true, false, false, true, false, false, true, true, false, false];
    const states = (m: number, n: number) =>
      run(spiky, { forSeconds: 0, m, n })
        .map((s) => s[0])
        .join('');
    // i = inactive, f = firing, r = resolved
    expect(states(1, 1)).toBe('frrfrrffrr');
    expect(states(2, 3)).toBe('iiiiiiiffr');
  });

  it('records each transition, and a resolve clears the acknowledgement', () => {
    const firing = {
      ...NEW_LIFECYCLE,
      state: 'firing' as const,
      breaches: '1',
      firingSince: 0,
      ackAt: 5,
      ackBy: 'user:u1',
      ackComment: 'looking',
    };
    const { next, transitions } = advanceAlert(firing, {
      breached: false,
      now: MIN,
      forSeconds: 0,
      m: 1,
      n: 1,
    });
    expect(transitions).toEqual([{ from: 'firing', to: 'resolved' }]);
    expect(next).toMatchObject({
      state: 'resolved',
      resolvedAt: MIN,
      firingSince: 0,
      ackAt: null,
      ackBy: null,
      ackComment: null,
    });
    const again = advanceAlert(next, { breached: true, now: 2 * MIN, forSeconds: 0, m: 1, n: 1 });
    expect(again.transitions).toEqual([{ from: 'resolved', to: 'firing' }]);
    expect(again.next).toMatchObject({ firingSince: 2 * MIN, resolvedAt: null });
  });
});

import { describe, expect, it } from 'vitest';
import { isInMuteWindow, isSilenceActive, matchesLabels } from './match-silences.ts';

const labels = { alertname: 'API slow', severity: 'P1', route: '/api/pay' };

describe('silence matching', () => {
  it.each([
    [[{ name: 'alertname', op: '=', value: 'API slow' }], true],
    [[{ name: 'alertname', op: '=', value: 'API' }], false],
    [[{ name: 'route', op: '=~', value: '/api/(pay|checkout)' }], true],
    [[{ name: 'route', op: '=~', value: '/api' }], false], // anchored
    [[{ name: 'severity', op: '!=', value: 'P0' }], true],
    [[{ name: 'severity', op: '!~', value: 'P[12]' }], false],
    [[{ name: 'service', op: '=', value: '' }], true], // a missing label is empty
    [
      [
        { name: 'alertname', op: '=', value: 'API slow' },
        { name: 'severity', op: '=', value: 'P0' },
      ],
      false,
    ],
  ] as const)('%j → %s', (matchers, expected) => {
    expect(matchesLabels(labels, matchers)).toBe(expected);
  });

  it('is active only inside its period, and not after being ended early', () => {
    const silence = {
      id: 's',
      matchers: [],
      startsAt: 100,
      endsAt: 200,
      schedule: null,
      expiredAt: null,
    };
    expect([99, 100, 199, 200].map((t) => isSilenceActive(silence, t, 'UTC'))).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect(isSilenceActive({ ...silence, expiredAt: 150 }, 160, 'UTC')).toBe(false);
  });

  it('recurring windows are local, and one ending before it starts runs over midnight', () => {
    // Friday 22:00 to Saturday 06:00, Asia/Shanghai.
    const nightly = { days: [5], startMinute: 22 * 60, endMinute: 6 * 60 };
    const at = (iso: string) => Date.parse(iso);
    expect(isInMuteWindow(nightly, at('2026-11-20T14:30:00Z'), 'Asia/Shanghai')).toBe(true); // Fri 22:30
    expect(isInMuteWindow(nightly, at('2026-11-20T21:59:00Z'), 'Asia/Shanghai')).toBe(true); // Sat 05:59
    expect(isInMuteWindow(nightly, at('2026-11-20T22:00:00Z'), 'Asia/Shanghai')).toBe(false); // Sat 06:00
    expect(isInMuteWindow(nightly, at('2026-11-20T13:59:00Z'), 'Asia/Shanghai')).toBe(false); // Fri 21:59
    expect(isInMuteWindow(nightly, at('2026-11-19T14:30:00Z'), 'Asia/Shanghai')).toBe(false); // Thu 22:30
    const office = { days: [1, 2, 3, 4, 5], startMinute: 9 * 60, endMinute: 18 * 60 };
    expect(isInMuteWindow(office, at('2026-11-20T01:00:00Z'), 'Asia/Shanghai')).toBe(true); // Fri 09:00
    expect(isInMuteWindow(office, at('2026-11-21T01:00:00Z'), 'Asia/Shanghai')).toBe(false); // Sat
  });
});

import { describe, expect, it } from 'vitest';
import { groupLabelName } from './evaluate-due-rules.ts';

describe('groupLabelName', () => {
  it('keeps catalog dimensions as they are', () => {
    expect(['route', 'channel', 'http_status'].map(groupLabelName)).toEqual([
      'route',
      'channel',
      'http_status',
    ]);
  });

  it("never lets an insight's breakdown property overwrite the alert's own labels", () => {
    expect(groupLabelName('alertname')).toBe('group_alertname');
    expect(groupLabelName('severity')).toBe('group_severity');
    expect(groupLabelName('insight_id')).toBe('group_insight_id');
  });

  it('turns any property name into a valid label name', () => {
    expect(groupLabelName('$os')).toBe('group__os');
    expect(groupLabelName('2fa-method')).toBe('group_2fa_method');
    expect(groupLabelName('x'.repeat(80))).toHaveLength(64);
    expect(groupLabelName('x'.repeat(80))).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/);
  });
});

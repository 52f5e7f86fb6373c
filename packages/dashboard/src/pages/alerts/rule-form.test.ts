import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../lib/api.ts';
import type { RuleSpec } from './alerts-api.ts';
import type * as RuleFormModule from './rule-form.ts';

// The form speaks through the dashboard's i18n, which reads the browser's language at import,
// and Vue's DOM runtime makes an element at import: the least of a browser for both, in Node.
vi.stubGlobal('localStorage', { getItem: () => 'en', setItem: () => undefined });
vi.stubGlobal('navigator', { language: 'en' });
vi.stubGlobal('document', { documentElement: { lang: '' }, createElement: () => ({}) });
let form: typeof RuleFormModule;
beforeAll(async () => {
  form = await import('./rule-form.ts');
});

const base: RuleSpec = {
  name: 'Checkout slow',
  description: 'p95 of the checkout API',
  severity: 'P0',
  enabled: false,
  query: {
    source: 'metric',
    metric: 'api_latency_p95',
    filters: [{ dimension: 'route', op: 'eq', value: '/checkout' }],
    windowMinutes: 15,
    groupBy: 'platform',
    maxGroups: 5,
  },
  condition: { kind: 'threshold', op: 'gte', value: 1200 },
  minVolume: { metric: 'api_requests', min: 50 },
  forSeconds: 300,
  breaches: { m: 2, n: 3 },
  intervalSeconds: 120,
  labels: { service: 'checkout' },
  channelIds: ['ch_1', 'ch_gone'],
};

/** A rule through the form and back, the threshold typed in `unit` as the editor shows it. */
function roundTrip(spec: RuleSpec, unit: 'ms' | 'currency' | 'ratio' = 'ms') {
  const fields = form.ruleFormOf(spec);
  if (spec.condition.kind === 'threshold')
    fields.threshold = form.toInput(spec.condition.value, unit);
  return form.specOfForm(fields, {
    unit,
    filters: spec.query.filters,
    channelIds: ['ch_1'],
  });
}

describe('rule form', () => {
  it('gives back the rule it was opened with, less the channels deleted meanwhile', () => {
    expect(roundTrip(base)).toEqual({ ...base, channelIds: ['ch_1'] });
    const insight: RuleSpec = {
      ...base,
      query: {
        source: 'insight',
        insightId: 'ins_1',
        seriesIndex: 0,
        step: 3,
        stepFrom: 'first',
        filters: [],
        windowMinutes: 60,
        groupBy: null,
        maxGroups: 20,
      },
      condition: { kind: 'change', compareTo: 'previous_window', direction: 'down', percent: 25 },
      minVolume: { metric: '$funnel_entries', min: 20 },
      channelIds: [],
    };
    expect(roundTrip(insight)).toEqual(insight);
    for (const condition of [
      { kind: 'baseline', method: 'ewma', sensitivity: 2.5, direction: 'up' },
      { kind: 'no_data' },
    ] as const)
      expect(roundTrip({ ...base, condition }).condition).toEqual(condition);
  });

  it('takes money in yuan and ratios in percent, and stores fen and fractions', () => {
    const gmv = { ...base, condition: { kind: 'threshold', op: 'lt', value: 1_234_567 } } as const;
    expect(form.toInput(1_234_567, 'currency')).toBe(12_345.67);
    expect(roundTrip(gmv, 'currency').condition).toEqual(gmv.condition);
    const rate = { ...base, condition: { kind: 'threshold', op: 'gt', value: 0.035 } } as const;
    expect(form.toInput(0.035, 'ratio')).toBe(3.5);
    expect(roundTrip(rate, 'ratio').condition).toEqual(rate.condition);
  });

  it('finds what the browser can check before asking the server', () => {
    const fields = form.ruleFormOf(form.DEFAULT_RULE_SPEC);
    expect(Object.keys(form.checkRuleForm(fields))).toEqual(['name']);
    Object.assign(fields, {
      name: 'x',
      source: 'insight',
      insightId: '',
      windowMinutes: 0,
      kind: 'change',
      percent: 0,
      m: 3,
      n: 2,
      labels: [{ name: '1bad', value: 'v' }],
    });
    expect(Object.keys(form.checkRuleForm(fields)).sort()).toEqual(
      ['breaches', 'condition', 'insight', 'labels', 'window'].sort(),
    );
  });

  it('puts a server refusal next to the field its path names', () => {
    const refusal = (code: string, message: string, path?: string) =>
      new ApiError(400, code, message, path ? [{ path, message }] : []);
    expect(
      form.refusedFormField(refusal('ERR_ALERT_RULE_INVALID', 'bad', '/query/windowMinutes')),
    ).toBe('window');
    expect(
      form.refusedFormField(refusal('ERR_ALERT_RULE_INVALID', 'bad', '/condition/percent')),
    ).toBe('condition');
    expect(form.refusedFormField(refusal('ERR_ALERT_CHANNEL_NOT_FOUND', 'no channel'))).toBe(
      'channels',
    );
    expect(form.refusedFormField(refusal('ERR_ALERT_INSIGHT_UNSUPPORTED', 'retention'))).toBe(
      'insight',
    );
    expect(form.refusedFormField(refusal('ERR_ALERT_RULE_NOT_FOUND', 'gone'))).toBeNull();
  });
});

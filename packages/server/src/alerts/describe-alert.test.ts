import { describe, expect, it } from 'vitest';
import { alertRuleSpecSchema } from './alert-rule-schema.ts';
import { describeCondition, describeValue, describeWatched } from './describe-alert.ts';

const funnelRule = (query: Record<string, unknown>) =>
  alertRuleSpecSchema.parse({
    name: 'Checkout',
    severity: 'P1',
    query: { source: 'insight', insightId: 'ins_1', windowMinutes: 60, ...query },
    condition: { kind: 'threshold', op: 'lt', value: 0.3 },
  });
const funnelAnnotations = (step: unknown) => ({
  unit: 'ratio',
  insight: { id: 'ins_1', name: 'Checkout', kind: 'funnel', series: null, step },
});

describe('describing what a rule watches', () => {
  it('names a funnel insight and the conversion watched, in both languages', () => {
    const overall = funnelRule({});
    const watched = describeWatched(overall, funnelAnnotations(null), 'zh-CN');
    expect(watched).toEqual({ name: '已保存分析「Checkout」· 整体转化率', unit: 'ratio' });
    expect(describeCondition(overall, 'zh-CN', watched)).toBe(
      '已保存分析「Checkout」· 整体转化率 < 30%（近 60 分钟）',
    );
    expect(describeValue(overall, 0.2, null, 'zh-CN', watched.unit)).toBe('20%');
    const step = funnelRule({ step: 3 });
    const pay = funnelAnnotations({ number: 3, label: 'Pay', from: 'previous' });
    expect(describeWatched(step, pay, 'en').name).toBe(
      'Insight “Checkout” · conversion into step 3 (Pay) from the previous step',
    );
    expect(describeWatched(step, pay, 'zh-CN').name).toBe(
      '已保存分析「Checkout」· 第 3 步（Pay）转化率（较上一步）',
    );
  });

  it('names a trends series by its catalog name, and an insight not yet evaluated by id', () => {
    const rule = funnelRule({});
    const gmv = {
      unit: 'currency',
      insight: {
        name: 'Sales',
        kind: 'trends',
        series: { metric: 'gmv', label: 'gmv' },
        step: null,
      },
    };
    expect(describeWatched(rule, gmv, 'en')).toEqual({
      name: 'Insight “Sales” · GMV (paid)',
      unit: 'currency',
    });
    expect(describeWatched(rule, null, 'en')).toEqual({ name: 'Insight ins_1', unit: 'count' });
    const metric = alertRuleSpecSchema.parse({
      name: 'Orders',
      severity: 'P1',
      query: { metric: 'orders' },
      condition: { kind: 'no_data' },
    });
    expect(describeCondition(metric, 'en')).toBe('Paid orders has no data (last 5 min)');
  });
});

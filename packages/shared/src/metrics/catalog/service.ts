import { defineMetric } from '../metric-types.ts';
import { named, text } from './common.ts';

export const SERVICE_METRICS = [
  defineMetric({
    id: 'new_customers',
    version: 1,
    group: 'service',
    unit: 'count',
    name: text('新增客户数', 'New customers'),
    definition: text(
      '当期 customer_created 事件的去重 customer_id；按客户类型、来源、渠道、地区、行业拆分。',
      'Distinct customer_ids of customer_created events in the period; break down by customer type, source, channel, region or industry.',
    ),
    formula: {
      kind: 'distinct',
      source: 'events',
      of: 'props.customer_id',
      where: named('customer_created'),
    },
    dimensions: ['customer_type', 'industry', 'channel', 'province', 'city'],
    aggregation: 'sum',
    seed: 'seed 003 §3.1.1',
  }),
  defineMetric({
    id: 'active_customers',
    version: 1,
    group: 'service',
    unit: 'count',
    name: text('活跃客户数', 'Active customers'),
    definition: text(
      '当期有服务记录（service_record 事件）的去重 customer_id；按日查看时为最近 30 天。',
      'Distinct customer_ids with a service record (service_record event) in the period; by day: the 30 days ending that day.',
    ),
    formula: {
      kind: 'distinct',
      source: 'events',
      of: 'props.customer_id',
      where: named('service_record'),
      window: 'month',
    },
    dimensions: ['customer_type', 'industry', 'service_type', 'assignee', 'province'],
    aggregation: 'recompute',
    seed: 'seed 003 §3.1.1',
  }),
  defineMetric({
    id: 'service_records',
    version: 1,
    group: 'service',
    unit: 'count',
    name: text('服务记录数', 'Service records'),
    definition: text(
      '当期有更新的服务记录数（record_id 去重）；按状态、优先级、接单人员、服务类型拆分。',
      'Service records updated in the period (distinct record_id); break down by status, priority, assignee or service type.',
    ),
    formula: {
      kind: 'distinct',
      source: 'events',
      of: 'props.record_id',
      where: named('service_record'),
    },
    dimensions: ['task_status', 'priority', 'assignee', 'service_type', 'customer_type'],
    aggregation: 'sum',
    seed: 'seed 003 §3.1.2',
  }),
] as const;

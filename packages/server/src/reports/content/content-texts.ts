import type { ReportLocale } from '../report-document.ts';
import type { ReportSectionId } from '../report-schema.ts';

type Text = string;

/** An English count with its noun: "1 order", "2 orders" (values arrive formatted). */
const count = (value: Text, one: Text, many: Text): Text =>
  `${value} ${value === '1' ? one : many}`;

/** Every word the report's sections show, per language; values come in already formatted. */
export interface ContentTexts {
  titles: Record<ReportSectionId, Text>;
  total: Text;
  average: Text;
  /** The breakdown group holding everything outside the top N. */
  otherGroup: Text;
  /** A breakdown group of rows without a value. */
  noValue: Text;
  columns: {
    hour: Text;
    date: Text;
    orders: Text;
    gmv: Text;
    refundAmount: Text;
    aov: Text;
    /** Per hour: people active in the hour. */
    activeUsers: Text;
    dau: Text;
    newUsers: Text;
    returningUsers: Text;
    cohort: Text;
    signups: Text;
    retention: (day: number) => Text;
    product: Text;
    revenue: Text;
    quantity: Text;
    agent: Text;
    commission: Text;
    commissionRatio: Text;
    agentGmv: Text;
    tasks: Text;
    taskSuccessRate: Text;
    taskFailureRate: Text;
    endpoint: Text;
    requests: Text;
    availability: Text;
    p50: Text;
    p95: Text;
    p99: Text;
    errorRate: Text;
    time: Text;
    rule: Text;
    severity: Text;
    state: Text;
    labels: Text;
  };
  charts: {
    gmv: Text;
    users: Text;
    retention: (day: number) => Text;
    products: Text;
    agents: Text;
    commissions: Text;
    failures: Text;
    apiLatency: Text;
  };
  alertStates: Readonly<Record<string, Text>>;
  summaries: {
    orders(v: { orders: Text; gmv: Text; refunds: Text; aov: Text }): Text;
    users(v: { dau: Text; newUsers: Text; returningUsers: Text }): Text;
    retention(v: { signups: Text; cohorts: number; day: number; rate: Text | null }): Text;
    noSignups: Text;
    products(v: { top: Text; revenue: Text; share: Text; total: Text; count: Text }): Text;
    noProducts: Text;
    agents(v: { agents: Text; gmv: Text; orders: Text; commission: Text }): Text;
    noAgents: Text;
    commissions(v: { commission: Text; gmv: Text; ratio: Text }): Text;
    tasks(v: { tasks: Text; rate: Text; topCode: { code: Text; count: Text } | null }): Text;
    noTasks: Text;
    api(v: { requests: Text; endpoints: Text; errorRate: Text; availability: Text }): Text;
    noApi: Text;
    alerts(v: { count: number; bySeverity: Array<[Text, number]>; shown: number }): Text;
    noAlerts: Text;
  };
}

const EN: ContentTexts = {
  titles: {
    orders: 'Orders and GMV',
    users: 'Users',
    retention: 'Retention',
    products: 'Top products',
    agents: 'Top agents',
    commissions: 'Commissions',
    tasks: 'Tasks',
    api: 'API health',
    alerts: 'Alerts',
  },
  total: 'Total',
  average: 'Average',
  otherGroup: 'Other',
  noValue: '(none)',
  columns: {
    hour: 'Hour',
    date: 'Date',
    orders: 'Paid orders',
    gmv: 'GMV',
    refundAmount: 'Refund amount',
    aov: 'AOV',
    activeUsers: 'Active users',
    dau: 'DAU',
    newUsers: 'New users',
    returningUsers: 'Returning users',
    cohort: 'Sign-up day',
    signups: 'Signed up',
    retention: (day) => `D${day} retention`,
    product: 'Product',
    revenue: 'Revenue',
    quantity: 'Quantity',
    agent: 'Agent',
    commission: 'Commission',
    commissionRatio: 'Commission ratio',
    agentGmv: 'Agent GMV',
    tasks: 'Tasks',
    taskSuccessRate: 'Success rate',
    taskFailureRate: 'Failure rate',
    endpoint: 'Endpoint',
    requests: 'Requests',
    availability: 'Availability',
    p50: 'p50',
    p95: 'p95',
    p99: 'p99',
    errorRate: 'Error rate',
    time: 'Time',
    rule: 'Rule',
    severity: 'Severity',
    state: 'State',
    labels: 'Labels',
  },
  charts: {
    gmv: 'GMV',
    users: 'Users',
    retention: (day) => `D${day} retention by sign-up day`,
    products: 'Revenue by product',
    agents: 'GMV by agent',
    commissions: 'Commission',
    failures: 'Failed tasks by error code',
    apiLatency: 'p95 latency by endpoint',
  },
  alertStates: { inactive: 'Inactive', pending: 'Pending', firing: 'Firing', resolved: 'Resolved' },
  summaries: {
    orders: (v) =>
      `${count(v.orders, 'paid order', 'paid orders')}, GMV ${v.gmv}, refunds ${v.refunds}, AOV ${v.aov}.`,
    users: (v) =>
      `Daily active users averaged ${v.dau}; new users ${v.newUsers}, returning users ${v.returningUsers}.`,
    retention: (v) =>
      `${count(v.signups, 'person', 'people')} signed up over ${count(String(v.cohorts), 'day', 'days')}; ` +
      (v.rate === null
        ? `no day has a complete D${v.day} yet.`
        : `average D${v.day} retention ${v.rate}.`),
    noSignups: 'Nobody signed up on these days.',
    products: (v) =>
      `${v.top} sold most, ${v.revenue} (${v.share} of ${v.total} product revenue); ` +
      `${count(v.count, 'product', 'products')} sold.`,
    noProducts: 'No products were sold.',
    agents: (v) =>
      `${count(v.agents, 'agent', 'agents')} sold ${v.gmv} in ${count(v.orders, 'order', 'orders')}, ` +
      `earning ${v.commission} in commission.`,
    noAgents: 'No orders were credited to an agent.',
    commissions: (v) => `Commission ${v.commission} on agent GMV ${v.gmv}, a ratio of ${v.ratio}.`,
    tasks: (v) =>
      `${count(v.tasks, 'task', 'tasks')}, success rate ${v.rate}; ` +
      (v.topCode ? `most failures: ${v.topCode.code} (${v.topCode.count}).` : 'no task failed.'),
    noTasks: 'No task finished.',
    api: (v) =>
      `${count(v.requests, 'request', 'requests')} on ${count(v.endpoints, 'endpoint', 'endpoints')}; ` +
      `API error rate ${v.errorRate}, availability ${v.availability}.`,
    noApi: 'No API calls were recorded.',
    alerts: (v) =>
      `${count(String(v.count), 'alert state change', 'alert state changes')}: ` +
      v.bySeverity.map(([s, n]) => `${s} ${n}`).join(', ') +
      (v.shown < v.count ? ` (the latest ${v.shown} listed).` : '.'),
    noAlerts: 'There were no alerts in this period.',
  },
};

const ZH_CN: ContentTexts = {
  titles: {
    orders: '订单与交易',
    users: '用户',
    retention: '留存',
    products: '商品排行',
    agents: '分销员排行',
    commissions: '佣金',
    tasks: '任务',
    api: '接口健康',
    alerts: '告警',
  },
  total: '合计',
  average: '平均',
  otherGroup: '其他',
  noValue: '（无）',
  columns: {
    hour: '时段',
    date: '日期',
    orders: '支付订单数',
    gmv: 'GMV',
    refundAmount: '退款金额',
    aov: '客单价',
    activeUsers: '活跃用户',
    dau: '日活（DAU）',
    newUsers: '新用户',
    returningUsers: '老用户',
    cohort: '注册日',
    signups: '注册人数',
    retention: (day) => `D${day} 留存率`,
    product: '商品',
    revenue: '销售额',
    quantity: '销量',
    agent: '分销员',
    commission: '佣金',
    commissionRatio: '佣金比例',
    agentGmv: '分销 GMV',
    tasks: '任务数',
    taskSuccessRate: '成功率',
    taskFailureRate: '失败率',
    endpoint: '接口',
    requests: '请求数',
    availability: '可用率',
    p50: 'P50',
    p95: 'P95',
    p99: 'P99',
    errorRate: '错误率',
    time: '时间',
    rule: '规则',
    severity: '级别',
    state: '状态',
    labels: '标签',
  },
  charts: {
    gmv: 'GMV 走势',
    users: '用户走势',
    retention: (day) => `各注册日 D${day} 留存率`,
    products: '商品销售额',
    agents: '分销员 GMV',
    commissions: '佣金走势',
    failures: '失败任务错误码分布',
    apiLatency: '各接口 P95 响应时间',
  },
  alertStates: { inactive: '未激活', pending: '待定', firing: '触发', resolved: '已恢复' },
  summaries: {
    orders: (v) => `支付订单 ${v.orders} 笔，GMV ${v.gmv}，退款 ${v.refunds}，客单价 ${v.aov}。`,
    users: (v) => `日均活跃用户 ${v.dau}，新用户 ${v.newUsers}，老用户 ${v.returningUsers}。`,
    retention: (v) =>
      `${v.cohorts} 个注册日共注册 ${v.signups} 人，` +
      (v.rate === null ? `尚无注册日的 D${v.day} 已结束。` : `平均 D${v.day} 留存率 ${v.rate}。`),
    noSignups: '这些日期没有新注册用户。',
    products: (v) =>
      `销售额最高的是 ${v.top}：${v.revenue}，占商品销售额 ${v.total} 的 ${v.share}；共售出 ${v.count} 种商品。`,
    noProducts: '本期没有商品售出。',
    agents: (v) => `${v.agents} 位分销员成交 ${v.gmv}（${v.orders} 单），佣金 ${v.commission}。`,
    noAgents: '本期没有分销订单。',
    commissions: (v) => `佣金总额 ${v.commission}，分销 GMV ${v.gmv}，佣金比例 ${v.ratio}。`,
    tasks: (v) =>
      `任务 ${v.tasks} 个，成功率 ${v.rate}；` +
      (v.topCode
        ? `失败最多的错误码：${v.topCode.code}（${v.topCode.count} 个）。`
        : '没有失败任务。'),
    noTasks: '本期没有结束的任务。',
    api: (v) =>
      `${v.endpoints} 个接口共 ${v.requests} 次请求，接口错误率 ${v.errorRate}，可用率 ${v.availability}。`,
    noApi: '本期没有接口调用记录。',
    alerts: (v) =>
      `告警状态变化 ${v.count} 次：${v.bySeverity.map(([s, n]) => `${s} ${n} 次`).join('，')}` +
      (v.shown < v.count ? `（列出最近 ${v.shown} 次）。` : '。'),
    noAlerts: '本期没有告警。',
  },
};

const TEXTS: Readonly<Record<ReportLocale, ContentTexts>> = { en: EN, 'zh-CN': ZH_CN };

export function getContentTexts(locale: ReportLocale): ContentTexts {
  return TEXTS[locale];
}

import type { LocalizedText, SourceId } from './metric-types.ts';

/**
 * A dimension names one attribute across sources: the field that holds it in each source
 * (a column, `props.<key>` for an event property, `order.<column>` for the order a refund or
 * an order line belongs to). A source without the field cannot be filtered or broken down by it.
 */
export interface DimensionDefinition {
  id: string;
  name: LocalizedText;
  fields: Partial<Record<SourceId, string>>;
}

const dim = (
  id: string,
  zh: string,
  en: string,
  fields: Partial<Record<SourceId, string>>,
): DimensionDefinition => ({ id, name: { 'zh-CN': zh, en }, fields });

const ORDER_SIDE = (column: string): Partial<Record<SourceId, string>> => ({
  orders: column,
  refunds: `order.${column}`,
  order_items: `order.${column}`,
});

export const DIMENSIONS: readonly DimensionDefinition[] = [
  dim('channel', '渠道', 'Channel', {
    events: 'channel',
    ...ORDER_SIDE('channel'),
    campaign_costs: 'channel',
  }),
  dim('campaign', '活动', 'Campaign', { events: 'campaign', campaign_costs: 'campaign' }),
  dim('utm_source', 'utm_source', 'utm_source', { events: 'utm_source' }),
  dim('utm_medium', 'utm_medium', 'utm_medium', { events: 'utm_medium' }),
  dim('utm_campaign', 'utm_campaign', 'utm_campaign', { events: 'utm_campaign' }),
  dim('country', '国家', 'Country', { events: 'country' }),
  dim('province', '省份', 'Province', { events: 'province', ...ORDER_SIDE('province') }),
  dim('city', '城市', 'City', { events: 'city', ...ORDER_SIDE('city') }),
  dim('platform', '端', 'Platform', { events: 'platform', ...ORDER_SIDE('platform') }),
  dim('app', '应用', 'App', { events: 'app' }),
  dim('env', '环境', 'Environment', { events: 'env' }),
  dim('app_version', '版本', 'App version', { events: 'app_version' }),
  dim('release', '发布版本', 'Release', { events: 'release' }),
  dim('feature', '功能', 'Feature', { events: 'feature' }),
  dim('event_name', '事件', 'Event', { events: 'name' }),
  dim('page', '页面', 'Page', { events: 'page' }),
  dim('browser', '浏览器', 'Browser', { events: 'ua_browser' }),
  dim('os', '操作系统', 'OS', { events: 'ua_os' }),
  dim('device_type', '设备类型', 'Device type', { events: 'ua_device_type' }),
  dim('network', '网络', 'Network', { events: 'network' }),
  dim('ab_bucket', '实验分组', 'A/B bucket', { events: 'ab_bucket' }),
  dim('http_status', 'HTTP 状态码', 'HTTP status', { events: 'status' }),
  dim('route', '接口', 'API route', { events: 'props.route' }),
  dim('http_method', '请求方法', 'HTTP method', { events: 'props.method' }),
  dim('error_code', '错误码', 'Error code', { events: 'props.error_code' }),
  dim('task_status', '任务状态', 'Task status', { events: 'props.status' }),
  dim('web_vital', 'Web Vitals 指标', 'Web vital', { events: 'props.metric' }),
  dim('ws_endpoint', 'WebSocket 端点', 'WebSocket endpoint', { events: 'props.endpoint' }),
  dim('ws_close_code', 'WebSocket 关闭码', 'WebSocket close code', { events: 'props.code' }),
  dim('plan', '会员方案', 'Plan', { events: 'props.plan' }),
  dim('product_type', '商品类型', 'Product type', {
    ...ORDER_SIDE('product_type'),
    events: 'props.product_type',
  }),
  dim('order_status', '订单状态', 'Order status', {
    orders: 'status',
    order_items: 'order.status',
  }),
  dim('agent', '分销员', 'Agent', { ...ORDER_SIDE('agent_id'), events: 'props.agent_id' }),
  dim('coupon', '优惠券', 'Coupon', ORDER_SIDE('coupon_id')),
  dim('currency', '币种', 'Currency', { ...ORDER_SIDE('currency'), events: 'currency' }),
  dim('product', '商品', 'Product', { order_items: 'product_id', events: 'props.product_id' }),
  dim('category', '品类', 'Category', { order_items: 'category', events: 'props.category' }),
  dim('refund_reason', '退款原因', 'Refund reason', { refunds: 'reason' }),
  dim('customer_type', '客户类型', 'Customer type', { events: 'props.customer_type' }),
  dim('industry', '行业', 'Industry', { events: 'props.industry' }),
  dim('priority', '优先级', 'Priority', { events: 'props.priority' }),
  dim('assignee', '接单人员', 'Assignee', { events: 'props.assignee' }),
  dim('service_type', '服务类型', 'Service type', { events: 'props.service_type' }),
];

const BY_ID = new Map(DIMENSIONS.map((dimension) => [dimension.id, dimension]));

export function getDimension(id: string): DimensionDefinition | undefined {
  return BY_ID.get(id);
}

import type { WireEvent } from '@sightline/shared';
import { toOrderFields } from './order-fields.ts';
import {
  API_RELEASE,
  SHOP_SERVER_AGENT,
  SHOP_SERVER_IP,
  type EmitDayContext,
} from './session-writer.ts';
import type { CustomerPlan, ServiceRecordPlan } from './plan-back-office.ts';
import type { RefundPlan, RenewalPlan } from './shop-plan.ts';

/** Where server events go: ids are drawn from `rng`, events are appended to `out`. */
export type ServerEventSink = Pick<EmitDayContext, 'rng' | 'out'>;

/** Auto-renewals are charged by the shop's server, with no browser session behind them. */
export function emitRenewal(ctx: EmitDayContext, renewal: RenewalPlan): void {
  const { user, order, time } = renewal;
  pushServerEvent(ctx, time, {
    type: 'event',
    name: 'order_completed',
    user_id: user.userId,
    anonymous_id: user.anonymousId,
    ip: user.ip,
    user_agent: user.device.userAgent,
    ...toOrderFields(order),
  });
}

/** Refunds are approved in the back office and reported by the server. */
export function emitRefund(ctx: EmitDayContext, refund: RefundPlan): void {
  pushServerEvent(ctx, refund.time, {
    type: 'event',
    name: 'order_refunded',
    user_id: refund.userId,
    ip: refund.ip,
    user_agent: refund.userAgent,
    amount: refund.amount,
    currency: 'CNY',
    props: { order_id: refund.orderId, refund_id: refund.refundId, reason: refund.reason },
  });
}

/** Back-office staff work in the Hangzhou office, each on their own desktop browser. */
const OFFICE_IP_PREFIX = '115.236.91.';
const OFFICE_BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87',
];

/**
 * The CRM forwards the request context of the staff member who made a change, as the API server
 * does for shoppers: a server-side event without a browser user agent would count as a bot.
 */
function getStaffContext(actor: string): { ip: string; user_agent: string } {
  const n = Number(actor.slice(-2)) || 0;
  return {
    ip: `${OFFICE_IP_PREFIX}${20 + n}`,
    user_agent: OFFICE_BROWSERS[n % OFFICE_BROWSERS.length] ?? '',
  };
}

/** The CRM reports a customer when it is created and whenever its attributes change. */
export function emitCustomer(ctx: ServerEventSink, customer: CustomerPlan): void {
  pushServerEvent(ctx, customer.time, {
    type: 'event',
    name: 'customer_created',
    ...getStaffContext(customer.actor),
    channel: customer.channel,
    props: {
      customer_id: customer.customerId,
      customer_type: customer.customerType,
      source: customer.source,
      ...(customer.industry ? { industry: customer.industry } : {}),
      ...(customer.size ? { size: customer.size } : {}),
      region: customer.region,
    },
  });
}

/** Each change of a service record (opened, taken, resolved, closed) is reported in full. */
export function emitServiceRecord(ctx: EmitDayContext, record: ServiceRecordPlan): void {
  pushServerEvent(ctx, record.time, {
    type: 'event',
    name: 'service_record',
    ...getStaffContext(record.actor),
    props: {
      record_id: record.recordId,
      customer_id: record.customerId,
      status: record.status,
      priority: record.priority,
      ...(record.assignee ? { assignee: record.assignee } : {}),
      service_type: record.serviceType,
    },
  });
}

function pushServerEvent(
  ctx: ServerEventSink,
  ts: number,
  fields: Omit<WireEvent, 'event_id' | 'ts'>,
): void {
  const event: WireEvent = {
    event_id: ctx.rng.uuid(),
    ts,
    app: 'youxuan-api',
    env: 'production',
    release: API_RELEASE,
    platform: 'server',
    ...fields,
  };
  ctx.out.push({ event, ip: SHOP_SERVER_IP, userAgent: SHOP_SERVER_AGENT, receivedAt: ts });
}

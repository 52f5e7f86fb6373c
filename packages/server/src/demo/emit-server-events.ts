import type { WireEvent } from '@sightline/shared';
import { toOrderFields } from './order-fields.ts';
import {
  API_RELEASE,
  SHOP_SERVER_AGENT,
  SHOP_SERVER_IP,
  type EmitDayContext,
} from './session-writer.ts';
import type { RefundPlan, RenewalPlan } from './shop-plan.ts';

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

function pushServerEvent(
  ctx: EmitDayContext,
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

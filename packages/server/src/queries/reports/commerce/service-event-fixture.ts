import type { EventRow } from '../../../store/index.ts';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';

/** customer_created and service_record events for tests, as a B-end backend sends them. */
export interface ServiceEventExtra {
  channel?: string | null;
  province?: string | null;
  receivedAt?: number;
  bot?: boolean;
  project?: string;
}

function serviceEvent(
  name: string,
  at: number,
  props: Record<string, unknown>,
  extra: ServiceEventExtra = {},
): EventRow {
  return makeEventRow({
    projectId: extra.project ?? 'p_test',
    type: 'event',
    name,
    platform: 'server',
    eventTime: at,
    receivedAt: extra.receivedAt ?? at,
    channel: extra.channel ?? null,
    province: extra.province ?? null,
    isBot: extra.bot ?? false,
    props: JSON.stringify(props),
  });
}
export const customer = (
  id: string | undefined,
  at: number,
  props: Record<string, unknown>,
  extra: ServiceEventExtra = {},
) => serviceEvent('customer_created', at, { ...(id ? { customer_id: id } : {}), ...props }, extra);
export const record = (
  id: string,
  customerId: string,
  at: number,
  props: Record<string, unknown>,
  extra: ServiceEventExtra = {},
) =>
  serviceEvent('service_record', at, { record_id: id, customer_id: customerId, ...props }, extra);

import { DAY_MS, type DemoDay } from './demo-calendar.ts';
import type { DemoOptions } from './demo-types.ts';
import { createPrng, createWeightedPicker, deriveSeed, type Prng } from './prng.ts';

/*
 * The shop's B-end business: companies (and a few individuals) that buy in bulk — corporate gifts,
 * office tea and snacks — handled in the back office (CRM). It runs on its own random stream, so
 * it never changes what the shoppers do.
 */

export type CustomerType = 'individual' | 'organization';
export type RecordStatus = 'open' | 'in_progress' | 'resolved' | 'closed';
export type RecordPriority = 'low' | 'normal' | 'high' | 'urgent';

/** A customer_created event: the customer as the CRM holds it at `time`. */
export interface CustomerPlan {
  time: number;
  customerId: string;
  customerType: CustomerType;
  source: string;
  industry?: string;
  size?: string;
  /** Province, named as the IP database names it (municipalities without 市). */
  region: string;
  /**
   * Sent explicitly: without one the server derives 'direct' (no referrer), which would be wrong
   * for a customer a salesperson met.
   */
  channel: string;
  /** The staff member who entered it. */
  actor: string;
}

/** A service_record event: the record's state after a change at `time`. */
export interface ServiceRecordPlan {
  time: number;
  recordId: string;
  customerId: string;
  status: RecordStatus;
  priority: RecordPriority;
  serviceType: string;
  assignee?: string;
  /** The staff member who made the change (the assignee once there is one). */
  actor: string;
}

export interface BackOfficeDay {
  customers: CustomerPlan[];
  records: ServiceRecordPlan[];
}

export interface BackOffice {
  /** The customers created before the period (their customer_created events lie before it). */
  history: CustomerPlan[];
  /** What the back office does on a day; call once per day, in order. */
  planDay(day: DemoDay): BackOfficeDay;
}

const HOUR_MS = 3_600_000;
/** Customer service works 9:00–21:00 local time, every day. */
const OPEN_MINUTE = 9 * 60;
const CLOSE_MINUTE = 21 * 60;
const HISTORY_DAYS = 120;
/** At scale 1; small demos keep half of it so the back office is never empty. */
const BASE_CUSTOMERS = 150;
const NEW_CUSTOMERS_PER_WEEKDAY = 2.5;
const NEW_RECORDS_PER_WEEKDAY = 9;
const WEEKEND_FACTOR = 0.35;
export const STAFF = Array.from({ length: 8 }, (_, i) => `staff_${String(i + 1).padStart(2, '0')}`);
const REGIONS = [
  '广东省',
  '上海',
  '北京',
  '浙江省',
  '江苏省',
  '四川省',
  '湖北省',
  '福建省',
  '山东省',
];

const pickType = createWeightedPicker<CustomerType>(['organization', 'individual'], [70, 30]);
const pickOrgSource = createWeightedPicker(
  ['sales', 'web', 'referral', 'exhibition', 'agent'],
  [35, 25, 20, 10, 10],
);
const pickPersonSource = createWeightedPicker(['web', 'referral', 'agent'], [50, 30, 20]);
const pickWebChannel = createWeightedPicker(
  ['paid_search', 'organic_search', 'social', 'direct'],
  [35, 30, 20, 15],
);
/** Channels of customers who did not come through the website. */
const OFFLINE_CHANNELS: Readonly<Record<string, string>> = {
  sales: 'offline',
  exhibition: 'offline',
  referral: 'referral',
  // Agents bring customers from their WeChat circles, as they bring shoppers.
  agent: 'social',
};
const pickIndustry = createWeightedPicker(
  ['internet', 'finance', 'manufacturing', 'education', 'healthcare', 'retail', 'catering'],
  [22, 14, 20, 12, 10, 12, 10],
);
const pickSize = createWeightedPicker(['small', 'medium', 'large'], [55, 30, 15]);
const pickRegion = createWeightedPicker(REGIONS, [22, 16, 14, 14, 10, 7, 6, 6, 5]);
const pickPriority = createWeightedPicker<RecordPriority>(
  ['low', 'normal', 'high', 'urgent'],
  [20, 55, 20, 5],
);
const pickServiceType = createWeightedPicker(
  ['consultation', 'bulk_order', 'after_sales', 'delivery', 'invoice', 'complaint'],
  [25, 20, 20, 15, 12, 8],
);
/** Hours from one status to the next, [min, max], by priority. */
const TO_IN_PROGRESS_H: Readonly<Record<RecordPriority, readonly [number, number]>> = {
  urgent: [0.1, 0.6],
  high: [0.5, 3],
  normal: [1, 8],
  low: [4, 30],
};
const TO_RESOLVED_H: Readonly<Record<RecordPriority, readonly [number, number]>> = {
  urgent: [1, 5],
  high: [3, 14],
  normal: [8, 72],
  low: [24, 120],
};
const SIZE_WEIGHTS: Readonly<Record<string, number>> = { small: 1, medium: 2, large: 4 };
/** Resolved records close when the customer confirms, or automatically after three days. */
const AUTO_CLOSE_MS = 72 * HOUR_MS;

interface PendingChange {
  time: number;
  record: ServiceRecordPlan;
}

export function createBackOffice(options: DemoOptions, calendar: readonly DemoDay[]): BackOffice {
  const rng = createPrng(deriveSeed(options.seed, 0xb0ff1ce));
  const volume = Math.max(0.5, options.scale);
  const periodStart = calendar[0]?.start ?? options.endTime;
  const customers: CustomerPlan[] = [];
  let customerSeq = 0;
  let recordDay = '';
  let recordSeq = 0;
  let pending: PendingChange[] = [];

  const createCustomer = (time: number): CustomerPlan => {
    customerSeq += 1;
    const customerType = pickType(rng.next);
    const isOrg = customerType === 'organization';
    const source = isOrg ? pickOrgSource(rng.next) : pickPersonSource(rng.next);
    const customer: CustomerPlan = {
      time,
      customerId: `C${10_000 + customerSeq}`,
      customerType,
      source,
      region: pickRegion(rng.next),
      actor: rng.pick(STAFF),
      ...(isOrg ? { industry: pickIndustry(rng.next), size: pickSize(rng.next) } : {}),
      channel:
        source === 'web' ? pickWebChannel(rng.next) : (OFFLINE_CHANNELS[source] ?? 'offline'),
    };
    customers.push(customer);
    return customer;
  };

  const history: CustomerPlan[] = [];
  const baseCount = Math.round(BASE_CUSTOMERS * volume);
  for (let i = 0; i < baseCount; i += 1) {
    // Local midnights before the period are whole days back (an hour off across a DST change).
    const midnight = periodStart - rng.int(1, HISTORY_DAYS) * DAY_MS;
    history.push({ ...createCustomer(midnight + pickOpenMinute(rng) * 60_000) });
  }
  history.sort((a, b) => a.time - b.time);

  // Larger customers ask for more; individuals rarely need a record.
  const weightOf = (customer: CustomerPlan): number =>
    customer.customerType === 'individual' ? 0.4 : (SIZE_WEIGHTS[customer.size ?? ''] ?? 1);

  const schedule = (record: ServiceRecordPlan, time: number): void => {
    pending.push({ time, record });
  };

  /** The change that follows the one just made, or none once the record is closed. */
  const planNext = (record: ServiceRecordPlan, now: number): void => {
    const hours = (range: readonly [number, number]) =>
      Math.round(rng.float(range[0], range[1]) * HOUR_MS);
    switch (record.status) {
      case 'open':
        // A few are duplicates or withdrawn and close without work.
        if (rng.chance(0.05)) schedule({ ...record, status: 'closed' }, now + hours([1, 24]));
        else {
          const assignee = record.assignee ?? rng.pick(STAFF);
          schedule(
            { ...record, status: 'in_progress', assignee, actor: assignee },
            now + hours(TO_IN_PROGRESS_H[record.priority]),
          );
        }
        return;
      case 'in_progress':
        schedule({ ...record, status: 'resolved' }, now + hours(TO_RESOLVED_H[record.priority]));
        return;
      case 'resolved':
        schedule(
          { ...record, status: 'closed' },
          rng.chance(0.7) ? now + hours([2, 48]) : now + AUTO_CLOSE_MS,
        );
        return;
      case 'closed':
        return;
    }
  };

  const createRecord = (day: DemoDay, time: number): ServiceRecordPlan => {
    if (recordDay !== day.dateKey) {
      recordDay = day.dateKey;
      recordSeq = 0;
    }
    recordSeq += 1;
    // Only customers that exist by then (today's new ones may come later in the day).
    const customer = rng.weightedPick(
      customers,
      customers.map((c) => (c.time < time ? weightOf(c) : 0)),
    );
    const priority = pickPriority(rng.next);
    const record: ServiceRecordPlan = {
      time,
      recordId: `SR-${day.dateKey}-${String(recordSeq).padStart(4, '0')}`,
      customerId: customer.customerId,
      status: 'open',
      priority,
      serviceType:
        customer.customerType === 'organization' ? pickServiceType(rng.next) : 'after_sales',
      actor: rng.pick(STAFF),
    };
    // Urgent and high-priority records are assigned as they are opened, to whoever logs them.
    if (priority === 'urgent' || priority === 'high') record.assignee = record.actor;
    return record;
  };

  return {
    history,
    planDay(day) {
      const isWeekend = day.dayOfWeek === 0 || day.dayOfWeek === 6;
      const factor = volume * (isWeekend ? WEEKEND_FACTOR : 1);
      const inOpenHours = () => day.start + pickOpenMinute(rng) * 60_000;
      const out: BackOfficeDay = { customers: [], records: [] };
      const newCustomers = rng.poisson(NEW_CUSTOMERS_PER_WEEKDAY * factor);
      // Copies: a customer's attributes may change on a later day.
      for (let i = 0; i < newCustomers; i += 1)
        out.customers.push({ ...createCustomer(inOpenHours()) });
      // Now and then a customer grows a size band; the CRM sends the customer again.
      const growing = customers.filter(
        (c) => c.time < day.start && (c.size === 'small' || c.size === 'medium'),
      );
      if (growing.length > 0 && rng.chance(0.15 * volume)) {
        const grown = rng.pick(growing);
        grown.size = grown.size === 'small' ? 'medium' : 'large';
        out.customers.push({ ...grown, time: inOpenHours(), actor: rng.pick(STAFF) });
      }
      const newRecords = rng.poisson(NEW_RECORDS_PER_WEEKDAY * factor);
      for (let i = 0; i < newRecords; i += 1) {
        const record = createRecord(day, inOpenHours());
        schedule(record, record.time);
      }
      for (;;) {
        pending.sort((a, b) => a.time - b.time);
        const next = pending[0];
        if (!next || next.time >= day.end) break;
        pending = pending.slice(1);
        const record = { ...next.record, time: snapToOpenHours(next.time, rng, calendar) };
        if (record.time >= day.end) {
          // Came due after closing time: it happens when the office opens again.
          schedule(next.record, record.time);
          continue;
        }
        out.records.push(record);
        planNext(record, record.time);
      }
      out.customers.sort((a, b) => a.time - b.time);
      out.records.sort((a, b) => a.time - b.time);
      return out;
    },
  };
}

function pickOpenMinute(rng: Prng): number {
  return OPEN_MINUTE + rng.int(0, CLOSE_MINUTE - OPEN_MINUTE - 1);
}

/** Moves a time outside 9:00–21:00 to the next opening (plus a few minutes). */
function snapToOpenHours(time: number, rng: Prng, calendar: readonly DemoDay[]): number {
  const day = calendar.find((d) => time >= d.start && time < d.end);
  // After the simulated period: never emitted, so left as it is.
  if (!day) return time;
  const minute = (time - day.start) / 60_000;
  if (minute >= OPEN_MINUTE && minute < CLOSE_MINUTE) return time;
  const opening = minute < OPEN_MINUTE ? day.start : day.end;
  return opening + OPEN_MINUTE * 60_000 + rng.int(0, 30) * 60_000;
}

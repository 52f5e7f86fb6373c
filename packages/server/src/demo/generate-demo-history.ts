import { assertDemoOptions } from './assert-demo-options.ts';
import { createDemoCalendar } from './demo-calendar.ts';
import type { DemoIngestInput, DemoOptions } from './demo-types.ts';
import { emitCustomer, type ServerEventSink } from './emit-server-events.ts';
import { createPrng, deriveSeed } from './prng.ts';
import { simulateShop } from './simulate-shop.ts';

/** The CRM's delivery delay: server to server, well under a second. */
const DELIVERY_MS = 60;

/**
 * What happened before the simulated period that the period's events refer to: the B-end
 * customers the back office already had (customer_created events, dated up to 120 days before),
 * so customer totals include them and their service records in the period have a customer.
 * Sorted by time; ids follow from the seed and the period, like generateDemoDays'.
 */
export function generateDemoHistory(options: DemoOptions): DemoIngestInput[] {
  assertDemoOptions(options);
  const calendar = createDemoCalendar(
    options.endTime,
    options.days,
    options.timeZone,
    options.includeToday,
  );
  const periodStart = calendar[0]?.start ?? options.endTime;
  const { customerHistory } = simulateShop(options, calendar);
  const sink: ServerEventSink = {
    rng: createPrng(deriveSeed(options.seed, 0x415, periodStart)),
    out: [],
  };
  for (const customer of customerHistory) emitCustomer(sink, customer);
  for (const input of sink.out) input.receivedAt += DELIVERY_MS;
  return sink.out;
}

import { assertDemoOptions } from './assert-demo-options.ts';
import { createDemoCalendar } from './demo-calendar.ts';
import type { DemoChunk, DemoIngestInput, DemoOptions } from './demo-types.ts';
import { emitCustomer, emitRefund, emitRenewal, emitServiceRecord } from './emit-server-events.ts';
import { emitVisit } from './emit-visit.ts';
import { createPrng, deriveSeed, type Prng } from './prng.ts';
import { SHOP_SERVER_IP, type EmitDayContext } from './session-writer.ts';
import { simulateShop } from './simulate-shop.ts';

/** Share of events an SDK sends twice (a retry after a lost response), with the same event_id. */
const DUPLICATE_SHARE = 0.005;
/** Share of events that reach the server minutes late (offline queue, flaky network). */
const LATE_SHARE = 0.01;
/** The web release that ships part-way through the period, with a new front-end error. */
const NEW_WEB_VERSION = '2.15.0';
const OLD_WEB_VERSION = '2.14.3';
const RELEASE_AT_PERIOD_FRACTION = 0.6;

/**
 * Simulates the shop day by day and yields each day's ingest inputs, sorted by event time.
 * Sessions that run past midnight continue in the next day's chunk.
 */
export function* generateDemoDays(options: DemoOptions): Generator<DemoChunk> {
  assertDemoOptions(options);
  const calendar = createDemoCalendar(
    options.endTime,
    options.days,
    options.timeZone,
    options.includeToday,
  );
  const { plans } = simulateShop(options, calendar);
  const releaseDay = Math.floor(options.days * RELEASE_AT_PERIOD_FRACTION);
  let carry: DemoIngestInput[] = [];
  for (const plan of plans) {
    const { day } = plan;
    // A stream per day, separate from the plan's, so event details never change the plan. Keyed
    // by the date too: a rerun for the same period repeats its event ids (and is deduplicated),
    // while a later period gets new ones instead of colliding with the earlier run's events.
    const rng = createPrng(deriveSeed(options.seed, 0xe717, day.start));
    const isNewWebRelease = day.index >= releaseDay;
    const ctx: EmitDayContext = {
      rng,
      day,
      days: options.days,
      webVersion: isNewWebRelease ? NEW_WEB_VERSION : OLD_WEB_VERSION,
      isNewWebRelease,
      out: carry,
    };
    for (const visit of plan.visits) emitVisit(ctx, visit);
    for (const renewal of plan.renewals) emitRenewal(ctx, renewal);
    for (const refund of plan.refunds) emitRefund(ctx, refund);
    for (const customer of plan.backOffice.customers) emitCustomer(ctx, customer);
    for (const record of plan.backOffice.records) emitServiceRecord(ctx, record);
    // Until delivery, receivedAt holds the event time. Nothing after endTime ("now") happened yet.
    const today = ctx.out.filter(
      (input) => input.receivedAt < day.end && input.receivedAt <= options.endTime,
    );
    carry = ctx.out.filter((input) => input.receivedAt >= day.end);
    // Array.prototype.sort is stable, so same-millisecond events keep their session order.
    today.sort((a, b) => a.receivedAt - b.receivedAt);
    yield { day: day.index, inputs: deliverEvents(today, rng, options.endTime) };
  }
}

/** Sets receivedAt (network and queue delay) and adds the occasional SDK retry. */
function deliverEvents(sorted: DemoIngestInput[], rng: Prng, endTime: number): DemoIngestInput[] {
  const inputs: DemoIngestInput[] = [];
  for (const input of sorted) {
    const ts = input.receivedAt;
    const delayMs =
      input.ip === SHOP_SERVER_IP
        ? Math.round(rng.logNormal(40, 0.5))
        : rng.chance(LATE_SHARE)
          ? rng.int(60_000, 300_000)
          : Math.min(1_999, Math.round(rng.logNormal(250, 0.7)));
    // Never received after endTime ("now"), so nothing arrives from the future.
    input.receivedAt = Math.max(ts, Math.min(ts + delayMs, endTime));
    inputs.push(input);
    if (rng.chance(DUPLICATE_SHARE)) {
      const retryAt = Math.max(ts, Math.min(input.receivedAt + rng.int(2_000, 30_000), endTime));
      inputs.push({ ...input, event: { ...input.event }, receivedAt: retryAt });
    }
  }
  return inputs;
}

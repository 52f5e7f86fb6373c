import { createPrng, deriveSeed } from './prng.ts';
import type { DayPlan } from './shop-plan.ts';
import type { Channel } from './traffic-sources.ts';

/** One day's spend on one campaign, as a marketer enters it (campaign_costs). */
export interface DemoCampaignCost {
  /** Local date YYYY-MM-DD. */
  day: string;
  channel: Channel;
  campaign: string;
  /** Fen. */
  cost: number;
  currency: 'CNY';
}

/**
 * What one landing visit of a paid campaign costs, in fen: search ads by the click (brand
 * keywords are cheap, category keywords dear), the KOL review and the deal site as a fee per visit
 * they send, and the e-mails (the weekly digest, the flash sale) as their sending cost per visit.
 * Visits without a campaign cost nothing here: direct and organic traffic is free, and agents'
 * shared links are paid for by commission.
 */
const COST_PER_VISIT_FEN: Readonly<Record<string, number>> = {
  'paid_search/spring_tea_festival': 420,
  'paid_search/brand_keywords': 150,
  'paid_search/beauty_new_arrivals': 560,
  'paid_search/digital_618_warmup': 650,
  'social/kol_spring_review': 600,
  'affiliate/smzdm_deals': 250,
  'email/weekly_digest': 40,
  // The campaign surge's flash sale goes to the same list.
  'email/flash_sale': 40,
};

/**
 * The day's spend per paid campaign: its landing visits that day times its price per visit, with
 * a little noise (bids and fees vary). Drawn from its own random stream so the shop's plan stays
 * the same. Campaigns without a visit that day spent nothing and have no row.
 */
export function planCampaignCosts(plan: DayPlan, seed: number): DemoCampaignCost[] {
  const { day } = plan;
  const rng = createPrng(deriveSeed(seed, 0xc057, day.start));
  const visits = new Map<string, number>();
  for (const visit of plan.visits) {
    const { channel, campaign } = visit.source;
    if (!campaign) continue;
    const key = `${channel}/${campaign}`;
    if (COST_PER_VISIT_FEN[key] === undefined) continue;
    visits.set(key, (visits.get(key) ?? 0) + 1);
  }
  const date = `${day.dateKey.slice(0, 4)}-${day.dateKey.slice(4, 6)}-${day.dateKey.slice(6)}`;
  return [...visits.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, count]) => {
      const [channel, campaign] = key.split('/') as [Channel, string];
      const price = COST_PER_VISIT_FEN[key] ?? 0;
      return {
        day: date,
        channel,
        campaign,
        cost: Math.round(count * price * rng.logNormal(1, 0.08)),
        currency: 'CNY',
      };
    });
}

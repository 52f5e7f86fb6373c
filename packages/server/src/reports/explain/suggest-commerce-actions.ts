import type {
  ChangeExplanation,
  ReportLocale,
  ReportSuggestion,
  ValueUnit,
} from '../report-document.ts';
import type { ValuePair } from './decompose-change.ts';
import { nameSegment } from './name-segment.ts';
import { formatPercent, formatValue } from './format-text.ts';
import type { ChangeDriver, SuggestionSignals } from './suggestion-signals.ts';
import { SUGGESTION_THRESHOLDS as T } from './suggestion-thresholds.ts';

type Say = (zh: string, en: string) => string;

const sayIn =
  (locale: ReportLocale): Say =>
  (zh, en) =>
    locale === 'zh-CN' ? zh : en;

/** "¥1.00 → ¥2.00" */
function fromTo(pair: ValuePair, unit: ValueUnit, locale: ReportLocale): string {
  return `${formatValue(pair.previous, unit, locale)} → ${formatValue(pair.current, unit, locale)}`;
}

/** Relative drop (0.2 = fell 20%); null unless it fell from a positive value. */
function getDrop(pair: ValuePair): number | null {
  if (pair.current === null || pair.previous === null || pair.previous <= 0) return null;
  return pair.current < pair.previous ? (pair.previous - pair.current) / pair.previous : null;
}

function isConcentrated(driver: { share: number } | null | undefined): boolean {
  return driver !== null && driver !== undefined && driver.share >= T.concentratedShare;
}

function describeDriver(
  driver: Pick<ChangeDriver, 'dimension' | 'segment' | 'share' | 'current' | 'previous'>,
  unit: ValueUnit,
  locale: ReportLocale,
): { who: string; share: string; values: string } {
  return {
    who: nameSegment(driver.dimension, driver.segment, locale),
    share: formatPercent(driver.share, 0),
    values: fromTo(driver, unit, locale),
  };
}

/** Refund spike: concentrated in a product type, a channel, or neither. */
export function suggestRefundActions(
  refunds: SuggestionSignals['refunds'],
  locale: ReportLocale,
): ReportSuggestion[] {
  const say = sayIn(locale);
  const { amount, rate } = refunds;
  const rose =
    amount.current !== null && amount.previous !== null && amount.current > amount.previous;
  const spike =
    rose && amount.previous !== null && amount.previous > 0
      ? (amount.current ?? 0) >= amount.previous * T.refundSpikeRatio
      : false;
  const rateHigh =
    rate.current !== null &&
    rate.current >= T.refundRateHigh &&
    (rate.previous === null || rate.current > rate.previous);
  if (!spike && !rateHigh) return [];
  const severity = (rate.current ?? 0) >= T.refundRateCritical ? 'critical' : 'warning';
  const head = say(
    `退款金额 ${fromTo(amount, 'currency', locale)}，退款率 ${fromTo(rate, 'ratio', locale)}`,
    `Refunds ${fromTo(amount, 'currency', locale)}, refund rate ${fromTo(rate, 'ratio', locale)}`,
  );
  const out: ReportSuggestion[] = [];
  // Drivers explain the refund amount's change: they only say where a rise came from.
  const product = rose && isConcentrated(refunds.topProductType) ? refunds.topProductType : null;
  const channel = rose && isConcentrated(refunds.topChannel) ? refunds.topChannel : null;
  if (product) {
    const d = describeDriver(product, 'currency', locale);
    out.push({
      rule: 'refund_spike_product',
      severity,
      text: say(
        `${head}；其中${d.who} 占增量的 ${d.share}（${d.values}）：请检查该商品的质量、描述与物流。`,
        `${head}; ${d.who} accounts for ${d.share} of the increase (${d.values}): check its quality, description and logistics.`,
      ),
    });
  }
  if (channel) {
    const d = describeDriver(channel, 'currency', locale);
    out.push({
      rule: 'refund_spike_channel',
      severity,
      text: say(
        `${head}；其中${d.who} 占增量的 ${d.share}（${d.values}）：请排查该渠道的订单（活动承诺、客群、刷单）。`,
        `${head}; ${d.who} accounts for ${d.share} of the increase (${d.values}): check the orders from that channel (campaign promises, audience, fraud).`,
      ),
    });
  }
  if (out.length === 0)
    out.push({
      rule: 'refund_spike',
      severity,
      text: say(
        `${head}，未集中在某一商品类型或渠道：请查看退款原因与售后反馈。`,
        `${head}, not concentrated in one product type or channel: review refund reasons and after-sales feedback.`,
      ),
    });
  return out;
}

/** GMV drop: explained by one channel, by another segment, or by none. */
export function suggestGmvActions(
  explanations: readonly ChangeExplanation[],
  locale: ReportLocale,
): ReportSuggestion[] {
  const say = sayIn(locale);
  const gmv = explanations.find((e) => e.metric === 'gmv');
  const drop = gmv ? getDrop(gmv) : null;
  if (!gmv || drop === null || drop < T.gmvDrop) return [];
  const severity = drop >= T.gmvDropCritical ? 'critical' : 'warning';
  const head = say(
    `${gmv.metricName}下降 ${formatPercent(drop)}（${fromTo(gmv, gmv.unit, locale)}）`,
    `${gmv.metricName} fell ${formatPercent(drop)} (${fromTo(gmv, gmv.unit, locale)})`,
  );
  const driver = gmv.drivers[0];
  if (!driver || !isConcentrated(driver))
    return [
      {
        rule: 'gmv_drop',
        severity,
        text: say(
          `${head}，未集中在某一细分：请检查价格、库存与站点可用性。`,
          `${head}, not concentrated in one segment: check prices, stock and site availability.`,
        ),
      },
    ];
  const d = describeDriver(driver, gmv.unit, locale);
  if (driver.dimension === 'channel')
    return [
      {
        rule: 'gmv_drop_channel',
        severity,
        text: say(
          `${head}；其中${d.who} 占降幅的 ${d.share}（${d.values}）：请检查该渠道的活动、投放与流量。`,
          `${head}; ${d.who} accounts for ${d.share} of the drop (${d.values}): check that channel's campaigns, ad spend and traffic.`,
        ),
      },
    ];
  return [
    {
      rule: 'gmv_drop_segment',
      severity,
      text: say(
        `${head}；其中${d.who} 占降幅的 ${d.share}（${d.values}）：请检查其库存、配送与活动。`,
        `${head}; ${d.who} accounts for ${d.share} of the drop (${d.values}): check its stock, delivery and campaigns.`,
      ),
    },
  ];
}

/** New users down, with or without one channel behind it. */
export function suggestNewUserActions(
  newUsers: SuggestionSignals['newUsers'],
  locale: ReportLocale,
): ReportSuggestion[] {
  const say = sayIn(locale);
  const drop = getDrop(newUsers.count);
  if (drop === null || drop < T.newUsersDrop) return [];
  const head = say(
    `新用户下降 ${formatPercent(drop)}（${fromTo(newUsers.count, 'users', locale)}）`,
    `New users fell ${formatPercent(drop)} (${fromTo(newUsers.count, 'users', locale)})`,
  );
  const driver = newUsers.topChannel;
  if (driver && isConcentrated(driver)) {
    const d = describeDriver(driver, 'users', locale);
    return [
      {
        rule: 'new_users_drop_channel',
        severity: 'warning',
        text: say(
          `${head}；其中${d.who} 占降幅的 ${d.share}（${d.values}）：请检查该渠道的投放与埋点。`,
          `${head}; ${d.who} accounts for ${d.share} of the drop (${d.values}): check that channel's campaigns and tracking.`,
        ),
      },
    ];
  }
  return [
    {
      rule: 'new_users_drop',
      severity: 'info',
      text: say(
        `${head}，未集中在某一渠道：请检查获客投入与注册流程。`,
        `${head}, not concentrated in one channel: check acquisition spend and the sign-up flow.`,
      ),
    },
  ];
}

/** Conversion drops and a commission ratio above the previous period's. */
export function suggestFunnelActions(
  signals: Pick<SuggestionSignals, 'conversion' | 'commission'>,
  locale: ReportLocale,
): ReportSuggestion[] {
  const say = sayIn(locale);
  const out: ReportSuggestion[] = [];
  const { pay, registration } = signals.conversion;
  if ((getDrop(pay) ?? 0) >= T.conversionDrop)
    out.push({
      rule: 'pay_conversion_drop',
      severity: 'warning',
      text: say(
        `付费转化率由 ${formatValue(pay.previous, 'ratio', locale)} 降至 ${formatValue(pay.current, 'ratio', locale)}：请检查结算、支付方式与价格。`,
        `Payment conversion fell from ${formatValue(pay.previous, 'ratio', locale)} to ${formatValue(pay.current, 'ratio', locale)}: check checkout, payment methods and prices.`,
      ),
    });
  if ((getDrop(registration) ?? 0) >= T.conversionDrop)
    out.push({
      rule: 'registration_conversion_drop',
      severity: 'info',
      text: say(
        `注册转化率由 ${formatValue(registration.previous, 'ratio', locale)} 降至 ${formatValue(registration.current, 'ratio', locale)}：请检查注册页与落地流量质量。`,
        `Registration conversion fell from ${formatValue(registration.previous, 'ratio', locale)} to ${formatValue(registration.current, 'ratio', locale)}: check the sign-up page and the quality of landing traffic.`,
      ),
    });
  const { ratio } = signals.commission;
  if (
    ratio.current !== null &&
    ratio.previous !== null &&
    ratio.current >= ratio.previous * T.commissionRiseRatio &&
    ratio.current - ratio.previous >= T.commissionRisePoints
  )
    out.push({
      rule: 'commission_ratio_high',
      severity: 'warning',
      text: say(
        `佣金比例由 ${formatValue(ratio.previous, 'ratio', locale)} 升至 ${formatValue(ratio.current, 'ratio', locale)}，高于上期：请核对佣金规则与异常佣金的分销员（佣金异常报表）。`,
        `Commission ratio rose from ${formatValue(ratio.previous, 'ratio', locale)} to ${formatValue(ratio.current, 'ratio', locale)}, above the previous period: check commission rules and the agents with unusual rates (commission anomalies report).`,
      ),
    });
  return out;
}

import type { ReportDiagnosis, ReportLocale } from '../report-document.ts';
import { NO_VALUE_SEGMENT, OTHER_SEGMENT } from './choose-drivers.ts';
import type { ValuePair } from './decompose-change.ts';
import { formatDelta, formatValue } from './format-text.ts';
import { labelSegment, nameDimension, nameSegment } from './name-segment.ts';

/** Shares of GMV that moved less than this (1 pp) count as steady. */
export const MIN_MIX_SHIFT = 0.01;
/** Retention that fell by at least this (2 pp) calls for an action. */
export const RETENTION_DROP_POINTS = 0.02;
/** Segments listed per mix finding. */
const SHIFTS_SHOWN = 2;
/** Most action items. */
const MAX_ACTIONS = 5;

export interface MixShift {
  segment: string;
  /** Share of the period's GMV, 0..1; null when the period has no GMV. */
  share: ValuePair;
  /** current − previous share; 0 when either is missing. */
  shift: number;
}

export interface MixFacts {
  dimension: string;
  gmv: ValuePair;
  /** Largest |shift| first. */
  shifts: MixShift[];
}

export interface DiagnosisFacts {
  mixes: MixFacts[];
  /** GMV and the part of it from first-time buyers (null: not available). */
  revenue: { gmv: ValuePair; firstTime: ValuePair };
  /** D7 of this month's vs last month's sign-ups; D30 of last month's vs the month before. */
  retention: { d7: ValuePair; d30: ValuePair };
}

interface Finding {
  topic: string;
  text: string;
  action: string;
}

const subtract = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
const divide = (a: number | null, b: number | null) =>
  a === null || b === null || b === 0 ? null : a / b;

function describeMix(mix: MixFacts, locale: ReportLocale): Finding {
  const zh = locale === 'zh-CN';
  const topic = `order_mix_${mix.dimension}`;
  const ratio = (value: number | null) => formatValue(value, 'ratio', locale);
  const title = zh
    ? `按${nameDimension(mix.dimension, locale)}的 GMV 占比`
    : `GMV by ${nameDimension(mix.dimension, locale)}`;
  if (!mix.gmv.current || !mix.gmv.previous) {
    const which = zh
      ? mix.gmv.current
        ? '上月'
        : '本月'
      : mix.gmv.current
        ? 'last month'
        : 'this month';
    return {
      topic,
      text: zh
        ? `${title}：${which}没有支付订单，无法比较。`
        : `${title}: no paid orders ${which} to compare.`,
      action: zh
        ? `确认支付订单已接入 Sightline：${which}没有支付订单。`
        : `Check that paid orders reach Sightline: there were none ${which}.`,
    };
  }
  const named = mix.shifts.filter(
    (s) => s.segment !== OTHER_SEGMENT && s.segment !== NO_VALUE_SEGMENT,
  );
  const top = named[0];
  const listed = mix.shifts.slice(0, SHIFTS_SHOWN).map((s) => {
    const who = labelSegment(s.segment, locale);
    const shift = formatDelta(s.shift, 'ratio', locale);
    return zh
      ? `${who} ${ratio(s.share.previous)} → ${ratio(s.share.current)}（${shift}）`
      : `${who} ${ratio(s.share.previous)} → ${ratio(s.share.current)} (${shift})`;
  });
  if (!top || Math.abs(top.shift) < MIN_MIX_SHIFT)
    return {
      topic,
      text: zh
        ? `${title}基本稳定：${listed.join('，')}。`
        : `${title} held steady: ${listed.join(', ')}.`,
      action: zh
        ? `${title}保持稳定，下月沿用当前的备货与投放结构。`
        : `Keep next month's stock and budget split as it is: ${title} held steady.`,
    };
  const who = nameSegment(mix.dimension, top.segment, locale);
  const move = zh
    ? `其 GMV 占比由 ${ratio(top.share.previous)} ${top.shift > 0 ? '升至' : '降至'} ${ratio(top.share.current)}`
    : `its GMV share ${top.shift > 0 ? 'rose' : 'fell'} from ${ratio(top.share.previous)} to ${ratio(top.share.current)}`;
  const channel = mix.dimension === 'channel';
  const action = zh
    ? top.shift > 0
      ? channel
        ? `在流量质量不降的前提下向${who} 倾斜预算：${move}。`
        : `围绕${who} 安排下月备货与活动：${move}。`
      : channel
        ? `复盘${who} 的活动与流量：${move}。`
        : `复盘${who}（价格、库存、上架）：${move}。`
    : top.shift > 0
      ? channel
        ? `Shift budget toward ${who} while its traffic quality holds: ${move}.`
        : `Plan next month's stock and promotions around ${who}: ${move}.`
      : channel
        ? `Review ${who}'s campaigns and traffic: ${move}.`
        : `Review ${who} (pricing, stock, listing): ${move}.`;
  return {
    topic,
    text: zh ? `${title}：${listed.join('，')}。` : `${title}: ${listed.join(', ')}.`,
    action,
  };
}

function describeRevenue(facts: DiagnosisFacts['revenue'], locale: ReportLocale): Finding {
  const zh = locale === 'zh-CN';
  const topic = 'new_vs_returning_revenue';
  const money = (value: number | null) => formatValue(value, 'currency', locale);
  const ratio = (value: number | null) => formatValue(value, 'ratio', locale);
  if (!facts.gmv.current && !facts.gmv.previous)
    return {
      topic,
      text: zh
        ? '本月与上月均无支付订单，无法区分首购与复购收入。'
        : 'No paid orders this month or last month to split between first-time and returning buyers.',
      action: zh
        ? '确认支付订单已接入 Sightline：本月没有支付订单。'
        : 'Check that paid orders reach Sightline: there were none this month.',
    };
  const first = facts.firstTime;
  const returning = {
    current: subtract(facts.gmv.current, first.current),
    previous: subtract(facts.gmv.previous, first.previous),
  };
  const part = (pair: ValuePair, at: 'current' | 'previous') => {
    const share = divide(pair[at], facts.gmv[at]);
    return zh
      ? `${money(pair[at])}${share === null ? '' : `，占 ${ratio(share)}`}`
      : `${money(pair[at])}${share === null ? '' : `, ${ratio(share)}`}`;
  };
  const text = zh
    ? `首购客户贡献 ${part(first, 'current')}（上月 ${part(first, 'previous')}）；复购客户 ${part(returning, 'current')}（上月 ${part(returning, 'previous')}）。`
    : `First-time buyers brought ${part(first, 'current')} of GMV (last month ${part(first, 'previous')}); returning buyers ${part(returning, 'current')} (last month ${part(returning, 'previous')}).`;
  const dropOf = (pair: ValuePair) => {
    const change = subtract(pair.current, pair.previous);
    return change !== null && change < 0 && pair.previous ? -change / pair.previous : 0;
  };
  const fromTo = (pair: ValuePair) =>
    zh
      ? `由 ${money(pair.previous)} 降至 ${money(pair.current)}`
      : `fell from ${money(pair.previous)} to ${money(pair.current)}`;
  const returningDrop = dropOf(returning);
  const firstDrop = dropOf(first);
  let action: string;
  if (returningDrop > 0 && returningDrop >= firstDrop)
    action = zh
      ? `面向老客户做复购活动（优惠券、会员续费）：复购收入${fromTo(returning)}。`
      : `Run a repurchase campaign for past buyers (coupons, membership renewals): returning-buyer revenue ${fromTo(returning)}.`;
  else if (firstDrop > 0)
    action = zh
      ? `加强获客（新客优惠、渠道活动）：首购收入${fromTo(first)}。`
      : `Strengthen acquisition (first-order offers, channel campaigns): first-time buyer revenue ${fromTo(first)}.`;
  else
    action = zh
      ? `首购与复购收入均未下降：以本月 ${money(first.current)} 与 ${money(returning.current)} 为基线设定下月目标。`
      : `Neither first-time nor returning revenue fell: set next month's targets from this month's ${money(first.current)} and ${money(returning.current)}.`;
  return { topic, text, action };
}

function describeRetention(facts: DiagnosisFacts['retention'], locale: ReportLocale): Finding {
  const zh = locale === 'zh-CN';
  const topic = 'cohort_health';
  const ratio = (value: number | null) => formatValue(value, 'ratio', locale);
  const compare = (pair: ValuePair) => {
    const change = subtract(pair.current, pair.previous);
    const delta =
      change === null
        ? ''
        : zh
          ? `（${formatDelta(change, 'ratio', locale)}）`
          : ` (${formatDelta(change, 'ratio', locale)})`;
    return { delta, now: ratio(pair.current), before: ratio(pair.previous) };
  };
  const d7 = compare(facts.d7);
  const d30 = compare(facts.d30);
  const text = zh
    ? `留存：本月注册用户 7 日留存率 ${d7.now}，上月注册 ${d7.before}${d7.delta}；上月注册用户 30 日留存率 ${d30.now}，前一月注册 ${d30.before}${d30.delta}。`
    : `Retention: D7 of this month's sign-ups ${d7.now} vs ${d7.before} for last month's${d7.delta}; D30 of last month's sign-ups ${d30.now} vs ${d30.before} for the month before${d30.delta}.`;
  const d7Change = subtract(facts.d7.current, facts.d7.previous);
  const d30Change = subtract(facts.d30.current, facts.d30.previous);
  let action: string;
  if (d7Change !== null && d7Change <= -RETENTION_DROP_POINTS)
    action = zh
      ? `优化新用户首周引导（欢迎礼、新手指引）：7 日留存率由 ${d7.before} 降至 ${d7.now}。`
      : `Improve new sign-ups' first week (welcome offers, guidance): D7 retention fell from ${d7.before} to ${d7.now}.`;
  else if (d30Change !== null && d30Change <= -RETENTION_DROP_POINTS)
    action = zh
      ? `在注册后第 2–4 周增加召回触达（提醒、续费权益）：30 日留存率由 ${d30.before} 降至 ${d30.now}。`
      : `Add a re-engagement touch in weeks 2–4 after sign-up (reminders, renewal perks): D30 retention fell from ${d30.before} to ${d30.now}.`;
  else if (facts.d7.current !== null || facts.d30.current !== null)
    action = zh
      ? `保持当前的新用户运营并用于下月的拉新活动：7 日留存率 ${d7.now}，30 日留存率 ${d30.now}，均未明显下降。`
      : `Keep the current onboarding and apply it to next month's campaigns: D7 retention ${d7.now} and D30 ${d30.now} did not fall.`;
  else
    action = zh
      ? '确认注册事件（sign_up）已上报：没有已满观察期的注册 Cohort，无法评估留存。'
      : 'Check that sign_up events are sent: no sign-up cohort has completed its window, so retention cannot be judged.';
  return { topic, text, action };
}

/** The month's findings and one action item per finding (at most five, no repeats). */
export function describeDiagnosis(facts: DiagnosisFacts, locale: ReportLocale): ReportDiagnosis {
  const found = [
    ...facts.mixes.map((mix) => describeMix(mix, locale)),
    describeRevenue(facts.revenue, locale),
    describeRetention(facts.retention, locale),
  ];
  return {
    findings: found.map(({ topic, text }) => ({ topic, text })),
    actions: [...new Set(found.map((finding) => finding.action))].slice(0, MAX_ACTIONS),
  };
}

import type { MetricUnit } from '@sightline/shared';
import { locale, t, type MessageKey } from '../../i18n/index.ts';
import { formatValue } from '../../lib/format.ts';
import type { Finding, FindingKind } from './anomalies-api.ts';
import { absoluteTime, formatDuration, tk } from './alerts-text.ts';
import { plainText } from './format-bytes.ts';

/** How an evidence field reads: ids as code, money in fen, ratios 0..1, ISO instants, … */
export type FieldType =
  | 'code'
  | 'codes'
  | 'text'
  | 'count'
  | 'decimal'
  | 'currency'
  | 'ratio'
  | 'score'
  | 'multiple'
  | 'time'
  | 'minutes'
  | 'days'
  | 'flag';

/** The evidence fields of each kind, in reading order (docs/anomalies.md; the reports' rows). */
const ORDER_FIELDS: Array<[string, FieldType]> = [
  ['orderId', 'code'],
  ['account', 'code'],
  ['paidAt', 'time'],
  ['payAmount', 'currency'],
];
const PRODUCT_FIELDS: Array<[string, FieldType]> = [
  ['productId', 'code'],
  ['name', 'text'],
  ['snapshotAt', 'time'],
  ['onHand', 'count'],
  ['reserved', 'count'],
  ['inTransit', 'count'],
  ['available', 'count'],
  ['avgDailyUnits', 'decimal'],
  ['leadTimeDays', 'days'],
  ['leadTimeDefaulted', 'flag'],
  ['leadTimeNeed', 'decimal'],
  ['lastSoldAt', 'time'],
  ['stockedSince', 'time'],
];
const MOVEMENT_FIELDS: Array<[string, FieldType]> = [
  ['productId', 'code'],
  ['name', 'text'],
];
const DEMAND_FIELDS: Array<[string, FieldType]> = [
  ['unitsSoldBefore', 'count'],
  ['inStockDaysBefore', 'days'],
  ['avgDailyUnits', 'decimal'],
];
const COMMISSION_FIELDS: Array<[string, FieldType]> = [
  ['orderId', 'code'],
  ['agentId', 'code'],
  ['buyerId', 'code'],
  ['paidAt', 'time'],
  ['payAmount', 'currency'],
  ['commissionAmount', 'currency'],
  ['commissionRatio', 'ratio'],
  ['agentMedianRatio', 'ratio'],
  ['agentRatioMad', 'ratio'],
  ['robustZ', 'score'],
  ['historyOrders', 'count'],
  ['costAmount', 'currency'],
  ['margin', 'currency'],
  ['buyerIsAgent', 'flag'],
  ['ratioOutlier', 'flag'],
  ['negativeMargin', 'flag'],
];
export const EVIDENCE_FIELDS: Record<FindingKind, Array<[string, FieldType]>> = {
  order_burst: [
    ['deviceId', 'code'],
    ['ipHash', 'code'],
    ['orderCount', 'count'],
    ['firstAt', 'time'],
    ['lastAt', 'time'],
    ['firstOrderId', 'code'],
    ['accounts', 'codes'],
    ['minOrders', 'count'],
    ['windowMinutes', 'minutes'],
  ],
  large_first_order: [
    ...ORDER_FIELDS,
    ['typicalAmount', 'currency'],
    ['multiple', 'multiple'],
    ['firstSeenAt', 'time'],
    ['accountAgeMinutes', 'minutes'],
    ['deviceId', 'code'],
    ['ipHash', 'code'],
  ],
  shared_address: [
    ['addressHash', 'code'],
    ['accountCount', 'count'],
    ['orderCount', 'count'],
    ['accounts', 'codes'],
    ['orderIds', 'codes'],
    ['firstAt', 'time'],
    ['lastAt', 'time'],
    ['minAccounts', 'count'],
  ],
  amount_outlier: [
    ...ORDER_FIELDS,
    ['robustZ', 'score'],
    ['median', 'currency'],
    ['mad', 'currency'],
    ['deviceId', 'code'],
    ['ipHash', 'code'],
  ],
  low_stock: PRODUCT_FIELDS,
  slow_mover: PRODUCT_FIELDS,
  restock_outlier: [
    ...MOVEMENT_FIELDS,
    ['previousCountAt', 'time'],
    ['restockedAt', 'time'],
    ['onHandBefore', 'count'],
    ['onHandAfter', 'count'],
    ['unitsSold', 'count'],
    ['quantity', 'count'],
    ['inTransitBefore', 'count'],
    ['inTransitAfter', 'count'],
    ['usualQuantity', 'decimal'],
    ['quantityMad', 'decimal'],
    ['usualMax', 'decimal'],
    ['historyRestocks', 'count'],
    ['multipleOfUsual', 'multiple'],
    ['robustZ', 'score'],
    ...DEMAND_FIELDS,
    ['coverDays', 'days'],
    ['maxCoverDays', 'days'],
    ['aboveUsual', 'flag'],
    ['overstock', 'flag'],
  ],
  stock_shrinkage: [
    ...MOVEMENT_FIELDS,
    ['fromAt', 'time'],
    ['toAt', 'time'],
    ['onHandBefore', 'count'],
    ['onHandAfter', 'count'],
    ['stockDecrease', 'count'],
    ['unitsSold', 'count'],
    ['unexplainedUnits', 'count'],
    ['tolerance', 'decimal'],
    ['unitCost', 'currency'],
    ['unexplainedCost', 'currency'],
  ],
  late_restock: [
    ...MOVEMENT_FIELDS,
    ['lastInStockAt', 'time'],
    ['outOfStockSince', 'time'],
    ['restockedAt', 'time'],
    ['stockoutDays', 'days'],
    ['maxStockoutDays', 'days'],
    ['quantity', 'count'],
    ['onHandAfter', 'count'],
    ['unitsSoldDuring', 'count'],
    ...DEMAND_FIELDS,
    ['salesDays', 'days'],
    ['lostUnitsEstimate', 'decimal'],
  ],
  self_dealing: COMMISSION_FIELDS,
  commission_ratio_outlier: COMMISSION_FIELDS,
  negative_margin: COMMISSION_FIELDS,
};

const UNIT: Partial<Record<FieldType, MetricUnit>> = {
  count: 'count',
  currency: 'currency',
  ratio: 'ratio',
  score: 'score',
};

const instant = (value: unknown): number | null => {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return null;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
};
const decimal = (value: number, digits = 1) =>
  new Intl.NumberFormat(locale.value, { maximumFractionDigits: digits }).format(value);

/** One evidence value in words (lists are shown by the caller). */
export function fieldText(value: unknown, type: FieldType): string {
  if (value === null || value === undefined) return '—';
  if (type === 'flag') return value ? t('alerts.yes') : t('alerts.no');
  if (type === 'time') {
    const at = instant(value);
    return at === null ? plainText(value) : absoluteTime(at);
  }
  if (typeof value !== 'number') return plainText(value);
  const unit = UNIT[type];
  if (unit) return formatValue(value, unit, locale.value);
  if (type === 'multiple') return `${decimal(value)}×`;
  if (type === 'minutes') return formatDuration(value * 60);
  if (type === 'days') return t('alerts.unit.days', { n: decimal(value) });
  if (type === 'decimal') return decimal(value, 2);
  return String(value);
}

/** The evidence field's name; a field the page does not know keeps its own. */
export const fieldLabel = (key: string): string => tk(`alerts.anom.ev.${key}`);

export const kindName = (kind: string): string => tk(`alerts.anom.kind.${kind}`);

/** The evidence fields to show, in order, then any the page does not know (as they are). */
export function evidenceRows(finding: Finding): Array<{ key: string; type: FieldType }> {
  const known = EVIDENCE_FIELDS[finding.kind] ?? [];
  const rows = known
    .filter(([key]) => finding.evidence[key] !== undefined && finding.evidence[key] !== null)
    .map(([key, type]) => ({ key, type }));
  const seen = new Set(known.map(([key]) => key));
  for (const [key, value] of Object.entries(finding.evidence)) {
    if (seen.has(key) || key === 'orders' || value === null || typeof value === 'object') continue;
    rows.push({ key, type: 'text' });
  }
  return rows;
}

/** The finding in one sentence of the reader's language, from its evidence. */
export function headline(finding: Finding): string {
  const e = finding.evidence;
  const num = (key: string) => (typeof e[key] === 'number' ? e[key] : null);
  const str = (key: string) => (typeof e[key] === 'string' ? e[key] : '');
  const money = (key: string) => fieldText(num(key), 'currency');
  const list = (key: string) => (Array.isArray(e[key]) ? e[key].length : 0);
  const values: Record<string, string | number> = {};
  switch (finding.kind) {
    case 'order_burst':
      Object.assign(values, {
        count: num('orderCount') ?? 0,
        accounts: list('accounts'),
        from: fieldText(e.firstAt, 'time'),
        to: fieldText(e.lastAt, 'time'),
        by: str('deviceId')
          ? t('alerts.anom.by.device', { id: str('deviceId') })
          : t('alerts.anom.by.ip', { id: str('ipHash') }),
      });
      break;
    case 'large_first_order':
      Object.assign(values, {
        order: str('orderId'),
        account: str('account'),
        amount: money('payAmount'),
        multiple: fieldText(num('multiple'), 'multiple'),
        age: fieldText(num('accountAgeMinutes'), 'minutes'),
      });
      break;
    case 'shared_address':
      Object.assign(values, {
        accounts: num('accountCount') ?? list('accounts'),
        orders: num('orderCount') ?? list('orderIds'),
      });
      break;
    case 'amount_outlier':
      Object.assign(values, {
        order: str('orderId'),
        amount: money('payAmount'),
        z: fieldText(num('robustZ'), 'score'),
        median: money('median'),
      });
      break;
    case 'low_stock':
    case 'slow_mover':
      Object.assign(values, {
        product: str('name') || str('productId'),
        available: fieldText(num('available'), 'count'),
        need: fieldText(num('leadTimeNeed'), 'decimal'),
        days: fieldText(num('leadTimeDays'), 'decimal'),
        onHand: fieldText(num('onHand'), 'count'),
        since: e.lastSoldAt ? fieldText(e.lastSoldAt, 'time') : t('alerts.anom.neverSold'),
      });
      break;
    case 'restock_outlier': {
      const reasons: string[] = [];
      if (e.aboveUsual)
        reasons.push(
          t('alerts.anom.restock.aboveUsual', {
            multiple: fieldText(num('multipleOfUsual'), 'multiple'),
            usual: fieldText(num('usualQuantity'), 'decimal'),
          }),
        );
      if (e.overstock)
        reasons.push(
          num('coverDays') === null
            ? t('alerts.anom.restock.noSales')
            : t('alerts.anom.restock.cover', { days: fieldText(num('coverDays'), 'days') }),
        );
      Object.assign(values, {
        product: str('name') || str('productId'),
        quantity: fieldText(num('quantity'), 'count'),
        at: fieldText(e.restockedAt, 'time'),
        reasons: reasons.join(t('alerts.anom.restock.separator')),
      });
      break;
    }
    case 'stock_shrinkage':
      Object.assign(values, {
        product: str('name') || str('productId'),
        decrease: fieldText(num('stockDecrease'), 'count'),
        sold: fieldText(num('unitsSold'), 'count'),
        missing: fieldText(num('unexplainedUnits'), 'count'),
        from: fieldText(e.fromAt, 'time'),
        to: fieldText(e.toAt, 'time'),
      });
      break;
    case 'late_restock':
      Object.assign(values, {
        product: str('name') || str('productId'),
        days: fieldText(num('stockoutDays'), 'days'),
        at: fieldText(e.restockedAt, 'time'),
        units: fieldText(num('unitsSoldBefore'), 'count'),
        window: fieldText(num('salesDays'), 'days'),
      });
      break;
    default:
      Object.assign(values, {
        order: str('orderId'),
        agent: str('agentId'),
        amount: money('payAmount'),
        ratio: fieldText(num('commissionRatio'), 'ratio'),
        median: fieldText(num('agentMedianRatio'), 'ratio'),
        margin: money('margin'),
      });
  }
  return t(`alerts.anom.headline.${finding.kind}` as MessageKey, values);
}

/** Open first, then confirmed, then dismissed; within each the newest detection first. */
const STATE_ORDER = { open: 0, confirmed: 1, dismissed: 2 } as const;
const SEVERITY_ORDER = { high: 0, medium: 1, low: 2 } as const;
export function byQueueOrder(a: Finding, b: Finding): number {
  return (
    STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
    b.detectedAt - a.detectedAt ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    b.lastSeenAt - a.lastSeenAt
  );
}

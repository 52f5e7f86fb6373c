export * from './metric-types.ts';
export * from './dimensions.ts';
export { METRICS, getMetric } from './catalog.ts';
export {
  ACTIVE as ACTIVE_EVENT_CONDITIONS,
  PAID as PAID_ORDER_CONDITIONS,
  PAGE_VIEW as PAGE_VIEW_CONDITIONS,
} from './catalog/common.ts';

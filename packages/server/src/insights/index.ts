export { registerInsightRoutes, type InsightRoutesDeps } from './insight-routes.ts';
export {
  createInsightService,
  type Caller,
  type InsightService,
  type InsightServiceDeps,
} from './insight-service.ts';
export { createDashboardService, type DashboardService } from './dashboard-service.ts';
export {
  INSIGHT_KINDS,
  type Dashboard,
  type Insight,
  type InsightKind,
  type Tile,
} from './insight-schemas.ts';
export {
  getInsightScope,
  readInsight,
  type InsightScope,
  type StoredInsight,
} from './read-insight.ts';

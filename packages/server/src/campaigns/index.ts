export {
  createCampaignCostService,
  MAX_COST_ROWS,
  type CampaignCost,
  type CampaignCostInput,
  type CampaignCostKey,
  type CampaignCostService,
  type CampaignCostServiceDeps,
} from './campaign-cost-service.ts';
export { registerCampaignCostRoutes } from './campaign-cost-routes.ts';

import type { ReportSectionId } from '../report-schema.ts';
import type { SectionBuilder } from './content-types.ts';
import { buildAgentsSection } from './sections/agents-section.ts';
import { buildAlertsSection } from './sections/alerts-section.ts';
import { buildApiSection } from './sections/api-section.ts';
import { buildCommissionsSection } from './sections/commissions-section.ts';
import { buildOrdersSection } from './sections/orders-section.ts';
import { buildProductsSection } from './sections/products-section.ts';
import { buildRetentionSection } from './sections/retention-section.ts';
import { buildTasksSection } from './sections/tasks-section.ts';
import { buildUsersSection } from './sections/users-section.ts';

/** The builder of each section a report can carry. */
export const SECTION_BUILDERS: Readonly<Record<ReportSectionId, SectionBuilder>> = {
  orders: buildOrdersSection,
  users: buildUsersSection,
  retention: buildRetentionSection,
  products: buildProductsSection,
  agents: buildAgentsSection,
  commissions: buildCommissionsSection,
  tasks: buildTasksSection,
  api: buildApiSection,
  alerts: buildAlertsSection,
};

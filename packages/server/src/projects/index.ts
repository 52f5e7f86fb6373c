export {
  createProjectService,
  type CreatedProject,
  type CreateProjectParams,
  type DntMode,
  type IngestProject,
  type KeyInfo,
  type KeyKind,
  type Project,
  type ProjectService,
  type ProjectServiceOptions,
  type UpdateProjectParams,
} from './project-service.ts';
export { registerProjectRoutes, type ProjectRoutesDeps } from './project-routes.ts';
export { registerSdkConfigRoutes } from './sdk-config-routes.ts';

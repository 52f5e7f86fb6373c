export {
  deleteUserData,
  type DeleteUserDataDeps,
  type DeleteUserDataParams,
  type DeleteUserDataResult,
} from './delete-user-data.ts';
export { registerRetentionRoutes } from './retention-routes.ts';
export {
  getNextRetentionRun,
  startRetentionSchedule,
  toDailyCronPattern,
  type RetentionLogger,
  type RetentionSchedule,
  type RetentionScheduleOptions,
} from './retention-schedule.ts';
export {
  runRetention,
  type RetentionDeps,
  type RetentionResult,
  type RunRetentionParams,
} from './run-retention.ts';

export {
  createAuditLog,
  type AuditEntry,
  type AuditEntryParams,
  type AuditLog,
  type ListAuditParams,
} from './audit-log.ts';
export { registerAuditRoutes } from './audit-routes.ts';

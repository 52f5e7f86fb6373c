export { attachRealtime, type RealtimeDeps, type RealtimeHub } from './realtime-hub.ts';
export {
  REALTIME_KPIS,
  REALTIME_MINUTES,
  QPS_WINDOW_MINUTES,
  takeRealtimeSnapshot,
  type RealtimeSnapshot,
  type SnapshotPart,
} from './realtime-snapshot.ts';

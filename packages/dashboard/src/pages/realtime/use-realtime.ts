import { io, type Socket } from 'socket.io-client';
import { onBeforeUnmount, ref, shallowRef, watch, type WatchSource } from 'vue';
import { shareView } from '../../lib/share.ts';

/** One panel of a snapshot: a report's result, or why it could not be had. */
export type SnapshotPart<R> =
  { ok: true; result: R } | { ok: false; code: string; message: string };

/** What the server pushes (packages/server/src/realtime/realtime-snapshot.ts). */
export interface RealtimeSnapshot {
  projectId: string;
  timeZone: string;
  at: string;
  today: SnapshotPart<unknown>;
  qps: SnapshotPart<unknown>;
  minutes: SnapshotPart<unknown>;
  featureShare: SnapshotPart<unknown>;
  channelConversion: SnapshotPart<unknown>;
  errorCodes: SnapshotPart<unknown>;
}

export type LiveState = 'connecting' | 'live' | 'offline' | 'refused';

/**
 * The realtime feed of a project over socket.io: the latest snapshot, the connection state, and
 * why the server refused (no session, no access). Reconnects by itself and subscribes again.
 */
export function useRealtime(projectId: WatchSource<string>) {
  const snapshot = shallowRef<RealtimeSnapshot | null>(null);
  const state = ref<LiveState>('connecting');
  const refusal = ref('');
  let socket: Socket | null = null;
  let current = '';

  function subscribe(): void {
    socket
      ?.emitWithAck('subscribe', current)
      .then((answer: { ok: boolean; code?: string; message?: string }) => {
        if (answer.ok) return;
        state.value = 'refused';
        refusal.value = answer.code ?? answer.message ?? 'unknown';
      })
      .catch(() => undefined);
  }

  const stop = watch(
    projectId,
    (id) => {
      current = id;
      snapshot.value = null;
      if (!socket) {
        // A shared view has no session: its link's token is the credential.
        const share = shareView.value;
        socket = io({
          path: '/socket.io',
          transports: ['websocket', 'polling'],
          ...(share ? { auth: { token: share.token } } : {}),
        });
        socket.on('connect', () => {
          state.value = 'live';
          subscribe();
        });
        socket.on('disconnect', () => {
          if (state.value !== 'refused') state.value = 'offline';
        });
        socket.on('connect_error', (error: Error) => {
          if (error.message === 'ERR_AUTH_REQUIRED') {
            state.value = 'refused';
            refusal.value = error.message;
          } else state.value = 'offline';
        });
        socket.on('snapshot', (next: RealtimeSnapshot) => {
          if (next.projectId !== current) return;
          snapshot.value = next;
          state.value = 'live';
        });
      } else if (socket.connected) subscribe();
    },
    { immediate: true },
  );

  onBeforeUnmount(() => {
    stop();
    socket?.close();
    socket = null;
  });
  return { snapshot, state, refusal };
}

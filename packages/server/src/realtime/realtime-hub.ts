import {
  ERR_AUTH_FORBIDDEN,
  ERR_AUTH_REQUIRED,
  ERR_NOT_FOUND,
  type Filter,
} from '@sightline/shared';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { Server, type Socket } from 'socket.io';
import {
  canAccessProject,
  getRowScope,
  SESSION_COOKIE,
  type AuthService,
  type Principal,
} from '../auth/index.ts';
import type { Clock } from '../platform/index.ts';
import type { ProjectService } from '../projects/index.ts';
import type { QueryCache } from '../queries/index.ts';
import type { EventStore } from '../store/index.ts';
import { takeRealtimeSnapshot, type RealtimeSnapshot } from './realtime-snapshot.ts';

export interface RealtimeDeps {
  auth: AuthService;
  projects: ProjectService;
  eventStore: EventStore;
  queryCache: QueryCache;
  clock: Clock;
  logger: FastifyBaseLogger;
  /** Ms between two pushes to a project's screens. */
  intervalMs: number;
}

export interface RealtimeHub {
  /** Screens connected now. */
  connections(): number;
  close(): Promise<void>;
}

/** A project seen with one row scope: screens that must get the same numbers share a room. */
interface Room {
  name: string;
  projectId: string;
  timeZone: string;
  rowScope: readonly Filter[];
  last: RealtimeSnapshot | null;
  /** The snapshot being taken, shared by whoever asks meanwhile. */
  pending: Promise<RealtimeSnapshot> | null;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/**
 * The realtime screen's push channel (socket.io on `/socket.io`). A screen connects with its
 * session cookie (or `auth: { token }`), subscribes to a project it may read, gets the latest
 * snapshot at once and a new one every `intervalMs`. Snapshots are taken once per project and
 * row scope however many screens watch, and only while someone does.
 */
export function attachRealtime(fastify: FastifyInstance, deps: RealtimeDeps): RealtimeHub {
  const io = new Server(fastify.server, {
    path: '/socket.io',
    serveClient: false,
    // Same origin only: the dashboard is served by this server.
    cors: { origin: false },
  });
  const rooms = new Map<string, Room>();

  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    deps.auth
      .authenticate({
        authorization: typeof token === 'string' ? `Bearer ${token}` : undefined,
        sessionToken: cookieValue(socket.handshake.headers.cookie, SESSION_COOKIE),
      })
      .then((principal) => {
        if (!principal) return next(new Error(ERR_AUTH_REQUIRED.code));
        (socket.data as { principal?: Principal }).principal = principal;
        next();
      })
      .catch((error: unknown) => next(error instanceof Error ? error : new Error(String(error))));
  });

  function snapshot(room: Room): Promise<RealtimeSnapshot> {
    room.pending ??= takeRealtimeSnapshot(
      { eventStore: deps.eventStore, cache: deps.queryCache, now: deps.clock.now() },
      { id: room.projectId, timeZone: room.timeZone },
      room.rowScope,
    )
      .then((taken) => {
        room.last = taken;
        return taken;
      })
      .finally(() => {
        room.pending = null;
      });
    return room.pending;
  }

  async function subscribe(socket: Socket, projectId: unknown): Promise<void> {
    const principal = (socket.data as { principal: Principal }).principal;
    if (typeof projectId !== 'string' || !principal.permissions.has('data:read'))
      throw Object.assign(new Error('data:read'), { code: ERR_AUTH_FORBIDDEN.code });
    if (!canAccessProject(principal, projectId))
      throw Object.assign(new Error(`project ${projectId}`), { code: ERR_AUTH_FORBIDDEN.code });
    const [project] = await deps.projects.list([projectId]);
    if (!project)
      throw Object.assign(new Error(`project ${projectId}`), { code: ERR_NOT_FOUND.code });
    const rowScope = getRowScope(principal, projectId);
    const name = `${projectId}\u0000${JSON.stringify(rowScope)}`;
    let room = rooms.get(name);
    if (!room) {
      room = { name, projectId, timeZone: project.timeZone, rowScope, last: null, pending: null };
      rooms.set(name, room);
    }
    for (const joined of socket.rooms) if (joined !== socket.id) await socket.leave(joined);
    await socket.join(name);
    const fresh =
      room.last && deps.clock.now() - Date.parse(room.last.at) < deps.intervalMs
        ? room.last
        : await snapshot(room);
    socket.emit('snapshot', fresh);
  }

  io.on('connection', (socket) => {
    socket.on('subscribe', (projectId: unknown, ack?: (answer: unknown) => void) => {
      subscribe(socket, projectId).then(
        () => ack?.({ ok: true }),
        (error: { code?: string; message?: string }) => {
          deps.logger.debug({ err: error }, 'realtime subscribe refused');
          ack?.({ ok: false, code: error.code ?? 'ERR_INTERNAL', message: error.message });
        },
      );
    });
  });

  const timer = setInterval(() => {
    for (const room of rooms.values()) {
      const watchers = io.sockets.adapter.rooms.get(room.name)?.size ?? 0;
      if (watchers === 0) {
        rooms.delete(room.name);
        continue;
      }
      // A slow snapshot is not stacked on: the next tick after it finishes takes the next one.
      if (room.pending) continue;
      snapshot(room).then(
        (taken) => io.to(room.name).emit('snapshot', taken),
        (error: unknown) => deps.logger.warn({ err: error }, 'realtime snapshot failed'),
      );
    }
  }, deps.intervalMs);
  timer.unref();

  return {
    connections: () => io.engine.clientsCount,
    async close() {
      clearInterval(timer);
      await Promise.allSettled(
        [...rooms.values()].flatMap((room) => (room.pending ? [room.pending] : [])),
      );
      // The screens' connections end here; the HTTP server is fastify's to close.
      io.disconnectSockets(true);
      io.engine.close();
    },
  };
}

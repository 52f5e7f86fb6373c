import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../platform/index.ts';
import { probeSpecSchema, type ProbeSpecInput } from './probe-schemas.ts';
import { probeTarget } from './probe-target.ts';

const clock = createFakeClock(Date.parse('2026-11-21T04:00:00Z'));
const probe = (spec: ProbeSpecInput) =>
  probeTarget(probeSpecSchema.parse(spec), { clock, timeoutMs: 1_000 });

/** A TCP server on an ephemeral port that plays one side of a database's wire protocol. */
interface WireServer {
  port: number;
  /** Everything each connection sent, in order. */
  received: Buffer[];
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function startWireServer(onConnection: (socket: Socket, received: Buffer[]) => void) {
  const received: Buffer[] = [];
  const server = createServer((socket) => {
    const index = received.push(Buffer.alloc(0)) - 1;
    socket.on('data', (chunk) => {
      received[index] = Buffer.concat([received[index] ?? Buffer.alloc(0), chunk]);
    });
    socket.on('error', () => {});
    onConnection(socket, received);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const wire: WireServer = {
    port: (server.address() as AddressInfo).port,
    received,
  };
  return wire;
}

/** A MySQL packet: 3-byte little-endian length, sequence id, payload. */
function mysqlPacket(payload: Buffer, sequence = 0): Buffer {
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  header[3] = sequence;
  return Buffer.concat([header, payload]);
}

/** An Initial Handshake v10 as MySQL 8.0 sends it. */
function mysqlHandshake(version: string, connectionId: number): Buffer {
  const id = Buffer.alloc(4);
  id.writeUInt32LE(connectionId);
  return mysqlPacket(
    Buffer.concat([
      Buffer.from([10]),
      Buffer.from(`${version}\0`),
      id,
      Buffer.from('abcdefgh\0'), // auth-plugin-data part 1, filler
      Buffer.from([0xff, 0xf7, 0xff, 0x02, 0x00, 0xff, 0xdf, 21]), // caps, charset, status, caps, len
      Buffer.alloc(10), // reserved
      Buffer.from('ijklmnopqrst\0caching_sha2_password\0'),
    ]),
  );
}

/** A PostgreSQL backend message: type byte, int32 length (itself included), body. */
function pgMessage(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}
const int32 = (value: number) => {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
};
const cstrings = (...texts: string[]) => Buffer.from(texts.map((t) => `${t}\0`).join(''));

describe('probeTarget: mysql at the wire level', () => {
  it('reads the server version from the handshake, even when it arrives in pieces', async () => {
    const wire = await startWireServer((socket) => {
      const packet = mysqlHandshake('8.0.36-sightline', 42);
      socket.write(packet.subarray(0, 3));
      setTimeout(() => socket.write(packet.subarray(3)), 20);
    });
    expect(await probe({ kind: 'mysql', config: { host: '127.0.0.1', port: wire.port } })).toEqual({
      status: 'up',
      latencyMs: 0,
      error: null,
      detail: { protocolVersion: 10, serverVersion: '8.0.36-sightline', connectionId: 42 },
    });
    // Nothing was sent: no login attempt.
    await expect.poll(() => wire.received.length).toBe(1);
    expect(wire.received[0]?.length).toBe(0);
  });

  it('is degraded when the server refuses with an ERR packet', async () => {
    const wire = await startWireServer((socket) => {
      const code = Buffer.alloc(2);
      code.writeUInt16LE(1040);
      socket.end(
        mysqlPacket(
          Buffer.concat([Buffer.from([0xff]), code, Buffer.from('Too many connections')]),
        ),
      );
    });
    expect(await probe({ kind: 'mysql', config: { host: '127.0.0.1', port: wire.port } })).toEqual({
      status: 'degraded',
      latencyMs: 0,
      error: 'MySQL refused the connection: 1040 Too many connections',
      detail: { errorCode: 1040 },
    });
  });

  it('is down when something else answers on the port', async () => {
    const ssh = await startWireServer((socket) => socket.write('SSH-2.0-OpenSSH_9.6\r\n'));
    expect(await probe({ kind: 'mysql', config: { host: '127.0.0.1', port: ssh.port } })).toEqual({
      status: 'down',
      latencyMs: 0,
      error: 'not a MySQL server (no handshake packet)',
      detail: {},
    });
    const hangUp = await startWireServer((socket) => socket.end());
    expect(
      await probe({ kind: 'mysql', config: { host: '127.0.0.1', port: hangUp.port } }),
    ).toMatchObject({ status: 'down', error: 'connection closed before the server answered' });
  });
});

describe('probeTarget: postgres at the wire level', () => {
  /** Answers an SSLRequest with `sslAnswer`, a StartupMessage with `startupAnswer`. */
  function startPostgres(sslAnswer: string, startupAnswer: Buffer) {
    return startWireServer((socket) => {
      socket.once('data', (first: Buffer) => {
        const code = first.readInt32BE(4);
        socket.write(code === 80_877_103 ? Buffer.from(sslAnswer, 'latin1') : startupAnswer);
      });
    });
  }

  it('accepts N or S to an SSLRequest', async () => {
    for (const answer of ['N', 'S'] as const) {
      const wire = await startPostgres(answer, Buffer.alloc(0));
      expect(
        await probe({ kind: 'postgres', config: { host: '127.0.0.1', port: wire.port } }),
      ).toEqual({
        status: 'up',
        latencyMs: 0,
        error: null,
        detail: { mode: 'ssl', answer, ssl: answer === 'S' },
      });
      await expect.poll(() => wire.received[0]?.toString('hex')).toBe('0000000804d2162f');
    }
  });

  it('accepts an authentication request to a StartupMessage and names the method', async () => {
    const md5 = pgMessage('R', Buffer.concat([int32(5), Buffer.from([1, 2, 3, 4])]));
    const wire = await startPostgres('N', md5);
    const config = {
      host: '127.0.0.1',
      port: wire.port,
      mode: 'startup',
      user: 'monitor',
      database: 'shop',
    } as const;
    expect(await probe({ kind: 'postgres', config })).toEqual({
      status: 'up',
      latencyMs: 0,
      error: null,
      detail: { mode: 'startup', answer: 'R', authMethod: 'md5-password', serverVersion: null },
    });
    const startup = wire.received[0] as Buffer;
    expect(startup.readInt32BE(0)).toBe(startup.length);
    expect(startup.readInt32BE(4)).toBe(196_608);
    expect(startup.subarray(8).toString()).toBe(
      cstrings(
        'user',
        'monitor',
        'database',
        'shop',
        'application_name',
        'sightline-monitor',
        '',
      ).toString(),
    );
  });

  it('reads server_version after AuthenticationOk and says goodbye with Terminate', async () => {
    const trust = Buffer.concat([
      pgMessage('R', int32(0)),
      pgMessage('S', cstrings('client_encoding', 'UTF8')),
      pgMessage('S', cstrings('server_version', '16.2 (Debian 16.2-1)')),
      pgMessage('K', Buffer.concat([int32(7), int32(99)])),
      pgMessage('Z', Buffer.from('I')),
    ]);
    const wire = await startPostgres('N', trust);
    const config = { host: '127.0.0.1', port: wire.port, mode: 'startup' } as const;
    expect(await probe({ kind: 'postgres', config })).toMatchObject({
      status: 'up',
      detail: { authMethod: 'ok', serverVersion: '16.2 (Debian 16.2-1)' },
    });
    await expect.poll(() => wire.received[0]?.subarray(-5).toString('hex')).toBe('5800000004');
  });

  it('is degraded on an ErrorResponse and down when another protocol answers', async () => {
    const refusal = pgMessage(
      'E',
      Buffer.concat([
        cstrings('SFATAL', 'VFATAL', 'C28000', 'Mno pg_hba.conf entry for host'),
        Buffer.from([0]),
      ]),
    );
    const wire = await startPostgres('N', refusal);
    expect(
      await probe({
        kind: 'postgres',
        config: { host: '127.0.0.1', port: wire.port, mode: 'startup' },
      }),
    ).toEqual({
      status: 'degraded',
      latencyMs: 0,
      error: 'PostgreSQL refused the connection: FATAL 28000 no pg_hba.conf entry for host',
      detail: { mode: 'startup', errorCode: '28000' },
    });
    const other = await startPostgres('H', Buffer.alloc(0));
    expect(
      await probe({ kind: 'postgres', config: { host: '127.0.0.1', port: other.port } }),
    ).toMatchObject({
      status: 'down',
      error: 'not a PostgreSQL server (unexpected answer to SSLRequest)',
    });
  });
});

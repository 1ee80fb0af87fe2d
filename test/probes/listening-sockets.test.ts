import { createServer, type AddressInfo, type Socket } from 'node:net';
import { ListeningSockets, parseListeners, readListeners, type Listener } from '../../src/probes/listening-sockets';
import { tcpProbe } from '../../src/probes/tcp-probe';

// Rows as the kernel prints them on a little-endian machine: 127.0.0.1:6379 listening, 0.0.0.0:5432 listening
// with two connections not yet accepted, and an established connection (state 01) to 6379.
const tcp4Table = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:18EB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 101 1 0 100 0 0 10 0
   1: 00000000:1538 00000000:0000 0A 00000000:00000002 00:00000000 00000000     0        0 102 1 0 100 0 0 10 0
   2: 0100007F:C350 0100007F:18EB 01 00000000:00000000 00:00000000 00000000     0        0 103 1 0 20 4 30 10 -1
`;
const tcp6Table = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 201 1 0 100 0 0 10 0
   1: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 202 1 0 100 0 0 10 0
`;

describe('parseListeners', () => {
  it('reads the listening rows of both tables, their addresses in host order and their accept queues', () => {
    expect(parseListeners(tcp4Table, 4, 'LE')).toEqual([
      { address: '127.0.0.1', port: 6379, queued: 0 },
      { address: '0.0.0.0', port: 5432, queued: 2 },
    ]);
    expect(parseListeners(tcp6Table, 6, 'LE')).toEqual([
      { address: '::', port: 8080, queued: 0 },
      { address: '::1', port: 80, queued: 0 },
    ]);
  });

  it('reads big-endian machines too', () => {
    const row = `header\n   0: 7F000001:18EB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0\n`;
    expect(parseListeners(row, 4, 'BE')).toEqual([{ address: '127.0.0.1', port: 6379, queued: 0 }]);
    const row6 = `header\n   0: 00000000000000000000000000000001:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0\n`;
    expect(parseListeners(row6, 6, 'BE')).toEqual([{ address: '::1', port: 80, queued: 0 }]);
  });
});

/** A table whose reads are counted, on a clock the test moves; busy from the first lookup unless told otherwise. */
function fakeTable(listeners: Listener[], minLookupsPerSecond = 0) {
  const clock = { nowMs: 10_000 };
  const reads = { count: 0 };
  const table = new ListeningSockets({
    minLookupsPerSecond,
    maxAgeMs: 500,
    now: () => clock.nowMs,
    readTable: () => {
      reads.count += 1;
      return listeners;
    },
  });
  return { table, clock, reads };
}

describe('ListeningSockets', () => {
  const listeners = [...parseListeners(tcp4Table, 4, 'LE'), ...parseListeners(tcp6Table, 6, 'LE')];

  it.each([
    ['127.0.0.1', 6379, true, 'bound to the address'],
    ['127.0.0.1', 5432, false, 'connections wait in its accept queue'],
    ['127.0.0.2', 6379, false, 'bound to another loopback address'],
    ['127.0.0.1', 8080, false, 'only the IPv6 wildcard, which may be IPv6-only'],
    ['::1', 8080, true, 'the IPv6 wildcard, for ::1'],
    ['::1', 80, true, 'bound to ::1'],
    ['localhost', 6379, true, 'localhost: either family'],
    ['localhost', 80, true, 'localhost: either family'],
    ['127.0.0.1', 9999, false, 'not listed'],
    ['10.0.0.5', 6379, false, 'not a loopback address: another namespace may answer'],
    ['db', 6379, false, 'a name that is not localhost'],
  ])('%s:%d → %s (%s)', (host, port, accepts) => {
    expect(fakeTable(listeners).table.accepts(host, port)).toBe(accepts);
  });

  it('reads the table once per maxAge however many lookups share it', () => {
    const { table, clock, reads } = fakeTable(listeners);
    for (let i = 0; i < 50; i++) table.accepts('127.0.0.1', 6379);
    expect(reads.count).toBe(1);
    clock.nowMs += 500;
    table.accepts('127.0.0.1', 6379);
    expect(reads.count).toBe(2);
  });

  it('is not read while lookups are too few to pay for it; read once they were many in the last second', () => {
    const { table, clock, reads } = fakeTable(listeners, 20);
    for (let i = 0; i < 19; i++) expect(table.accepts('127.0.0.1', 6379)).toBe(false);
    clock.nowMs += 1000;
    expect(table.accepts('127.0.0.1', 6379)).toBe(false);
    expect(reads.count).toBe(0);
    for (let i = 0; i < 20; i++) table.accepts('127.0.0.1', 6379);
    clock.nowMs += 1000;
    expect(table.accepts('127.0.0.1', 6379)).toBe(true);
    expect(reads.count).toBe(1);
    // A quiet gap of more than a second: the lookups before it say nothing of now.
    clock.nowMs += 2500;
    expect(table.accepts('127.0.0.1', 6379)).toBe(false);
  });

  it('is unsure when the table cannot be read', () => {
    const table = new ListeningSockets({ minLookupsPerSecond: 0, readTable: () => undefined });
    expect(table.accepts('127.0.0.1', 6379)).toBe(false);
  });
});

/** A real listener on 127.0.0.1; closing it ends its connections too. */
async function listener(onConnection: (socket: Socket) => void = (socket) => socket.destroy()) {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(resolve));
  };
  return { port: (server.address() as AddressInfo).port, close };
}

describe('the kernel table and the TCP check that reads it', () => {
  it('lists a socket listening on 127.0.0.1, and not once it is closed', async () => {
    const { port, close } = await listener();
    expect(readListeners()).toContainEqual({ address: '127.0.0.1', port, queued: 0 });
    await close();
    expect(readListeners()?.some((l) => l.port === port)).toBe(false);
  });

  it('a plain check passes from the table; a port the table does not list is connected to, and refused', async () => {
    const { port, close } = await listener();
    const listening = new ListeningSockets({ minLookupsPerSecond: 0, maxAgeMs: 0 });
    expect(await tcpProbe({ kind: 'tcp', host: '127.0.0.1', port }, { timeoutMs: 1000, listening })).toEqual({
      ok: true,
      output: `listening on 127.0.0.1:${port}`,
    });
    await close();
    const refused = await tcpProbe({ kind: 'tcp', host: '127.0.0.1', port }, { timeoutMs: 1000, listening });
    expect(refused).toEqual({ ok: false, output: `connect ECONNREFUSED 127.0.0.1:${port}` });
  });

  it('a check that sends and expects always connects', async () => {
    const { port, close } = await listener((socket) => socket.end('+PONG\r\n'));
    const listening = new ListeningSockets({ minLookupsPerSecond: 0, maxAgeMs: 0 });
    try {
      const spec = { kind: 'tcp' as const, host: '127.0.0.1', port, send: 'PING\\r\\n', expect: '+PONG' };
      expect(await tcpProbe(spec, { timeoutMs: 1000, listening })).toEqual({ ok: true, output: '+PONG' });
    } finally {
      await close();
    }
  });
});

import { spawn } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { establishedConnections } from '../../src/activities/tcp-connections';

async function listening(): Promise<{ server: Server; port: number }> {
  const server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('establishedConnections', () => {
  it("counts another process's connections to the port, not this process's own", async () => {
    const { server, port } = await listening();
    // A port this test holds and nobody connects to (a neighbouring number may be anyone's on a shared machine).
    const { server: idle, port: idlePort } = await listening();
    const own: Socket = connect({ host: '127.0.0.1', port });
    await new Promise((resolve) => own.once('connect', resolve));
    try {
      expect(establishedConnections([port])).toBe(0);
      // A client in another process: a user of the service.
      const other = spawn(process.execPath, [
        '-e',
        `require('net').connect(${port}, '127.0.0.1', () => setTimeout(() => {}, 5000))`,
      ]);
      try {
        const deadline = Date.now() + 5000;
        while (establishedConnections([port]) === 0 && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 50));
        expect(establishedConnections([port])).toBe(1);
        expect(establishedConnections([idlePort])).toBe(0);
        expect(establishedConnections([port, idlePort])).toBe(1);
      } finally {
        other.kill('SIGKILL');
      }
    } finally {
      own.destroy();
      server.close();
      idle.close();
    }
  });
});

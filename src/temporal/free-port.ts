import { createServer } from 'node:net';

/** A port the OS says is free on 127.0.0.1 right now, so parallel runs do not collide on fixed ports. */
export function freePort(): Promise<number> {
  return listenOnce(0);
}

/**
 * A free port in [from, to), for a service that binds it only later: ports from `freePort` lie in the kernel's
 * ephemeral range (32768–60999 on Linux), where outgoing connections may take them meanwhile.
 */
export async function freePortIn(from: number, to: number, attempts = 50): Promise<number> {
  for (let i = 0; i < attempts; i++) {
    const candidate = from + Math.floor(Math.random() * (to - from));
    const port = await listenOnce(candidate).catch(() => undefined);
    if (port !== undefined) return port;
  }
  throw new Error(`no free port in ${from}–${to} after ${attempts} attempts`);
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

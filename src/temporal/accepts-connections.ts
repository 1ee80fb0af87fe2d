import { connect } from 'node:net';

/**
 * Whether something accepts TCP connections at `host:port` within `timeoutMs`: enough to tell a dev server this
 * machine recorded, whose process is alive, from a stale record, without loading a gRPC client.
 */
export function acceptsConnections(address: string, timeoutMs: number): Promise<boolean> {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at).replace(/^\[|\]$/g, '');
  const port = Number(address.slice(at + 1));
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (accepted: boolean) => {
      socket.destroy();
      resolve(accepted);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

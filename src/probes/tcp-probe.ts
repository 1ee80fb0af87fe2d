import { connect } from 'node:net';
import type { TcpProbe } from '../plan/types';
import { clip, type ProbeOptions, type ProbeResult } from './probe-result';

/**
 * Connects; with `send`/`expect` speaks one request/answer of a line protocol (Redis `PING` → `+PONG`). A plain
 * check of a loopback port takes a sure "listening" from the worker's shared socket table when it has one.
 */
export function tcpProbe(spec: TcpProbe, options: ProbeOptions): Promise<ProbeResult> {
  const plain = spec.send === undefined && spec.expect === undefined;
  if (plain && options.listening?.accepts(spec.host, spec.port))
    return Promise.resolve({ ok: true, output: `listening on ${spec.host}:${spec.port}` });
  return new Promise((resolve) => {
    const socket = connect({ host: spec.host, port: spec.port });
    let received = '';
    const finish = (result: ProbeResult) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          output:
            spec.expect && received
              ? clip(`expected "${spec.expect}", got "${received}"`)
              : `no answer after ${options.timeoutMs} ms`,
        }),
      options.timeoutMs,
    );
    const onAbort = () => finish({ ok: false, output: 'probe cancelled' });
    options.signal?.addEventListener('abort', onAbort);
    socket.once('connect', () => {
      if (plain) return finish({ ok: true, output: `connected to ${spec.host}:${spec.port}` });
      if (spec.send !== undefined) socket.write(spec.send.replace(/\\r/g, '\r').replace(/\\n/g, '\n'));
    });
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
      if (spec.expect === undefined || received.includes(spec.expect))
        finish({ ok: true, output: clip(received || 'connected') });
    });
    socket.once('error', (error) => finish({ ok: false, output: clip(error.message) }));
    socket.once('close', () =>
      finish({ ok: false, output: clip(received ? `closed after "${received}"` : 'connection closed') }),
    );
  });
}

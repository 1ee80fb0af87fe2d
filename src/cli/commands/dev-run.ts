import type { CliIo } from '../cli-io';
import { withCommandConnection } from '../connect-for-command';

/** `bootwave dev`: the endpoint and an in-process worker until SIGINT or SIGTERM. */
export async function dev(io: CliIo): Promise<void> {
  await withCommandConnection(io, { worker: true, lastingWorker: true }, async ({ endpoint }) => {
    io.out(
      `Temporal at ${endpoint.address}${endpoint.uiUrl ? ` · Web UI ${endpoint.uiUrl}` : ''} · worker running; Ctrl-C to stop`,
    );
    // Other bootwave commands find this server by themselves; the Temporal CLI and other clients need its address.
    if (!process.env.TEMPORAL_ADDRESS) io.out(`In another terminal: export TEMPORAL_ADDRESS=${endpoint.address}`);
    await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
  });
}

import { AesGcmCodec } from '../../codec/aes-gcm-codec';
import { codecKeyFileVar, codecKeyringFromEnv, codecKeysVar } from '../../codec/codec-keys';
import { startCodecServer } from '../../codec/codec-server';
import type { CliIo } from '../cli-io';

/** `bootwave codec-server`: serves until SIGINT or SIGTERM; returns the exit code. */
export async function codecServer(
  flags: { port: string; host: string; corsOrigin: string[] },
  io: CliIo,
): Promise<number> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    return io.fail(`--port must be a port number from 0 to 65535, got "${flags.port}"`);
  const keys = codecKeyringFromEnv();
  if (!keys)
    return io.fail(`no codec keys: set ${codecKeysVar} (<id>:<base64 of 32 bytes>, ...) or ${codecKeyFileVar}`);
  const server = await startCodecServer({
    codec: new AesGcmCodec(keys, 'this codec server'),
    port,
    host: flags.host,
    corsOrigins: flags.corsOrigin,
  });
  io.out(
    `codec server at ${server.url} · keys ${[...keys.byId.keys()].join(', ')} · CORS for ${flags.corsOrigin.join(', ')}`,
  );
  io.out(
    `Web UI: Settings → Codec Server → ${server.url} · CLI: temporal workflow show --codec-endpoint ${server.url} ...`,
  );
  await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
  await server.close();
  return 0;
}

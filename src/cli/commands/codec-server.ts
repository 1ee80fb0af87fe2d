import type { Command } from 'commander';
import type { CliIo } from '../cli-io';

/** `codec-server`: Temporal's codec-server protocol over bootwave's payload codec, for the Web UI and the CLI. */
export function registerCodecServer(program: Command, io: CliIo): void {
  program
    .command('codec-server')
    .description(
      "decode (and encode) bootwave's encrypted payloads for the Temporal Web UI and CLI (--codec-endpoint), with the keys of BOOTWAVE_CODEC_KEYS or BOOTWAVE_CODEC_KEY_FILE",
    )
    .option('--port <port>', 'port to listen on', '8081')
    .option(
      '--host <host>',
      'address to listen on (keep it local: anyone who reaches it reads the payloads)',
      '127.0.0.1',
    )
    .option(
      '--cors-origin <origin...>',
      "origins allowed to call it from a browser: the Web UI's (as typed in the address bar)",
      ['http://localhost:8233', 'http://127.0.0.1:8233'],
    )
    .action(async (flags: { port: string; host: string; corsOrigin: string[] }) => {
      const { codecServer } = await import('./codec-server-run.js');
      process.exitCode = await codecServer(flags, io);
    });
}

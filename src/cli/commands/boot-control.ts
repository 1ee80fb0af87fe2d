import type { Command } from 'commander';
import type { CliIo } from '../cli-io';

/** `status`, `cancel`, `pause`, `resume`, `list`: talk to boots that run on the server. */
export function registerBootControl(program: Command, io: CliIo): void {
  program
    .command('status <plan>')
    .description('show a boot: every wave and service, with live probe progress')
    .option('--id <workflowId>', 'the boot’s workflow ID')
    .option('--json', 'print the status as JSON')
    .action(async (target: string, flags: { id?: string; json?: boolean }) => {
      const { status } = await import('./boot-control-run.js');
      process.exitCode = await status(target, flags, io);
    });
  for (const [name, description] of [
    ['cancel', 'stop starting services, then apply the failure policy'],
    ['pause', 'hold before starting more services'],
    ['resume', 'continue a paused boot'],
  ] as const) {
    program
      .command(`${name} <plan>`)
      .description(description)
      .option('--id <workflowId>', 'the boot’s workflow ID')
      .action(async (target: string, flags: { id?: string }) => {
        const { control } = await import('./boot-control-run.js');
        process.exitCode = await control(name, target, flags, io);
      });
  }
  program
    .command('list')
    .description('list boots, newest first')
    .option('--plan <name>', 'only boots of this plan')
    .action(async (flags: { plan?: string }) => {
      const { list } = await import('./boot-control-run.js');
      process.exitCode = await list(flags, io);
    });
}

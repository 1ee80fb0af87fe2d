import { defaultBootOptions, type BootInput } from '../../plan/boot-input';
import type { CliIo } from '../cli-io';
import { checkTargetsForCli, loadBootForCli } from '../load-plan-for-cli';
import { planArgument, sourceName } from '../plan-and-profiles';
import { counted } from '../../counted';

/** `bootwave validate`: offline, never loads the Temporal SDK. Returns the exit code. */
export async function validate(
  given: string | undefined,
  flags: { profile?: string[]; json?: boolean; file?: string[] },
  io: CliIo,
): Promise<number> {
  const argument = planArgument('validate', given, flags, io);
  if (!argument) return 2;
  const { source } = argument;
  const file = sourceName(source);
  const loaded = loadBootForCli(source, argument.flags.profile, io);
  if (!loaded) return 1;
  const { plan } = loaded;
  // Offline: the manifests' files and documents; their kinds and namespaces are checked by `up`.
  if (!(await checkTargetsForCli(plan, file, io, { cluster: false }))) return 1;
  if (flags.json) {
    const input: BootInput = { plan, options: { ...defaultBootOptions, ...loaded.bootOptions } };
    io.out(JSON.stringify(input, null, 2));
    return 0;
  }
  io.out(
    `${file}: plan ${plan.name} is valid: ${counted(plan.services.length, 'service')} in ${counted(plan.waves.length, 'wave')}`,
  );
  return 0;
}

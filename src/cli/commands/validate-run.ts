import { defaultBootOptions, type BootInput } from '../../plan/boot-input';
import type { CliIo } from '../cli-io';
import { checkTargetsForCli, loadBootForCli } from '../load-plan-for-cli';

/** `bootwave validate`: offline, never loads the Temporal SDK. Returns the exit code. */
export async function validate(
  file: string,
  flags: { profile?: string[]; json?: boolean },
  io: CliIo,
): Promise<number> {
  const loaded = loadBootForCli(file, flags.profile, io);
  if (!loaded) return 1;
  const { plan } = loaded;
  // Offline: the manifests' files and documents; their kinds and namespaces are checked by `up`.
  if (!(await checkTargetsForCli(plan, file, io, { cluster: false }))) return 1;
  if (flags.json) {
    const input: BootInput = { plan, options: { ...defaultBootOptions, ...loaded.bootOptions } };
    io.out(JSON.stringify(input, null, 2));
    return 0;
  }
  io.out(`${file}: plan ${plan.name} is valid: ${plan.services.length} services in ${plan.waves.length} waves`);
  return 0;
}

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const script = join(__dirname, '..', '..', 'scripts', 'lib', 'kube.sh');

/** The cluster a test file talks to: the one the test command started, or one it starts (and stops) itself. */
export interface KubeCluster {
  kubeconfig: string;
  stop(): Promise<void>;
}

/**
 * The local control plane for the tests: `BOOTWAVE_TEST_KUBECONFIG` when the test command started one, else a
 * cluster started here through scripts/lib/kube.sh (never skipped: a missing binary is built or reported).
 * Sets KUBECONFIG so the driver's ordinary configuration lookup finds it.
 */
export async function kubeCluster(): Promise<KubeCluster> {
  const existing = process.env.BOOTWAVE_TEST_KUBECONFIG;
  if (existing) {
    process.env.KUBECONFIG = existing;
    return { kubeconfig: existing, stop: async () => {} };
  }
  const name = `bootwave-test-${randomBytes(3).toString('hex')}`;
  const { stdout } = await run('bash', ['-c', `source "${script}" && bootwave_kube_up`], {
    env: { ...process.env, BOOTWAVE_KUBE_CLUSTER_NAME: name },
    maxBuffer: 16 * 1024 * 1024,
  });
  const kubeconfig = stdout.trim().split('\n').pop() ?? '';
  const cluster =
    kubeconfig
      .split('/')
      .pop()
      ?.replace(/\.kubeconfig$/, '') ?? name;
  process.env.KUBECONFIG = kubeconfig;
  return {
    kubeconfig,
    stop: async () => {
      await run('bash', ['-c', `source "${script}" && bootwave_kube_down "$1"`, 'bash', cluster]);
    },
  };
}

/** A unique namespace name for one test. */
export function testNamespace(label: string): string {
  return `bw-${label}-${randomBytes(3).toString('hex')}`.toLowerCase();
}

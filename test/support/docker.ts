import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DockerTarget, ServiceSpec } from '../../src/plan/types';
import { defaultProbeTiming } from '../../src/plan/defaults';

/** The local test images (scripts/build-images.sh builds them; no registry is reachable). */
export const testImages = { busybox: 'bootwave-test/busybox:1', redis: 'bootwave-test/redis:7' } as const;

/**
 * Makes sure a Docker engine answers and the local test images exist (scripts/build-images.sh: a no-op when they
 * are built with the current recipes), so a Docker test file also runs on its own on a fresh machine.
 */
export function ensureDockerForTests(): void {
  execFileSync('bash', [join(__dirname, '..', '..', 'scripts', 'build-images.sh')], {
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 600_000,
  });
}

/** A plan name no other test uses: containers and networks are isolated by it. */
export function uniquePlanName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

/** A docker service with plain defaults; override what the test is about. */
export function dockerService(
  name: string,
  target: Partial<DockerTarget>,
  extra: Partial<ServiceSpec> = {},
): ServiceSpec {
  return {
    name,
    wave: 'w0',
    target: {
      driver: 'docker',
      image: testImages.busybox,
      env: {},
      ports: [],
      volumes: [],
      networks: [],
      labels: {},
      restart: 'no',
      stopGraceMs: 1000,
      ...target,
    },
    dependsOn: [],
    critical: true,
    oneShot: false,
    startTimeoutMs: 60_000,
    expectedStartMs: 1000,
    profiles: [],
    ...extra,
  };
}

/** Fast container HEALTHCHECK timing for tests. */
export const fastHealth = {
  ...defaultProbeTiming,
  intervalMs: 200,
  timeoutMs: 2000,
  retries: 3,
  startPeriodMs: 0,
  startIntervalMs: 100,
};

/** Runs the docker CLI and returns its trimmed output. */
export function docker(args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8' }).trim();
}

/** Names of the plan's containers, running or not. */
export function planContainers(plan: string): string[] {
  const out = docker(['ps', '-a', '--filter', `label=bootwave.plan=${plan}`, '--format', '{{.Names}}']);
  return out === '' ? [] : out.split('\n').sort();
}

/** Names of the plan's networks. */
export function planNetworks(plan: string): string[] {
  const out = docker(['network', 'ls', '--filter', `label=bootwave.plan=${plan}`, '--format', '{{.Name}}']);
  return out === '' ? [] : out.split('\n').sort();
}

/** Removes whatever a test left behind for its plan (containers first, then networks). */
export function cleanupPlan(plan: string): void {
  const containers = planContainers(plan);
  if (containers.length > 0) docker(['rm', '-f', '-v', ...containers]);
  const ids = docker(['network', 'ls', '-q', '--filter', `label=bootwave.plan=${plan}`]);
  if (ids !== '') docker(['network', 'rm', ...ids.split('\n')]);
  // Named volumes outlive `down` (as with Compose); tests remove theirs.
  const volumes = docker(['volume', 'ls', '-q', '--filter', `name=bootwave-${plan}-`]);
  if (volumes !== '') docker(['volume', 'rm', ...volumes.split('\n')]);
}

/** A field of `docker inspect` for a container. */
export function inspectField(container: string, format: string): string {
  return docker(['inspect', '-f', format, container]);
}

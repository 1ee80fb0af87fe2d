import { appendFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadPlan } from '../../src/plan/load-plan';
import { freePortIn } from '../../src/temporal/free-port';
import { formatIssue } from '../../src/plan/plan-issue';
import type { ResolvedPlan } from '../../src/plan/types';
import { freshDir, testEnvKeys } from './test-env';

export const healthService = join(__dirname, '..', '..', 'examples', 'services', 'health-service.js');

const firstPort = 19000;
const portCount = 3000;
let fallbackPort = firstPort + (process.pid % 50) * 20;
/**
 * Ports for test services, distinct across every test file of the run: a counter file in the run's work folder
 * (one byte appended per port: appends are atomic), so a service one file leaves behind never holds the port of
 * another file's service. Unit tests without a run folder count per process.
 */
export function testPort(): number {
  const workDir = process.env[testEnvKeys.workDir];
  if (workDir === undefined) return fallbackPort++;
  const counter = join(workDir, 'ports.counter');
  appendFileSync(counter, 'x');
  return firstPort + ((statSync(counter).size - 1) % portCount);
}

/**
 * A random free port for a test that cannot take one from the counter (a server it starts itself): above every
 * counter port (19000–21999, where other test runs on the machine count too) and below the kernel's ephemeral range
 * (32768+, where outgoing connections may take it before it binds). Never a port a fixture service may still bind.
 */
export function randomTestPort(): Promise<number> {
  return freePortIn(firstPort + portCount + 1000, 32000);
}

export interface FixtureService {
  wave?: string;
  dependsOn?: unknown[];
  critical?: boolean;
  oneShot?: boolean;
  /** health-service.js flags beyond --name and --port, e.g. ['--start-delay', '300']. */
  args?: string[];
  /** A one-shot: sleeps then exits with this code (no port). */
  exitCode?: number;
  /** Appends a line to this file each time the service process is started (to count starts). */
  startLog?: string;
  startTimeout?: string;
  expectedStart?: string;
  /** No health check: ready once it runs. */
  noCheck?: boolean;
}

/** Writes a plan of real health-service processes and loads it through the real loader. */
export function fixturePlan(
  name: string,
  waves: string[],
  services: Record<string, FixtureService>,
): { plan: ResolvedPlan; ports: Record<string, number>; dir: string } {
  const dir = freshDir(name);
  const ports: Record<string, number> = {};
  const doc = {
    name,
    waves: waves.map((wave) => ({ name: wave })),
    services: Object.fromEntries(
      Object.entries(services).map(([service, spec]) => {
        const port = testPort();
        ports[service] = port;
        const serviceArgs = spec.oneShot
          ? [
              join(__dirname, '..', '..', 'examples', 'services', 'migrate.js'),
              '--duration',
              '300',
              '--exit-code',
              String(spec.exitCode ?? 0),
            ]
          : [healthService, '--name', service, '--port', String(port), ...(spec.args ?? [])];
        const command = spec.startLog
          ? ['sh', '-c', 'echo started >> "$0"; exec node "$@"', spec.startLog, ...serviceArgs]
          : ['node', ...serviceArgs];
        return [
          service,
          {
            wave: spec.wave ?? waves[0],
            process: { command },
            dependsOn: spec.dependsOn ?? [],
            critical: spec.critical ?? true,
            oneShot: spec.oneShot ?? false,
            startTimeout: spec.startTimeout ?? '30s',
            expectedStart: spec.expectedStart ?? '100ms',
            ...(spec.oneShot || spec.noCheck
              ? {}
              : {
                  health: {
                    check: { kind: 'http', url: `http://127.0.0.1:${port}/health`, expectStatus: [200] },
                    interval: '200ms',
                    startInterval: '50ms',
                    startPeriod: '20s',
                    timeout: '1s',
                    retries: 3,
                  },
                }),
          },
        ];
      }),
    ),
  };
  const file = join(dir, 'plan.yaml');
  writeFileSync(file, stringify(doc));
  const result = loadPlan(file);
  if (!result.ok) throw new Error(result.errors.map(formatIssue).join('\n'));
  return { plan: result.plan, ports, dir };
}

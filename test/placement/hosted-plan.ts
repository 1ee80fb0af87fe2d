import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadPlan } from '../../src/plan/load-plan';
import { formatIssue } from '../../src/plan/plan-issue';
import type { ResolvedPlan } from '../../src/plan/types';
import { healthService, testPort } from '../support/plan-fixture';
import { freshDir } from '../support/test-env';

export interface HostedService {
  wave: string;
  host?: string;
  dependsOn?: string[];
  /** health-service.js flags beyond --name and --port. */
  args?: string[];
  /** Also checks each dependency's endpoint first (Cascade's dependency-aware check, across hosts). */
  checkDependencies?: boolean;
}

/**
 * A plan of real health-service processes placed on hosts (on waves and services), each appending to a start log,
 * loaded through the real loader.
 */
export function hostedPlan(
  name: string,
  waves: { name: string; host?: string; deadline?: string }[],
  services: Record<string, HostedService>,
): { plan: ResolvedPlan; ports: Record<string, number>; startLog: (service: string) => string } {
  const dir = freshDir(name);
  const startLog = (service: string) => join(dir, `${service}.starts`);
  const ports = Object.fromEntries(Object.keys(services).map((service) => [service, testPort()]));
  const health = (port: number) => `http://127.0.0.1:${port}/health`;
  const doc = {
    name,
    waves,
    services: Object.fromEntries(
      Object.entries(services).map(([service, spec]) => [
        service,
        {
          wave: spec.wave,
          ...(spec.host ? { host: spec.host } : {}),
          process: {
            command: [
              'sh',
              '-c',
              'echo started >> "$0"; exec node "$@"',
              startLog(service),
              healthService,
              '--name',
              service,
              '--port',
              String(ports[service]),
              ...(spec.args ?? []),
            ],
          },
          dependsOn: spec.dependsOn ?? [],
          startTimeout: '60s',
          health: {
            check: { kind: 'http', url: health(ports[service]!), expectStatus: [200] },
            interval: '200ms',
            startInterval: '50ms',
            startPeriod: '30s',
            timeout: '1s',
            retries: 3,
            ...(spec.checkDependencies
              ? {
                  preChecks: (spec.dependsOn ?? []).map((dependency) => ({
                    service: dependency,
                    check: { kind: 'http', url: health(ports[dependency]!) },
                    required: true,
                  })),
                }
              : {}),
          },
        },
      ]),
    ),
  };
  const file = join(dir, 'plan.yaml');
  writeFileSync(file, stringify(doc));
  const result = loadPlan(file);
  if (!result.ok) throw new Error(result.errors.map(formatIssue).join('\n'));
  return { plan: result.plan, ports, startLog };
}

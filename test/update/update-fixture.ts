import type { ResolvedPlan, ServiceSpec } from '../../src/plan/types';
import { testPort } from '../support/plan-fixture';

/**
 * A new version of a fixture service (a real health-service process): more flags after its own (a later flag wins,
 * e.g. `--name api-v2`, `--fail-after 1500`), and with `newPort` a port of its own — so the old and the new version
 * can run side by side and the update is start-first.
 */
export function newVersion(
  plan: ResolvedPlan,
  changes: Record<string, { args?: string[]; newPort?: boolean }>,
): { plan: ResolvedPlan; ports: Record<string, number> } {
  const ports: Record<string, number> = {};
  const services = plan.services.map((service): ServiceSpec => {
    const change = changes[service.name];
    const oldPort = portOf(service);
    ports[service.name] = oldPort;
    if (!change || service.target.driver !== 'process') return service;
    const port = change.newPort ? testPort() : oldPort;
    ports[service.name] = port;
    const command = service.target.command.map((arg) => (arg === String(oldPort) ? String(port) : arg));
    const probe = service.health!.probe;
    return {
      ...service,
      target: { ...service.target, command: [...command, ...(change.args ?? [])] },
      health: {
        ...service.health!,
        probe: probe.kind === 'http' ? { ...probe, url: probe.url.replace(`:${oldPort}/`, `:${port}/`) } : probe,
      },
    };
  });
  return { plan: { ...plan, services }, ports };
}

/** The port a fixture service listens on (its `--port` argument). */
export function portOf(service: ServiceSpec): number {
  if (service.target.driver !== 'process') throw new Error(`${service.name} is not a process`);
  const command = service.target.command;
  return Number(command[command.indexOf('--port') + 1]);
}

/** The name a health-service answers with on /health, or undefined when nothing answers on the port. */
export async function answeringName(port: number): Promise<string | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
    const body = (await response.json()) as { service?: { name?: string } };
    return body.service?.name;
  } catch {
    return undefined;
  }
}

/**
 * A client of every service, polling until stopped: each poll asks the service where it ran (its old port) and,
 * if that refuses, where the update moved it (its new port), as a client with both addresses would. A poll that
 * neither answers is a failed request: a moment when the service served nobody.
 */
export function pollThroughout(addresses: Record<string, number[]>): {
  stop(): Promise<{ requests: number; failed: string[] }>;
} {
  let running = true;
  let requests = 0;
  const failed: string[] = [];
  const loops = Object.entries(addresses).map(async ([service, ports]) => {
    while (running) {
      requests++;
      let answered = false;
      for (const port of ports) {
        if ((await answeringName(port)) !== undefined) {
          answered = true;
          break;
        }
      }
      if (!answered) failed.push(`${service} at ${new Date().toISOString()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return { requests, failed };
    },
  };
}

import type { DriverName } from '../plan/types';

/** A service as placement sees it: what runs it and the host it is placed on (its own, else its wave's). */
export interface PlacedService {
  name: string;
  driver: DriverName;
  host?: string;
}

export interface PlacementProblem {
  service: string;
  message: string;
}

/**
 * Drivers whose services live on one machine: a process (its pid, state dir and 127.0.0.1 checks) and a container
 * of that machine's engine. A Kubernetes service lives in the cluster, which every worker reaches alike.
 */
const machineBound: readonly DriverName[] = ['process', 'docker'];

/**
 * Once a plan names any host, every process and Docker service must name one too (on itself or its wave). Without
 * it, its start would go to the shared queue, which every host's worker polls: it would start on whichever host
 * took it, and its probe, stop and supervision (each a separate activity) could land on another host that has
 * neither the process nor the container. A plan that names no host is a one-host plan: all its workers share one
 * machine (or one state directory and one Docker engine), as before hosts existed.
 */
export function checkPlacement(services: readonly PlacedService[]): PlacementProblem[] {
  const hosts = [...new Set(services.flatMap((s) => (s.host === undefined ? [] : [s.host])))].sort();
  if (hosts.length === 0) return [];
  return services
    .filter((s) => s.host === undefined && machineBound.includes(s.driver))
    .map((s) => ({
      service: s.name,
      message:
        `a ${s.driver} service runs on one machine: name its host (host: on the service or its wave); ` +
        `this plan places services on ${hosts.join(', ')}`,
    }));
}

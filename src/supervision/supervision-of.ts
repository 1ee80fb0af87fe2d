import { defaultSupervision } from '../plan/defaults';
import type { ServiceSpec, SupervisionSpec } from '../plan/types';

/** A service's supervision settings: its own, or bootwave's defaults for plans that set none. */
export function supervisionOf(service: ServiceSpec): SupervisionSpec {
  return service.supervision ?? defaultSupervision;
}

/** Who restarts a service: bootwave, the Docker engine (the container's own restart policy), or a controller. */
export type RestartOwner = 'bootwave' | 'docker-engine' | 'kubernetes-controller';

export function restartOwner(service: ServiceSpec): RestartOwner {
  if (service.target.driver === 'kubernetes') return 'kubernetes-controller';
  if (service.target.driver === 'docker' && service.target.restart !== 'no') return 'docker-engine';
  return 'bootwave';
}

import type { Drivers } from '../drivers/driver';
import { DockerDriver } from '../drivers/docker/docker-driver';
import { KubernetesDriver } from '../drivers/kubernetes/kubernetes-driver';
import { ProcessDriver } from '../drivers/process/process-driver';
import { lazyDriver } from './lazy-driver';

/** The real drivers a worker uses; Docker and Kubernetes connect on first use only. */
export function createDrivers(): Drivers {
  return {
    process: new ProcessDriver(),
    docker: lazyDriver(async () => new DockerDriver()),
    kubernetes: lazyDriver(async () => new KubernetesDriver()),
  };
}

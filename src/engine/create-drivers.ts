import type { Drivers } from '../drivers/driver';
import { ProcessDriver } from '../drivers/process/process-driver';
import { lazyDriver } from './lazy-driver';

/**
 * The real drivers a worker uses. Docker and Kubernetes are loaded and connect on first use only: dockerode alone
 * (with ssh2's WebAssembly memory) is ≈ 30 MiB of a worker whose plans run no container.
 */
export function createDrivers(): Drivers {
  return {
    process: new ProcessDriver(),
    docker: lazyDriver(async () => new (await import('../drivers/docker/docker-driver.js')).DockerDriver()),
    kubernetes: lazyDriver(
      async () => new (await import('../drivers/kubernetes/kubernetes-driver.js')).KubernetesDriver(),
    ),
  };
}

import type { InstanceSlot } from '../../contract/activities';

/** Labels every bootwave container and network carries: how a retried start, `down` and tests find them. */
export const DockerLabels = {
  plan: 'bootwave.plan',
  service: 'bootwave.service',
  /** The boot that created the container: rollback only removes what its own boot created. */
  boot: 'bootwave.boot',
  /** Hash of the service's container definition: a changed definition replaces the container. */
  spec: 'bootwave.spec',
} as const;

/**
 * `bootwave-<plan>-<service>`: stable, so a retried or resumed start finds the container an earlier one made. The
 * green instance of a start-first update (beside the old one) ends in `--green`.
 */
export function containerName(plan: string, service: string, slot?: InstanceSlot): string {
  return `bootwave-${plan}-${instanceName(service, slot)}`;
}

/** The service's name for its blue instance, `<service>--green` for the green one (its container, its secrets). */
export function instanceName(service: string, slot?: InstanceSlot): string {
  return slot === 'green' ? `${service}--green` : service;
}

/** The plan's own network; services reach each other on it by service name. */
export function planNetworkName(plan: string): string {
  return `bootwave-${plan}`;
}

/** A network the plan names (`default` is the plan network itself), scoped to the plan like Compose's project networks. */
export function namedNetwork(plan: string, network: string): string {
  return network === 'default' ? planNetworkName(plan) : `bootwave-${plan}-${network}`;
}

/** What the stop order needs of a service. */
export interface Stoppable {
  name: string;
  wave: string;
  dependsOn: { service: string }[];
}

/**
 * Stops services in the reverse of the order a boot starts them, as much at once as that order allows: the waves
 * from the last to the first, and within a wave a service once every service that depends on it has stopped. So a
 * database outlives every service that uses it, and 200 independent services stop together instead of one by one.
 * A stop that fails counts as done for the order (there is nothing better to wait for); the first failure is thrown
 * once every stop has run.
 */
export async function stopBackwards<S extends Stoppable>(
  services: readonly S[],
  waveIndex: (wave: string) => number,
  stop: (service: S) => Promise<void>,
): Promise<void> {
  const dependents = new Map<string, S[]>();
  for (const service of services)
    for (const dependency of service.dependsOn) {
      const list = dependents.get(dependency.service) ?? [];
      list.push(service);
      dependents.set(dependency.service, list);
    }
  const stops = new Map<string, Promise<void>>();
  const stopped = (service: S): Promise<void> => {
    let done = stops.get(service.name);
    if (!done) {
      done = Promise.allSettled((dependents.get(service.name) ?? []).map(stopped)).then(() => stop(service));
      stops.set(service.name, done);
    }
    return done;
  };
  const waves = [...new Set(services.map((s) => waveIndex(s.wave)))].sort((a, b) => b - a);
  const failures: unknown[] = [];
  for (const wave of waves) {
    const outcomes = await Promise.allSettled(services.filter((s) => waveIndex(s.wave) === wave).map(stopped));
    for (const outcome of outcomes) if (outcome.status === 'rejected') failures.push(outcome.reason);
  }
  if (failures.length > 0) throw failures[0];
}

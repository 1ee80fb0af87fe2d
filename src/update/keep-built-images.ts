import type { ResolvedPlan, ServiceSpec } from '../plan/types';

/**
 * An update that built nothing keeps the images the running stack was built with: a service of the new plan that
 * builds the same image, without a `builtImageId` of its own, takes the running service's. Without this, every
 * update that does not pass `--build` (or comes from a client that never builds) would see each built service as
 * changed and replace it with the same image. Pure (the stack workflow runs it).
 */
export function keepBuiltImages(running: ResolvedPlan, next: ResolvedPlan): ResolvedPlan {
  const builtBefore = new Map<string, { image: string; id: string }>();
  for (const service of running.services)
    if (service.target.driver === 'docker' && service.target.builtImageId !== undefined)
      builtBefore.set(service.name, { image: service.target.image, id: service.target.builtImageId });
  // A hand-written request may not be a plan at all: it is left as it is, for planUpdate to refuse.
  if (builtBefore.size === 0 || !Array.isArray(next?.services)) return next;
  const services = next.services.map((service): ServiceSpec => {
    const before = builtBefore.get(service?.name);
    const target = service?.target as ServiceSpec['target'] | undefined;
    if (!before || target?.driver !== 'docker' || !target.build || target.builtImageId !== undefined) return service;
    if (target.image !== before.image) return service;
    return { ...service, target: { ...target, builtImageId: before.id } };
  });
  return { ...next, services };
}

import { formatDuration } from '../plan/duration';
import type { DockerBuild, ResolvedPlan } from '../plan/types';
import type { CliIo } from './cli-io';

/**
 * `--build` (`up` and `update`): builds every image the plan builds on this machine's engine before anything
 * starts, as `docker compose up --build` does, all at once (one build per image two services share). Resolves with
 * the plan whose built services carry their image's ID (`builtImageId`): a rebuilt image is a changed definition,
 * so an update rolls it out and a container made from the old one is replaced at its start. Undefined when a build
 * fails.
 */
export async function buildPlanImages(plan: ResolvedPlan, io: CliIo): Promise<ResolvedPlan | undefined> {
  const builds = new Map<string, DockerBuild>();
  for (const service of plan.services)
    if (service.target.driver === 'docker' && service.target.build)
      builds.set(service.target.image, service.target.build);
  if (builds.size === 0) {
    io.err('bootwave: --build: no service of this plan builds its image');
    return plan;
  }
  for (const warning of elsewhereWarnings(plan)) io.err(`bootwave: warning: ${warning}`);
  // Loaded only here: the engine client is not needed by a command that builds nothing.
  const { createDockerEngine } = await import('../drivers/docker/docker-engine.js');
  const engine = createDockerEngine();
  const built = new Map<string, string>();
  const results = await Promise.all(
    [...builds].map(async ([image, build]) => {
      io.err(`bootwave: building ${image} from ${build.context}`);
      const startedAt = Date.now();
      try {
        await engine.buildImage(image, build);
        const id = await engine.imageId(image);
        if (id === undefined) throw new Error(`the engine has no image ${image} after building it`);
        built.set(image, id);
        io.err(`bootwave: built ${image} in ${formatDuration(Date.now() - startedAt)}`);
        return true;
      } catch (error) {
        io.err(`bootwave: failed to build image ${image} from ${build.context}: ${(error as Error).message}`);
        return false;
      }
    }),
  );
  if (!results.every(Boolean)) return undefined;
  return {
    ...plan,
    services: plan.services.map((service) => {
      const id = service.target.driver === 'docker' ? built.get(service.target.image) : undefined;
      return id === undefined ? service : { ...service, target: { ...service.target, builtImageId: id } };
    }),
  };
}

/** Built services placed on a host of their own: that host's worker may use another engine than this machine's. */
export function elsewhereWarnings(plan: ResolvedPlan): string[] {
  return plan.services.flatMap((service) =>
    service.target.driver === 'docker' && service.target.build && service.host !== undefined
      ? [
          `${service.name} runs on host ${service.host}: --build builds ${service.target.image} on this machine's engine; ` +
            "unless that host's worker uses the same engine, build it there too (its engine builds it only when it has none)",
        ]
      : [],
  );
}

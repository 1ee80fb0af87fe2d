import { formatDuration } from '../plan/duration';
import type { DockerBuild, ResolvedPlan } from '../plan/types';
import type { CliIo } from './cli-io';

/**
 * `up --build`: builds every image the plan builds on this machine's engine before anything starts, as
 * `docker compose up --build` does, all at once (one build per image two services share). A container whose image
 * was rebuilt is replaced at its start: the built image's ID is part of its definition. False when a build fails.
 */
export async function buildImagesForCli(plan: ResolvedPlan, io: CliIo): Promise<boolean> {
  const builds = new Map<string, DockerBuild>();
  for (const service of plan.services)
    if (service.target.driver === 'docker' && service.target.build)
      builds.set(service.target.image, service.target.build);
  if (builds.size === 0) {
    io.err('bootwave: --build: no service of this plan builds its image');
    return true;
  }
  // Loaded only here: the engine client is not needed by a command that builds nothing.
  const { createDockerEngine } = await import('../drivers/docker/docker-engine.js');
  const engine = createDockerEngine();
  const results = await Promise.all(
    [...builds].map(async ([image, build]) => {
      io.err(`bootwave: building ${image} from ${build.context}`);
      const startedAt = Date.now();
      try {
        await engine.buildImage(image, build);
        io.err(`bootwave: built ${image} in ${formatDuration(Date.now() - startedAt)}`);
        return true;
      } catch (error) {
        io.err(`bootwave: failed to build image ${image} from ${build.context}: ${(error as Error).message}`);
        return false;
      }
    }),
  );
  return results.every(Boolean);
}

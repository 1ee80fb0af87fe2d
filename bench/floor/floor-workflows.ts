import { proxyActivities } from '@temporalio/workflow';
import type { FloorTimes } from './floor-activities';
import type * as activities from './floor-activities';

export interface FloorService {
  name: string;
  wave: number;
  dependsOn: string[];
}

const { bootService } = proxyActivities<typeof activities>({ startToCloseTimeout: '1 minute' });

/**
 * The fewest Temporal steps a dependency-ordered boot can take: one workflow, one activity per service, each
 * scheduled in the workflow task that hears its last dependency finish. With `waves`, a wave's services are
 * scheduled only once every service of the earlier waves has finished. `services` lists dependencies first.
 */
export async function floorBoot(
  services: FloorService[],
  strategy: 'dag' | 'waves',
  spawnSleep: boolean,
): Promise<FloorTimes[]> {
  const finished = new Map<string, Promise<FloorTimes>>();
  const boot = (group: FloorService[]) => {
    for (const service of group)
      finished.set(
        service.name,
        Promise.all(service.dependsOn.map((d) => finished.get(d)!)).then(() => bootService(service.name, spawnSleep)),
      );
    return Promise.all(group.map((s) => finished.get(s.name)!));
  };
  if (strategy === 'dag') return boot(services);
  const times: FloorTimes[] = [];
  const waves = [...new Set(services.map((s) => s.wave))].sort((a, b) => a - b);
  for (const wave of waves) times.push(...(await boot(services.filter((s) => s.wave === wave))));
  return times;
}

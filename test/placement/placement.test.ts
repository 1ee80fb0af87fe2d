import { hostOfTaskQueue, hostTaskQueue } from '../../src/contract/task-queues';
import { checkPlacement } from '../../src/placement/check-placement';
import { serviceTaskQueue } from '../../src/placement/service-task-queue';
import { waitingForWorker } from '../../src/placement/waiting-for-worker';
import { loadPlanText } from '../../src/plan/load-plan-text';

function load(text: string) {
  return loadPlanText(text, {
    file: 'plan.yaml',
    env: {},
    resolvePath: (p) => `/plans/${p}`,
    manifestProblems: () => [],
  });
}

describe('placement', () => {
  it.each([
    [{ host: 'pc2' }, 'bootwave', 'bootwave@pc2'],
    [{ host: 'mainpc' }, 'team-a', 'team-a@mainpc'],
    [{}, 'bootwave', undefined],
  ])('routes %j on shared queue %s to %s', (service, shared, expected) => {
    expect(serviceTaskQueue(service, shared)).toBe(expected);
  });

  it('names a host queue so its host reads back, and a shared queue has none', () => {
    expect(hostOfTaskQueue(hostTaskQueue('bootwave', 'pc2'))).toBe('pc2');
    expect(hostOfTaskQueue('bootwave')).toBeUndefined();
  });

  it('says which hosts are missing their worker', () => {
    expect(waitingForWorker(['pc2'])).toBe('waiting for a worker on pc2');
    expect(waitingForWorker(['pc2', 'mainpc', 'pc2'])).toBe('waiting for workers on mainpc, pc2');
  });

  it.each([
    ['no host named anywhere: a one-host plan', [{ name: 'a', driver: 'process' as const }], []],
    [
      'a process without a host beside a placed one',
      [
        { name: 'a', driver: 'process' as const, host: 'pc2' },
        { name: 'b', driver: 'process' as const },
        { name: 'c', driver: 'docker' as const },
        { name: 'k', driver: 'kubernetes' as const },
      ],
      ['b', 'c'],
    ],
  ])('%s', (_case, services, offenders) => {
    expect(checkPlacement(services).map((p) => p.service)).toEqual(offenders);
  });

  it('a service inherits its wave host, and its own host wins', () => {
    const result = load(`
name: two
waves: [{ name: main, host: mainpc }, { name: edge, host: pc2 }]
services:
  db: { wave: main, process: { command: [db] } }
  api: { wave: edge, process: { command: [api] }, dependsOn: [db] }
  probe: { wave: edge, host: mainpc, process: { command: [probe] } }
  kube: { wave: main, kubernetes: { inline: ['{apiVersion: v1, kind: ConfigMap, metadata: {name: x}}'] } }
`);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const hosts = Object.fromEntries(result.plan.services.map((s) => [s.name, s.host]));
    expect(hosts).toEqual({ db: 'mainpc', api: 'pc2', probe: 'mainpc', kube: 'mainpc' });
    expect(result.plan.waves.map((w) => w.host)).toEqual(['mainpc', 'pc2']);
  });

  it('refuses a process without a host once the plan names hosts, naming file, path and why', () => {
    const result = load(`
name: mixed
services:
  db: { host: mainpc, process: { command: [db] } }
  api: { process: { command: [api] } }
  cache: { docker: { image: redis } }
`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      {
        file: 'plan.yaml',
        path: 'services.api.host',
        message:
          'a process service runs on one machine: name its host (host: on the service or its wave); this plan places services on mainpc',
      },
      {
        file: 'plan.yaml',
        path: 'services.cache.host',
        message:
          'a docker service runs on one machine: name its host (host: on the service or its wave); this plan places services on mainpc',
      },
    ]);
  });

  it('refuses a host that cannot name a task queue', () => {
    const result = load(`
name: bad
services:
  db: { host: PC2, process: { command: [db] } }
`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toEqual(['services.db.host']);
  });
});

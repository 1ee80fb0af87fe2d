import { loadPlanOrCompose } from '../../src/compose/load-any';

describe('the example Compose files', () => {
  it('imports the SomaAgent stack: waves from depends_on, the migration as a one-shot, .env ports, memory limits', () => {
    const result = loadPlanOrCompose('examples/somaagent/docker-compose.yml', { profiles: ['core', 'dev'], env: {} });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.plan.name).toBe('somaagent');
    expect(result.plan.waves.map((wave) => wave.services)).toEqual([
      ['postgres', 'redis', 'kafka', 'opa'],
      ['openfga-migrate'],
      ['openfga'],
      ['gateway'],
      ['tool-executor', 'agent-ui'],
    ]);
    expect(result.warnings).toEqual([]);
    expect(result.bootOptions).toEqual({ strategy: 'dag', onFailure: 'rollback' });
    const byName = new Map(result.plan.services.map((service) => [service.name, service]));
    expect(byName.get('openfga-migrate')?.oneShot).toBe(true);
    expect(byName.get('openfga')?.dependsOn).toEqual([
      { service: 'postgres', kind: 'requires', condition: 'healthy' },
      { service: 'openfga-migrate', kind: 'requires', condition: 'completed' },
    ]);
    expect(byName.get('postgres')?.memoryBytes).toBe(256 * 1024 * 1024);
    expect(byName.get('agent-ui')?.critical).toBe(false);
    const gateway = byName.get('gateway')?.target;
    expect(gateway?.driver === 'docker' && gateway.ports).toEqual([
      { hostIp: '127.0.0.1', hostPort: 18521, containerPort: 8080, protocol: 'tcp' },
    ]);
  });

  it('leaves the dev profile out when only core is selected', () => {
    const result = loadPlanOrCompose('examples/somaagent/docker-compose.yml', { profiles: ['core'], env: {} });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.plan.services.map((service) => service.name)).not.toContain('agent-ui');
  });

  it('imports the 3-level chain with the container HEALTHCHECK and the bootwave HTTP probe', () => {
    const result = loadPlanOrCompose('examples/compose-chain/docker-compose.yml', { env: {} });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.plan.waves.map((wave) => wave.services)).toEqual([['a'], ['b'], ['c']]);
    const b = result.plan.services[1]!;
    expect(b.dependsOn).toEqual([{ service: 'a', kind: 'requires', condition: 'healthy' }]);
    expect(b.health?.probe).toEqual({ kind: 'http', url: 'http://127.0.0.1:18532/health', expectStatus: [] });
    expect(b.health?.timing.startIntervalMs).toBe(250);
    expect(b.target.driver === 'docker' && b.target.healthcheck?.timing.intervalMs).toBe(2000);
  });
});

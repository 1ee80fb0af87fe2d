import { loadPlan } from '../../src/plan/load-plan';

describe('examples/cascade: MainPC and PC2 as one plan', () => {
  const result = loadPlan('examples/cascade/plan.yaml', { env: {} });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const { plan } = result;
  const hostOf = new Map(plan.services.map((s) => [s.name, s.host]));

  it('places every service on MainPC or PC2 through its wave', () => {
    expect(new Set(hostOf.values())).toEqual(new Set(['mainpc', 'pc2']));
    expect(plan.waves.map((w) => [w.name, w.host])).toEqual([
      ['core-platform', 'mainpc'],
      ['pc2-core', 'pc2'],
      ['ai-engine', 'mainpc'],
      ['request-processing', 'mainpc'],
      ['memory-learning', 'mainpc'],
      ['supporting', 'mainpc'],
      ['pc2-applications', 'pc2'],
    ]);
  });

  it("checks MainPC's services from PC2 before PC2's own (dependency-aware checks across hosts)", () => {
    const crossHost = plan.services.flatMap((service) =>
      (service.health?.preChecks ?? [])
        .filter((check) => hostOf.get(check.service) !== service.host)
        .map((check) => `${service.name}@${service.host} → ${check.service}@${hostOf.get(check.service)}`),
    );
    expect(crossHost).toEqual([
      'pc2-observability-hub@pc2 → observability-hub@mainpc',
      'pc2-observability-hub@pc2 → service-registry@mainpc',
      'tiered-responder@pc2 → responder@mainpc',
      'unified-memory-reasoning-agent@pc2 → knowledge-base@mainpc',
    ]);
  });

  it('reaches MainPC at MAINPC_ADDRESS', () => {
    const loaded = loadPlan('examples/cascade/plan.yaml', { env: { MAINPC_ADDRESS: '10.0.0.5' } });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const hub = loaded.plan.services.find((s) => s.name === 'pc2-observability-hub')!;
    expect(hub.health?.preChecks.map((c) => (c.check.kind === 'http' ? c.check.url : ''))).toEqual([
      'http://10.0.0.5:18102/health',
      'http://10.0.0.5:18100/health/ready',
    ]);
  });
});
